-- Vangnet schema v8 (SQLite): decision letters (feat/brief). One row per decision: the
-- client, the decision's version in the stream (the correction's version for a corrected
-- decision), kenmerk, decision date, when it was first produced, the letter model as JSON,
-- the PDF and its SHA-256 (hex, checked on every read). Written once: the first letter of a
-- decision stays, also when the region's template changes later; the row goes with the
-- client record when that is deleted after its retention period.
CREATE TABLE letters (
    client_id  INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    kenmerk    TEXT NOT NULL,
    datum      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    content    TEXT NOT NULL,
    pdf        BLOB NOT NULL,
    sha256     TEXT NOT NULL,
    PRIMARY KEY (client_id, version)
) WITHOUT ROWID;
