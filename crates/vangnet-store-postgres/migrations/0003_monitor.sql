-- Vangnet schema v3 (PostgreSQL): the monitor's counters (vangnet_domain::monitor). One row per
-- cell; stocks are net flows per month (the month-end stock is the running sum). Maintained in
-- the same transaction as every append, import and rebuild.
CREATE TABLE monitor (
    region   TEXT    COLLATE "C" NOT NULL,
    measure  TEXT    COLLATE "C" NOT NULL,
    maand    INTEGER NOT NULL,
    product  TEXT    COLLATE "C" NOT NULL,
    gemeente TEXT    COLLATE "C" NOT NULL,
    locatie  TEXT    COLLATE "C" NOT NULL,
    extra    INTEGER NOT NULL,
    n        BIGINT  NOT NULL,
    PRIMARY KEY (region, measure, maand, product, gemeente, locatie, extra)
);
