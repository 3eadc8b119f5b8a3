-- Vangnet schema v1 (PostgreSQL). The same tables, columns and meaning as the SQLite
-- engine's 0001_init.sql, so both engines give byte-identical snapshots and exports:
-- dates and timestamps stay ISO-8601 TEXT, payloads and states stay JSON TEXT (not JSONB,
-- which would reorder keys), and every text column sorts bytewise (COLLATE "C", like
-- SQLite's BINARY) whatever the database's locale.
-- Migrations are append-only: never edit an applied one.

-- The log: append-only, one stream per client. `seq` is assigned by the store under its
-- writer lock (max + 1), so it is gap-free like SQLite's rowid, also after a rollback.
CREATE TABLE events (
    seq            BIGINT PRIMARY KEY,
    client_id      BIGINT NOT NULL,
    version        BIGINT NOT NULL,
    kind           TEXT COLLATE "C" NOT NULL,
    effective_date TEXT COLLATE "C" NOT NULL,
    recorded_at    TEXT COLLATE "C" NOT NULL,
    actor_user     TEXT COLLATE "C" NOT NULL,
    actor_role     TEXT COLLATE "C" NOT NULL,
    actor_org      TEXT COLLATE "C" NOT NULL,
    payload        TEXT COLLATE "C" NOT NULL,
    CONSTRAINT events_client_version UNIQUE (client_id, version)
);

-- Idempotency keys: a retried command is recognised and never written twice.
CREATE TABLE commands (
    idempotency_key TEXT COLLATE "C" PRIMARY KEY,
    client_id       BIGINT NOT NULL,
    fingerprint     TEXT COLLATE "C" NOT NULL,
    version         BIGINT NOT NULL,
    first_seq       BIGINT NOT NULL,
    last_seq        BIGINT NOT NULL
);

-- Identity lives here only; everything analytical uses client_id.
CREATE TABLE persons (
    client_id     BIGINT PRIMARY KEY,
    bsn           TEXT COLLATE "C" NOT NULL,
    voornaam      TEXT COLLATE "C" NOT NULL,
    achternaam    TEXT COLLATE "C" NOT NULL,
    geboortedatum TEXT COLLATE "C" NOT NULL,
    synthetic     BOOLEAN NOT NULL CHECK (synthetic),
    CONSTRAINT persons_bsn UNIQUE (bsn)
);

-- Projections, rebuilt from the log by `vangnet rebuild`.
CREATE TABLE client_state (
    client_id BIGINT PRIMARY KEY,
    region    TEXT COLLATE "C" NOT NULL,
    version   BIGINT NOT NULL,
    phase     TEXT COLLATE "C" NOT NULL,
    herkomst  TEXT COLLATE "C",
    product   TEXT COLLATE "C",
    location  TEXT COLLATE "C",
    provider  TEXT COLLATE "C",
    state     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX client_state_region_phase ON client_state (region, phase, herkomst, product);

CREATE TABLE occupancy (
    region   TEXT COLLATE "C" NOT NULL,
    location TEXT COLLATE "C" NOT NULL,
    product  TEXT COLLATE "C" NOT NULL,
    clients  BIGINT NOT NULL,
    PRIMARY KEY (region, location, product)
);

CREATE TABLE waitlist (
    client_id BIGINT PRIMARY KEY,
    region    TEXT COLLATE "C" NOT NULL,
    product   TEXT COLLATE "C" NOT NULL,
    since     TEXT COLLATE "C" NOT NULL,
    priority  BIGINT NOT NULL
);
CREATE INDEX waitlist_order ON waitlist (region, priority DESC, since, client_id);

-- NEN 7513 access log: who, which client, what, when, why — refusals included.
CREATE TABLE access_log (
    id           BIGSERIAL PRIMARY KEY,
    at           TEXT COLLATE "C" NOT NULL,
    actor_user   TEXT COLLATE "C" NOT NULL,
    actor_role   TEXT COLLATE "C" NOT NULL,
    actor_org    TEXT COLLATE "C" NOT NULL,
    client_id    BIGINT,
    action       TEXT COLLATE "C" NOT NULL,
    purpose      TEXT COLLATE "C" NOT NULL,
    allowed      BOOLEAN NOT NULL,
    reason       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX access_log_client ON access_log (client_id);
