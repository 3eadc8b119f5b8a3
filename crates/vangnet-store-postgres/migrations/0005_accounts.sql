-- Vangnet schema v5 (PostgreSQL): accounts, sessions and API tokens (issue 11;
-- vangnet_store::accounts). Instants are milliseconds since 1970 (UTC). Passwords are stored
-- only as argon2id hashes, session ids and API tokens only as their SHA-256 hash.
CREATE TABLE users (
    id                   TEXT    COLLATE "C" PRIMARY KEY,
    naam                 TEXT    NOT NULL,
    role                 TEXT    NOT NULL CHECK (role <> 'systeem'),
    organisation         TEXT    NOT NULL,
    password_hash        TEXT,
    totp_secret          TEXT,
    totp_last_step       BIGINT,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         BIGINT,
    created_at           BIGINT  NOT NULL
);

-- Keyed by the hash of the session id; `user_id` is an account or (demo) a demo user.
CREATE TABLE sessions (
    id_hash    TEXT    COLLATE "C" PRIMARY KEY,
    user_id    TEXT    COLLATE "C" NOT NULL,
    stage      TEXT    NOT NULL CHECK (stage IN ('wachtwoord', 'compleet')),
    csrf       TEXT    NOT NULL,
    demo       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT  NOT NULL,
    last_seen  BIGINT  NOT NULL,
    address    TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           TEXT    COLLATE "C" PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE,
    naam         TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role <> 'systeem'),
    organisation TEXT    NOT NULL,
    facts        TEXT    NOT NULL,
    created_by   TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    revoked_at   BIGINT
);
