-- Vangnet schema v20 (PostgreSQL): onderdeel_van on woningafspraak and the table of other
-- groups' use — the same meaning as the SQLite engine's 0020_woningafspraak_gebruik.sql
-- (read its comments).
ALTER TABLE woningafspraak ADD COLUMN onderdeel_van TEXT COLLATE "C";
DROP INDEX woningafspraak_once;
CREATE UNIQUE INDEX woningafspraak_once ON woningafspraak (
    region, gemeente, COALESCE(corporatie, ''), jaar, COALESCE(route, ''), woningen, soort,
    herkomst_soort, md5(herkomst_tekst), COALESCE(onderdeel_van, '')
);

CREATE TABLE woningafspraak_gebruik (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region         TEXT COLLATE "C" NOT NULL,
    afspraak       TEXT COLLATE "C" NOT NULL,
    jaar           BIGINT NOT NULL,
    maand          BIGINT CHECK (maand BETWEEN 1 AND 12),
    doelgroep      TEXT COLLATE "C" NOT NULL,
    aantal         BIGINT NOT NULL CHECK (aantal >= 0),
    herkomst_soort TEXT COLLATE "C" NOT NULL CHECK (herkomst_soort IN ('bron', 'aanname')),
    herkomst_tekst TEXT COLLATE "C" NOT NULL,
    user_id        TEXT COLLATE "C" NOT NULL,
    recorded_at    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX woningafspraak_gebruik_region ON woningafspraak_gebruik (region, id);

CREATE TRIGGER woningafspraak_gebruik_guard BEFORE UPDATE OR DELETE ON woningafspraak_gebruik
    FOR EACH ROW EXECUTE FUNCTION woningafspraak_refuse();
CREATE TRIGGER woningafspraak_gebruik_no_truncate BEFORE TRUNCATE ON woningafspraak_gebruik
    FOR EACH STATEMENT EXECUTE FUNCTION woningafspraak_refuse();
