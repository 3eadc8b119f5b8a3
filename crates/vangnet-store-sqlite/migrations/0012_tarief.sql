-- Vangnet schema v12 (SQLite): tariffs a region entered on screen (issue 13), next to the
-- tariffs of the finance profile (regions/geld/<regio>.toml). Not client data. Append-only:
-- a new price is a new period, never a change (triggers refuse UPDATE and DELETE); each row
-- names who recorded it and when, and the access log has a row for every decision
-- (action tarief_vastleggen). The rules (who, checks, overlap by the model, a repeated
-- submit writing nothing) are vangnet-store's `tarieven`; the unique index is the backstop
-- against the same tariff twice.
CREATE TABLE tarief (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    region             TEXT NOT NULL,
    product            TEXT NOT NULL,
    leveringsvorm      TEXT NOT NULL CHECK (leveringsvorm IN ('ZIN', 'PGB')),
    eenheid            TEXT NOT NULL CHECK (eenheid IN ('dag', 'week', 'maand', 'uur', 'nacht')),
    bedrag_cent        INTEGER NOT NULL CHECK (bedrag_cent > 0),
    van                TEXT NOT NULL,
    tot                TEXT,
    uren_per_week_x100 INTEGER,
    herkomst_soort     TEXT NOT NULL CHECK (herkomst_soort IN ('bron', 'aanname')),
    herkomst_tekst     TEXT NOT NULL,
    user_id            TEXT NOT NULL,
    recorded_at        TEXT NOT NULL
);
CREATE INDEX tarief_region ON tarief (region, id);
CREATE UNIQUE INDEX tarief_once ON tarief (
    region, product, leveringsvorm, eenheid, bedrag_cent, van, COALESCE(tot, ''),
    COALESCE(uren_per_week_x100, -1), herkomst_soort, herkomst_tekst
);

CREATE TRIGGER tarief_no_update BEFORE UPDATE ON tarief
BEGIN
    SELECT RAISE(ABORT, 'tarieven: een vastgelegd tarief wijzigen is niet toegestaan (leg een nieuwe periode vast)');
END;

CREATE TRIGGER tarief_no_delete BEFORE DELETE ON tarief
BEGIN
    SELECT RAISE(ABORT, 'tarieven: een vastgelegd tarief verwijderen is niet toegestaan');
END;
