-- Vangnet schema v13 (SQLite): places over time (issue 14). Capacity periods of a location ×
-- product entered by the region's access team or the location's provider, and free places
-- reported. Not client data. Append-only: a change is a new period, never an edit (triggers
-- refuse UPDATE and DELETE); each row names who recorded it and when, and the access log has
-- a row for every decision (actions capaciteit_vastleggen, plaats_melden). The rules (who,
-- checks, no overlap, a repeated submit writing nothing) are vangnet-store's `plaatsen`; the
-- unique indexes are the backstop against the same row twice.
CREATE TABLE capaciteit_periode (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region      TEXT NOT NULL,
    location    TEXT NOT NULL,
    product     TEXT NOT NULL,
    vanaf       TEXT NOT NULL,
    tot         TEXT,
    plaatsen    INTEGER NOT NULL CHECK (plaatsen >= 0),
    soort       TEXT NOT NULL CHECK (soort IN ('opening', 'sluiting', 'ombouw', 'afbouw', 'opbouw', 'tijdelijk', 'wijziging')),
    reden       TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX capaciteit_periode_region ON capaciteit_periode (region, id);
-- Two periods of one location × product never share a start (the overlap rule).
CREATE UNIQUE INDEX capaciteit_periode_once ON capaciteit_periode (region, location, product, vanaf);

CREATE TRIGGER capaciteit_periode_no_update BEFORE UPDATE ON capaciteit_periode
BEGIN
    SELECT RAISE(ABORT, 'plaatsen: een vastgelegde capaciteitsperiode wijzigen is niet toegestaan (leg een nieuwe periode vast)');
END;

CREATE TRIGGER capaciteit_periode_no_delete BEFORE DELETE ON capaciteit_periode
BEGIN
    SELECT RAISE(ABORT, 'plaatsen: een vastgelegde capaciteitsperiode verwijderen is niet toegestaan');
END;

CREATE TABLE plaats_melding (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region      TEXT NOT NULL,
    location    TEXT NOT NULL,
    product     TEXT NOT NULL,
    datum       TEXT NOT NULL,
    aantal      INTEGER NOT NULL CHECK (aantal > 0),
    toelichting TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX plaats_melding_region ON plaats_melding (region, id);
CREATE UNIQUE INDEX plaats_melding_once ON plaats_melding (region, location, product, datum, aantal, toelichting);

CREATE TRIGGER plaats_melding_no_update BEFORE UPDATE ON plaats_melding
BEGIN
    SELECT RAISE(ABORT, 'plaatsen: een plaatsmelding wijzigen is niet toegestaan');
END;

CREATE TRIGGER plaats_melding_no_delete BEFORE DELETE ON plaats_melding
BEGIN
    SELECT RAISE(ABORT, 'plaatsen: een plaatsmelding verwijderen is niet toegestaan');
END;
