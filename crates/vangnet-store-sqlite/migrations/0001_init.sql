-- Vangnet schema v1 (SQLite). Migrations are append-only: never edit an applied one.

-- The log: append-only, one stream per client.
CREATE TABLE events (
    seq            INTEGER PRIMARY KEY,
    client_id      INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    kind           TEXT    NOT NULL,
    effective_date TEXT    NOT NULL,
    recorded_at    TEXT    NOT NULL,
    actor_user     TEXT    NOT NULL,
    actor_role     TEXT    NOT NULL,
    actor_org      TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    UNIQUE (client_id, version)
);

-- Idempotency keys: a retried command is recognised and never written twice.
CREATE TABLE commands (
    idempotency_key TEXT PRIMARY KEY,
    client_id       INTEGER NOT NULL,
    fingerprint     TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    first_seq       INTEGER NOT NULL,
    last_seq        INTEGER NOT NULL
);

-- Identity lives here only; everything analytical uses client_id.
CREATE TABLE persons (
    client_id     INTEGER PRIMARY KEY,
    bsn           TEXT    NOT NULL UNIQUE,
    voornaam      TEXT    NOT NULL,
    achternaam    TEXT    NOT NULL,
    geboortedatum TEXT    NOT NULL,
    synthetic     INTEGER NOT NULL CHECK (synthetic = 1)
);

-- Projections, rebuilt from the log by `vangnet rebuild`.
CREATE TABLE client_state (
    client_id INTEGER PRIMARY KEY,
    region    TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    phase     TEXT    NOT NULL,
    herkomst  TEXT,
    product   TEXT,
    location  TEXT,
    provider  TEXT,
    state     TEXT    NOT NULL
);
CREATE INDEX client_state_region_phase ON client_state (region, phase, herkomst, product);

CREATE TABLE occupancy (
    region   TEXT    NOT NULL,
    location TEXT    NOT NULL,
    product  TEXT    NOT NULL,
    clients  INTEGER NOT NULL,
    PRIMARY KEY (region, location, product)
);

CREATE TABLE waitlist (
    client_id INTEGER PRIMARY KEY,
    region    TEXT    NOT NULL,
    product   TEXT    NOT NULL,
    since     TEXT    NOT NULL,
    priority  INTEGER NOT NULL
);
CREATE INDEX waitlist_order ON waitlist (region, priority DESC, since, client_id);

-- NEN 7513 access log: who, which client, what, when, why — refusals included.
CREATE TABLE access_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT    NOT NULL,
    actor_user   TEXT    NOT NULL,
    actor_role   TEXT    NOT NULL,
    actor_org    TEXT    NOT NULL,
    client_id    INTEGER,
    action       TEXT    NOT NULL,
    purpose      TEXT    NOT NULL,
    allowed      INTEGER NOT NULL,
    reason       TEXT    NOT NULL
);
CREATE INDEX access_log_client ON access_log (client_id);
