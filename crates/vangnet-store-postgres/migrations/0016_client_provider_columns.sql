-- Vangnet schema v16 (PostgreSQL): feat/portaal (issue 14), measured on the national
-- benchmark database (BENCHMARKS.md, plaatsen-bench). The provider portal counts and
-- selects a provider's clients on columns of `client_provider` instead of reading and
-- parsing every stored state of the provider (`vangnet_store::projection::ProviderRow`):
--   leest             the access policy lets this provider read the client (false only for
--                     the provider of a temporary stay that outlived the care)
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
    agb               TEXT COLLATE "C" NOT NULL,
    client_id         BIGINT  NOT NULL,
    leest             BOOLEAN NOT NULL,
    zorg_locatie      TEXT COLLATE "C",
    voorstel_locatie  TEXT COLLATE "C",
    tijdelijk_locatie TEXT COLLATE "C",
    voorstel_tot      TEXT COLLATE "C",
    verzoek           BOOLEAN NOT NULL,
    taak_tot          TEXT COLLATE "C",
    PRIMARY KEY (agb, client_id)
);
CREATE INDEX client_provider_client ON client_provider (client_id);
-- vangnet:fill-provider-rows
