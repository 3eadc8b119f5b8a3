-- Vangnet schema v8 (PostgreSQL): decision letters (feat/brief) — the same table and meaning
-- as the SQLite engine's 0008_letters.sql (read its comments).
CREATE TABLE letters (
    client_id  BIGINT NOT NULL,
    version    INTEGER NOT NULL,
    kenmerk    TEXT COLLATE "C" NOT NULL,
    datum      TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    content    TEXT NOT NULL,
    pdf        BYTEA NOT NULL,
    sha256     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (client_id, version)
);
