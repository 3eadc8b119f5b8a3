-- Vangnet schema v19 (SQLite): woningafspraken a region entered on screen (issue 15), next
-- to the profile's housing_quotas. Not client data. Append-only: a change is a new row with
-- the same gemeente, corporation, year and route, which replaces the earlier one from then
-- on (vangnet-store's `woningafspraken::geldende`); triggers refuse UPDATE and DELETE. Each
-- row names who recorded it and when; the access log has a row for every decision (action
-- woningafspraak_vastleggen). The rules are vangnet-store's `woningafspraken`; the unique
-- index is the backstop against the same agreement twice.
CREATE TABLE woningafspraak (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    region         TEXT NOT NULL,
    gemeente       TEXT NOT NULL,
    corporatie     TEXT,
    jaar           INTEGER NOT NULL,
    route          TEXT CHECK (route IN ('regulier', 'housing_first', 'kamers_met_aandacht')),
    woningen       INTEGER NOT NULL CHECK (woningen >= 0),
    soort          TEXT NOT NULL,
    herkomst_soort TEXT NOT NULL CHECK (herkomst_soort IN ('bron', 'aanname')),
    herkomst_tekst TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX woningafspraak_region ON woningafspraak (region, id);
CREATE UNIQUE INDEX woningafspraak_once ON woningafspraak (
    region, gemeente, COALESCE(corporatie, ''), jaar, COALESCE(route, ''), woningen, soort,
    herkomst_soort, herkomst_tekst
);

CREATE TRIGGER woningafspraak_no_update BEFORE UPDATE ON woningafspraak
BEGIN
    SELECT RAISE(ABORT, 'woningafspraken: een vastgelegde afspraak wijzigen is niet toegestaan (leg een nieuwe vast)');
END;

CREATE TRIGGER woningafspraak_no_delete BEFORE DELETE ON woningafspraak
BEGIN
    SELECT RAISE(ABORT, 'woningafspraken: een vastgelegde afspraak verwijderen is niet toegestaan');
END;
