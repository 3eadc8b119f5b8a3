-- Vangnet schema v9 (SQLite): stands of a region's agreed actions recorded in the app by the
-- region's coordinator (issue 12), on top of the actions file (`regions/acties/*.toml`). Not
-- client data. Append-only: every change is a new row with who and when, so the table is its
-- own history (triggers refuse UPDATE and DELETE). The newest peildatum is current (on the
-- same peildatum the later row), as for the file's statuses.
CREATE TABLE actie_stand (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region      TEXT NOT NULL,
    actie       TEXT NOT NULL,
    betreft     TEXT NOT NULL,
    stand       TEXT NOT NULL CHECK (stand IN ('gepland', 'in_uitvoering', 'gereed', 'vertraagd', 'onbekend')),
    peildatum   TEXT NOT NULL,
    toelichting TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX actie_stand_region ON actie_stand (region, id);

CREATE TRIGGER actie_stand_no_update BEFORE UPDATE ON actie_stand
BEGIN
    SELECT RAISE(ABORT, 'afgesproken acties: een vastgelegde stand wijzigen is niet toegestaan (leg een nieuwe vast)');
END;

CREATE TRIGGER actie_stand_no_delete BEFORE DELETE ON actie_stand
BEGIN
    SELECT RAISE(ABORT, 'afgesproken acties: een vastgelegde stand verwijderen is niet toegestaan');
END;
