-- NEN 7513 access log as a tamper-evident hash chain (see vangnet_store::audit for the
-- canonical encoding). Every row gets its session and network address (NULL while unknown),
-- the previous row's hash and its own. `id` is the row's sequence number: 1, 2, 3, … without
-- gaps, assigned as max + 1 under the log's advisory lock (no longer by the sequence, which
-- leaves gaps on rollback).

ALTER TABLE access_log
    ADD COLUMN session   TEXT COLLATE "C",
    ADD COLUMN address   TEXT COLLATE "C",
    ADD COLUMN prev_hash TEXT COLLATE "C",
    ADD COLUMN hash      TEXT COLLATE "C";
ALTER TABLE access_log ALTER COLUMN id DROP DEFAULT;

-- Rows written before this migration are renumbered 1..n in their old order.
UPDATE access_log SET id = -id;
UPDATE access_log a SET id = r.rn
  FROM (SELECT id AS old, row_number() OVER (ORDER BY id DESC) AS rn FROM access_log) r
  WHERE a.id = r.old;

-- Anchors: the hash at a sequence number (every 1,000 rows and on `vangnet audit anchor`);
-- a verification can start from one after retention deleted the rows before it.
CREATE TABLE access_anchor (
    seq  BIGINT PRIMARY KEY,
    hash TEXT COLLATE "C" NOT NULL,
    at   TEXT COLLATE "C" NOT NULL
);

-- The retention permit: present only inside the transaction of `vangnet audit retention
-- --uitvoeren`, naming the anchor up to which rows may be deleted.
CREATE TABLE access_log_permit (upto BIGINT NOT NULL);

-- The head of the chain in one round trip: take the log's advisory lock (the same key as
-- `LOG_LOCK` in access.rs), then read the last row — a VOLATILE function takes a fresh
-- snapshot for each query, so under READ COMMITTED it sees every row committed before the
-- lock was granted — or, when retention left no row, the newest anchor.
CREATE FUNCTION access_log_head(OUT out_seq BIGINT, OUT out_hash TEXT)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(22088, hashtext(current_schema()));
    SELECT l.id, l.hash INTO out_seq, out_hash FROM access_log l ORDER BY l.id DESC LIMIT 1;
    IF NOT FOUND THEN
        SELECT a.seq, a.hash INTO out_seq, out_hash FROM access_anchor a ORDER BY a.seq DESC LIMIT 1;
    END IF;
END $$;

-- vangnet:chain-existing-rows
-- (Here the engine, in the same transaction, chains the rows written before this migration
-- and writes their anchors; only then are the rows made immutable below.)

CREATE FUNCTION access_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM access_log_permit p JOIN access_anchor a ON a.seq = p.upto
                   WHERE OLD.id <= p.upto) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'toegangslog: rijen verwijderen kan alleen via de bewaartermijn, tot een anker';
    END IF;
    RAISE EXCEPTION 'toegangslog: een rij wijzigen is niet toegestaan (NEN 7513: alleen toevoegen)';
END $$;

CREATE FUNCTION access_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'toegangslog: % op % is niet toegestaan', TG_OP, TG_TABLE_NAME;
END $$;

CREATE TRIGGER access_log_guard BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_guard();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse();
CREATE TRIGGER access_anchor_guard BEFORE UPDATE OR DELETE ON access_anchor
    FOR EACH ROW EXECUTE FUNCTION access_log_refuse();
CREATE TRIGGER access_anchor_no_truncate BEFORE TRUNCATE ON access_anchor
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse();
