-- Vangnet schema v9 (PostgreSQL): stands of a region's agreed actions recorded in the app —
-- the same table and meaning as the SQLite engine's 0009_actie_stand.sql (read its comments).
-- Migrations 0008 and 0010–0012 are other branches'; the engine applies whichever is missing.
CREATE TABLE actie_stand (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region      TEXT COLLATE "C" NOT NULL,
    actie       TEXT COLLATE "C" NOT NULL,
    betreft     TEXT COLLATE "C" NOT NULL,
    stand       TEXT COLLATE "C" NOT NULL CHECK (stand IN ('gepland', 'in_uitvoering', 'gereed', 'vertraagd', 'onbekend')),
    peildatum   TEXT COLLATE "C" NOT NULL,
    toelichting TEXT COLLATE "C" NOT NULL,
    user_id     TEXT COLLATE "C" NOT NULL,
    user_name   TEXT COLLATE "C" NOT NULL,
    recorded_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX actie_stand_region ON actie_stand (region, id);

CREATE FUNCTION actie_stand_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'afgesproken acties: % op % is niet toegestaan (leg een nieuwe stand vast)', TG_OP, TG_TABLE_NAME;
END $$;

CREATE TRIGGER actie_stand_guard BEFORE UPDATE OR DELETE ON actie_stand
    FOR EACH ROW EXECUTE FUNCTION actie_stand_refuse();
CREATE TRIGGER actie_stand_no_truncate BEFORE TRUNCATE ON actie_stand
    FOR EACH STATEMENT EXECUTE FUNCTION actie_stand_refuse();
