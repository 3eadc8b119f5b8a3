-- Vangnet schema v3 (SQLite): the monitor's counters (vangnet_domain::monitor). One row per
-- cell; stocks are net flows per month (the month-end stock is the running sum). Maintained in
-- the same transaction as every append, import and rebuild.
CREATE TABLE monitor (
    region   TEXT    NOT NULL,
    measure  TEXT    NOT NULL,
    maand    INTEGER NOT NULL,
    product  TEXT    NOT NULL,
    gemeente TEXT    NOT NULL,
    locatie  TEXT    NOT NULL,
    extra    INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (region, measure, maand, product, gemeente, locatie, extra)
) WITHOUT ROWID;
