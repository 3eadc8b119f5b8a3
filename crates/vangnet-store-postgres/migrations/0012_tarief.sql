-- Vangnet schema v12 (PostgreSQL): tariffs a region entered on screen — the same table and
-- meaning as the SQLite engine's 0012_tarief.sql (read its comments). The unique index takes
-- the herkomst text's md5 (a btree entry is limited to about 2.7 kB; the text may be 2,000
-- characters).
CREATE TABLE tarief (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region             TEXT COLLATE "C" NOT NULL,
    product            TEXT COLLATE "C" NOT NULL,
    leveringsvorm      TEXT COLLATE "C" NOT NULL CHECK (leveringsvorm IN ('ZIN', 'PGB')),
    eenheid            TEXT COLLATE "C" NOT NULL CHECK (eenheid IN ('dag', 'week', 'maand', 'uur', 'nacht')),
    bedrag_cent        BIGINT NOT NULL CHECK (bedrag_cent > 0),
    van                TEXT COLLATE "C" NOT NULL,
    tot                TEXT COLLATE "C",
    uren_per_week_x100 BIGINT,
    herkomst_soort     TEXT COLLATE "C" NOT NULL CHECK (herkomst_soort IN ('bron', 'aanname')),
    herkomst_tekst     TEXT COLLATE "C" NOT NULL,
    user_id            TEXT COLLATE "C" NOT NULL,
    recorded_at        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX tarief_region ON tarief (region, id);
CREATE UNIQUE INDEX tarief_once ON tarief (
    region, product, leveringsvorm, eenheid, bedrag_cent, van, COALESCE(tot, ''),
    COALESCE(uren_per_week_x100, -1), herkomst_soort, md5(herkomst_tekst)
);

CREATE FUNCTION tarief_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tarieven: % op % is niet toegestaan (leg een nieuwe periode vast)', TG_OP, TG_TABLE_NAME;
END $$;

CREATE TRIGGER tarief_guard BEFORE UPDATE OR DELETE ON tarief
    FOR EACH ROW EXECUTE FUNCTION tarief_refuse();
CREATE TRIGGER tarief_no_truncate BEFORE TRUNCATE ON tarief
    FOR EACH STATEMENT EXECUTE FUNCTION tarief_refuse();
