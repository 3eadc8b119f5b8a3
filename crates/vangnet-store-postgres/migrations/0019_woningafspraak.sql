-- Vangnet schema v19 (PostgreSQL): woningafspraken a region entered on screen — the same
-- table and meaning as the SQLite engine's 0019_woningafspraak.sql (read its comments). The
-- unique index takes the herkomst text's md5 (a btree entry is limited to about 2.7 kB).
CREATE TABLE woningafspraak (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region         TEXT COLLATE "C" NOT NULL,
    gemeente       TEXT COLLATE "C" NOT NULL,
    corporatie     TEXT COLLATE "C",
    jaar           BIGINT NOT NULL,
    route          TEXT COLLATE "C" CHECK (route IN ('regulier', 'housing_first', 'kamers_met_aandacht')),
    woningen       BIGINT NOT NULL CHECK (woningen >= 0),
    soort          TEXT COLLATE "C" NOT NULL,
    herkomst_soort TEXT COLLATE "C" NOT NULL CHECK (herkomst_soort IN ('bron', 'aanname')),
    herkomst_tekst TEXT COLLATE "C" NOT NULL,
    user_id        TEXT COLLATE "C" NOT NULL,
    recorded_at    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX woningafspraak_region ON woningafspraak (region, id);
CREATE UNIQUE INDEX woningafspraak_once ON woningafspraak (
    region, gemeente, COALESCE(corporatie, ''), jaar, COALESCE(route, ''), woningen, soort,
    herkomst_soort, md5(herkomst_tekst)
);

CREATE FUNCTION woningafspraak_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'woningafspraken: % op % is niet toegestaan (leg een nieuwe afspraak vast)', TG_OP, TG_TABLE_NAME;
END $$;

CREATE TRIGGER woningafspraak_guard BEFORE UPDATE OR DELETE ON woningafspraak
    FOR EACH ROW EXECUTE FUNCTION woningafspraak_refuse();
CREATE TRIGGER woningafspraak_no_truncate BEFORE TRUNCATE ON woningafspraak
    FOR EACH STATEMENT EXECUTE FUNCTION woningafspraak_refuse();
