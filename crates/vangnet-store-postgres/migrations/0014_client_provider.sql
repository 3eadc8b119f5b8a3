-- Vangnet schema v14 (PostgreSQL): a provider's clients (issue 14, feat/portaal). One row per
-- (provider, client) whose business the client is — allocation, care, open proposal,
-- temporary stay, open request (`vangnet_store::projection::provider_rows`) — written with
-- the client's state (append, import, rebuild, planned refresh), removed with the client.
-- `Store::provider_clients` reads a provider's rows by this key; the gate decides each client.
CREATE TABLE client_provider (
    agb       TEXT COLLATE "C" NOT NULL,
    client_id BIGINT NOT NULL,
    PRIMARY KEY (agb, client_id)
);
CREATE INDEX client_provider_client ON client_provider (client_id);
-- Existing states (before issue 14 only allocation and care name a provider).
INSERT INTO client_provider (agb, client_id)
    SELECT provider, client_id FROM client_state WHERE provider IS NOT NULL
    ON CONFLICT DO NOTHING;
INSERT INTO client_provider (agb, client_id)
    SELECT (state::jsonb) -> 'besluit' ->> 'aanbieder', client_id FROM client_state
    WHERE (state::jsonb) -> 'besluit' ->> 'soort' = 'toewijzing'
      AND (state::jsonb) -> 'besluit' ->> 'aanbieder' IS NOT NULL
    ON CONFLICT DO NOTHING;
