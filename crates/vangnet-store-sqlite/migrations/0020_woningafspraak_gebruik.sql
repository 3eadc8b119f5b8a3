-- Vangnet schema v20 (SQLite), issue 15 (feat/afspraken2): an agreement may name the one it is
-- part of (onderdeel_van: the parent's key text "GM0268/2025/*/*", so a part is not counted
-- twice in totals), and the competing groups' use of an agreement's homes. The rules are
-- vangnet-store's `woningafspraken` (decide, decide_gebruik); the unique indexes are the
-- backstop against the same row twice.
ALTER TABLE woningafspraak ADD COLUMN onderdeel_van TEXT;
DROP INDEX woningafspraak_once;
CREATE UNIQUE INDEX woningafspraak_once ON woningafspraak (
    region, gemeente, COALESCE(corporatie, ''), jaar, COALESCE(route, ''), woningen, soort,
    herkomst_soort, herkomst_tekst, COALESCE(onderdeel_van, '')
);

-- How many of an agreement's homes went to other target groups (statushouders, mantelzorg,
-- overig …) in a month (maand 1–12) or a whole year (maand NULL), as the corporation
-- reported it. Not client data. Append-only: a correction is a new row with the same
-- agreement, period and target group, which replaces the earlier one from then on
-- (vangnet-domain's `woningafspraken::geldend_ander_gebruik`). The access log has a row for
-- every decision (action woningafspraak_gebruik_vastleggen).
CREATE TABLE woningafspraak_gebruik (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    region         TEXT NOT NULL,
    afspraak       TEXT NOT NULL,
    jaar           INTEGER NOT NULL,
    maand          INTEGER CHECK (maand BETWEEN 1 AND 12),
    doelgroep      TEXT NOT NULL,
    aantal         INTEGER NOT NULL CHECK (aantal >= 0),
    herkomst_soort TEXT NOT NULL CHECK (herkomst_soort IN ('bron', 'aanname')),
    herkomst_tekst TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX woningafspraak_gebruik_region ON woningafspraak_gebruik (region, id);

CREATE TRIGGER woningafspraak_gebruik_no_update BEFORE UPDATE ON woningafspraak_gebruik
BEGIN
    SELECT RAISE(ABORT, 'woningafspraken: een vastgelegd gebruik wijzigen is niet toegestaan (leg een nieuw cijfer vast)');
END;

CREATE TRIGGER woningafspraak_gebruik_no_delete BEFORE DELETE ON woningafspraak_gebruik
BEGIN
    SELECT RAISE(ABORT, 'woningafspraken: een vastgelegd gebruik verwijderen is niet toegestaan');
END;
