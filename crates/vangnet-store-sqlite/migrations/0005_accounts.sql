-- Vangnet schema v5 (SQLite): accounts, sessions and API tokens (issue 11;
-- vangnet_store::accounts). Instants are milliseconds since 1970 (UTC). Passwords are stored
-- only as argon2id hashes, session ids and API tokens only as their SHA-256 hash.
CREATE TABLE users (
    id                   TEXT    PRIMARY KEY,
    naam                 TEXT    NOT NULL,
    role                 TEXT    NOT NULL CHECK (role <> 'systeem'),
    organisation         TEXT    NOT NULL,
    password_hash        TEXT,
    totp_secret          TEXT,
    totp_last_step       INTEGER,
    disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         INTEGER,
    created_at           INTEGER NOT NULL
);

-- Keyed by the hash of the session id; `user_id` is an account or (demo) a demo user.
CREATE TABLE sessions (
    id_hash    TEXT    PRIMARY KEY,
    user_id    TEXT    NOT NULL,
    stage      TEXT    NOT NULL CHECK (stage IN ('wachtwoord', 'compleet')),
    csrf       TEXT    NOT NULL,
    demo       INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    address    TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           TEXT    PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE,
    naam         TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role <> 'systeem'),
    organisation TEXT    NOT NULL,
    facts        TEXT    NOT NULL,
    created_by   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);
