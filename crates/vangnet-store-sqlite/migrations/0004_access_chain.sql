-- NEN 7513 access log as a tamper-evident hash chain (see vangnet_store::audit for the
-- canonical encoding). Every row gets its session and network address (NULL while unknown),
-- the previous row's hash and its own. `id` is the row's sequence number: 1, 2, 3, … without
-- gaps, assigned under the writer lock.

ALTER TABLE access_log ADD COLUMN session TEXT;
ALTER TABLE access_log ADD COLUMN address TEXT;
ALTER TABLE access_log ADD COLUMN prev_hash TEXT;
ALTER TABLE access_log ADD COLUMN hash TEXT;

-- Rows written before this migration are renumbered 1..n in their old order (ids were not
-- guaranteed gap-free) …
UPDATE access_log SET id = -id;
UPDATE access_log SET id = r.rn
  FROM (SELECT id AS old, row_number() OVER (ORDER BY id DESC) AS rn FROM access_log) AS r
  WHERE access_log.id = r.old;

-- Anchors: the hash at a sequence number (every 1,000 rows and on `vangnet audit anchor`);
-- a verification can start from one after retention deleted the rows before it.
CREATE TABLE access_anchor (
    seq  INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    at   TEXT NOT NULL
);

-- The retention permit: present only inside the transaction of `vangnet audit retention
-- --uitvoeren`, naming the anchor up to which rows may be deleted.
CREATE TABLE access_log_permit (upto INTEGER NOT NULL);

-- vangnet:chain-existing-rows
-- (Here the engine, in the same transaction, chains the rows written before this migration
-- and writes their anchors; only then are the rows made immutable below.)

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'toegangslog: een rij wijzigen is niet toegestaan (NEN 7513: alleen toevoegen)');
END;

CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
WHEN NOT EXISTS (
    SELECT 1 FROM access_log_permit p JOIN access_anchor a ON a.seq = p.upto
    WHERE OLD.id <= p.upto
)
BEGIN
    SELECT RAISE(ABORT, 'toegangslog: rijen verwijderen kan alleen via de bewaartermijn, tot een anker');
END;

CREATE TRIGGER access_anchor_no_update BEFORE UPDATE ON access_anchor
BEGIN
    SELECT RAISE(ABORT, 'toegangslog: een anker wijzigen is niet toegestaan');
END;

CREATE TRIGGER access_anchor_no_delete BEFORE DELETE ON access_anchor
BEGIN
    SELECT RAISE(ABORT, 'toegangslog: een anker verwijderen is niet toegestaan');
END;
