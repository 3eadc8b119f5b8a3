-- Vangnet schema v16 (SQLite): feat/portaal (issue 14), measured on the national benchmark
-- database (BENCHMARKS.md, plaatsen-bench). The provider portal counts and selects a
-- provider's clients on columns of `client_provider` instead of reading and parsing every
-- stored state of the provider (`vangnet_store::projection::ProviderRow`):
--   leest             the access policy lets this provider read the client (0 only for the
--                     provider of a temporary stay that outlived the care)
--   zorg_locatie, voorstel_locatie, tijdelijk_locatie   the client's locations (one
--                     location's page narrows on them)
--   voorstel_tot      term of a proposal to this provider it has not answered
--   verzoek           this provider has an open request for the client
--   taak_tot          earliest due date of a task that is the provider's business
-- The table is made again with the columns; the engine fills it from every stored state
-- (`projection::provider_rows`, the code the append path and `rebuild` use) at the marker
-- below, in this migration's transaction.
DROP TABLE client_provider;
CREATE TABLE client_provider (
    agb               TEXT    NOT NULL,
    client_id         INTEGER NOT NULL,
    leest             INTEGER NOT NULL,
    zorg_locatie      TEXT,
    voorstel_locatie  TEXT,
    tijdelijk_locatie TEXT,
    voorstel_tot      TEXT,
    verzoek           INTEGER NOT NULL,
    taak_tot          TEXT,
    PRIMARY KEY (agb, client_id)
) WITHOUT ROWID;
CREATE INDEX client_provider_client ON client_provider (client_id);
-- vangnet:fill-provider-rows
