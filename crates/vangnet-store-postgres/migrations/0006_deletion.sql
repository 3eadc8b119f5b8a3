-- Vangnet schema v6 (PostgreSQL): deleting a client's data past its retention period — the
-- same tables and meaning as the SQLite engine's 0006_deletion.sql (read its comments).
-- Migration 0005 is the accounts' (another branch); the engine applies whichever is missing.

CREATE TABLE deleted_clients (
    client_id  BIGINT PRIMARY KEY,
    seq        BIGINT NOT NULL UNIQUE,
    deleted_at TEXT COLLATE "C" NOT NULL,
    events     BIGINT NOT NULL
);

CREATE FUNCTION deleted_clients_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'verwijderde cliënten: % op % is niet toegestaan (het nummer komt niet terug)', TG_OP, TG_TABLE_NAME;
END $$;

CREATE TRIGGER deleted_clients_guard BEFORE UPDATE OR DELETE ON deleted_clients
    FOR EACH ROW EXECUTE FUNCTION deleted_clients_refuse();
CREATE TRIGGER deleted_clients_no_truncate BEFORE TRUNCATE ON deleted_clients
    FOR EACH STATEMENT EXECUTE FUNCTION deleted_clients_refuse();

-- The backstop: no event or person under a deleted client's id, whatever the path (append,
-- COPY of an import, person registration). One check per statement over the rows it
-- inserted (a transition table), so a COPY of many rows pays one join, not one per row.
CREATE FUNCTION not_for_deleted_clients() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted_clients d ON d.client_id = i.client_id) THEN
        RAISE EXCEPTION 'cliënt is verwijderd na de bewaartermijn: geen nieuwe gegevens onder dit nummer (%)', TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER events_not_for_deleted_clients AFTER INSERT ON events
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION not_for_deleted_clients();
CREATE TRIGGER persons_not_for_deleted_clients AFTER INSERT ON persons
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION not_for_deleted_clients();

CREATE TABLE monitor_archive (
    region   TEXT    COLLATE "C" NOT NULL,
    measure  TEXT    COLLATE "C" NOT NULL,
    maand    INTEGER NOT NULL,
    product  TEXT    COLLATE "C" NOT NULL,
    gemeente TEXT    COLLATE "C" NOT NULL,
    locatie  TEXT    COLLATE "C" NOT NULL,
    extra    INTEGER NOT NULL,
    n        BIGINT  NOT NULL,
    PRIMARY KEY (region, measure, maand, product, gemeente, locatie, extra)
);

CREATE FUNCTION monitor_archive_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'monitorarchief: % is niet toegestaan', TG_OP;
END $$;

CREATE TRIGGER monitor_archive_no_delete BEFORE DELETE ON monitor_archive
    FOR EACH ROW EXECUTE FUNCTION monitor_archive_refuse();
CREATE TRIGGER monitor_archive_no_truncate BEFORE TRUNCATE ON monitor_archive
    FOR EACH STATEMENT EXECUTE FUNCTION monitor_archive_refuse();

-- A deletion removes a client's idempotency receipts: find them without a full scan.
CREATE INDEX commands_client ON commands (client_id);
