-- Vangnet schema v13 (PostgreSQL): places over time (issue 14) — the same tables and meaning
-- as the SQLite engine's 0013_plaatsen.sql (read its comments). The unique index of a report
-- takes the explanation's md5 (a btree entry is limited to about 2.7 kB).
CREATE TABLE capaciteit_periode (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region      TEXT COLLATE "C" NOT NULL,
    location    TEXT COLLATE "C" NOT NULL,
    product     TEXT COLLATE "C" NOT NULL,
    vanaf       TEXT COLLATE "C" NOT NULL,
    tot         TEXT COLLATE "C",
    plaatsen    BIGINT NOT NULL CHECK (plaatsen >= 0),
    soort       TEXT COLLATE "C" NOT NULL CHECK (soort IN ('opening', 'sluiting', 'ombouw', 'afbouw', 'opbouw', 'tijdelijk', 'wijziging')),
    reden       TEXT COLLATE "C" NOT NULL,
    user_id     TEXT COLLATE "C" NOT NULL,
    recorded_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX capaciteit_periode_region ON capaciteit_periode (region, id);
CREATE UNIQUE INDEX capaciteit_periode_once ON capaciteit_periode (region, location, product, vanaf);

CREATE TABLE plaats_melding (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region      TEXT COLLATE "C" NOT NULL,
    location    TEXT COLLATE "C" NOT NULL,
    product     TEXT COLLATE "C" NOT NULL,
    datum       TEXT COLLATE "C" NOT NULL,
    aantal      BIGINT NOT NULL CHECK (aantal > 0),
    toelichting TEXT COLLATE "C" NOT NULL,
    user_id     TEXT COLLATE "C" NOT NULL,
    recorded_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX plaats_melding_region ON plaats_melding (region, id);
CREATE UNIQUE INDEX plaats_melding_once ON plaats_melding (region, location, product, datum, aantal, md5(toelichting));

CREATE FUNCTION plaatsen_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'plaatsen: % op % is niet toegestaan (leg een nieuwe periode of melding vast)', TG_OP, TG_TABLE_NAME;
END $$;

CREATE TRIGGER capaciteit_periode_guard BEFORE UPDATE OR DELETE ON capaciteit_periode
    FOR EACH ROW EXECUTE FUNCTION plaatsen_refuse();
CREATE TRIGGER capaciteit_periode_no_truncate BEFORE TRUNCATE ON capaciteit_periode
    FOR EACH STATEMENT EXECUTE FUNCTION plaatsen_refuse();
CREATE TRIGGER plaats_melding_guard BEFORE UPDATE OR DELETE ON plaats_melding
    FOR EACH ROW EXECUTE FUNCTION plaatsen_refuse();
CREATE TRIGGER plaats_melding_no_truncate BEFORE TRUNCATE ON plaats_melding
    FOR EACH STATEMENT EXECUTE FUNCTION plaatsen_refuse();
