-- Vangnet schema v6 (SQLite): deleting a client's data past its retention period
-- (vangnet_store::deletion; the periods are vangnet_domain::retention). Migration 0005 is
-- the accounts' (another branch); the engine applies whichever is missing, in order.

-- One row per deleted client: its id is never given out again (`next_client_id` stays above
-- it, no event or person may be stored under it), and the deletion took the number `seq` in
-- the log's sequence, so the log's high-water mark rises with a deletion and no event
-- number is used twice. No personal data: the id is pseudonymous, `events` a count.
CREATE TABLE deleted_clients (
    client_id  INTEGER PRIMARY KEY,
    seq        INTEGER NOT NULL UNIQUE,
    deleted_at TEXT    NOT NULL,
    events     INTEGER NOT NULL
);

CREATE TRIGGER deleted_clients_no_update BEFORE UPDATE ON deleted_clients
BEGIN
    SELECT RAISE(ABORT, 'verwijderde cliënten: een rij wijzigen is niet toegestaan');
END;

CREATE TRIGGER deleted_clients_no_delete BEFORE DELETE ON deleted_clients
BEGIN
    SELECT RAISE(ABORT, 'verwijderde cliënten: een rij verwijderen is niet toegestaan (het nummer komt niet terug)');
END;

-- The backstop behind the store's own checks: a person registration cannot bring a deleted
-- client back. (For events the engine checks instead: `append` refuses a new stream under a
-- deleted id, and an import checks its rows in one query before it commits — a trigger per
-- event row cost ~8 % of an import, measured.)
CREATE TRIGGER persons_not_for_deleted_clients BEFORE INSERT ON persons
WHEN EXISTS (SELECT 1 FROM deleted_clients WHERE client_id = NEW.client_id)
BEGIN
    SELECT RAISE(ABORT, 'cliënt is verwijderd na de bewaartermijn: geen persoon onder dit nummer');
END;

-- The monitor's cells as the deleted clients contributed them (anonymous counts, summed over
-- every deleted client; no client id). The monitor keeps these counts; a rebuild recomputes
-- the monitor from the remaining events and adds this archive, so it gives the same
-- figures. Rows are only added to (a deletion upserts n = n + its share); never deleted.
CREATE TABLE monitor_archive (
    region   TEXT    NOT NULL,
    measure  TEXT    NOT NULL,
    maand    INTEGER NOT NULL,
    product  TEXT    NOT NULL,
    gemeente TEXT    NOT NULL,
    locatie  TEXT    NOT NULL,
    extra    INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (region, measure, maand, product, gemeente, locatie, extra)
) WITHOUT ROWID;

CREATE TRIGGER monitor_archive_no_delete BEFORE DELETE ON monitor_archive
BEGIN
    SELECT RAISE(ABORT, 'monitorarchief: rijen verwijderen is niet toegestaan');
END;

-- A deletion removes a client's idempotency receipts: find them without a full scan.
CREATE INDEX commands_client ON commands (client_id);
