-- Vangnet schema v14 (SQLite): a provider's clients (issue 14, feat/portaal). One row per
-- (provider, client) whose business the client is — allocation, care, open proposal,
-- temporary stay, open request (`vangnet_store::projection::provider_rows`) — written with
-- the client's state (append, import, rebuild, planned refresh), removed with the client.
-- `Store::provider_clients` reads a provider's rows by this key; the gate decides each client.
CREATE TABLE client_provider (
    agb       TEXT    NOT NULL,
    client_id INTEGER NOT NULL,
    PRIMARY KEY (agb, client_id)
) WITHOUT ROWID;
CREATE INDEX client_provider_client ON client_provider (client_id);
-- Existing states (before issue 14 only allocation and care name a provider).
INSERT OR IGNORE INTO client_provider (agb, client_id)
    SELECT provider, client_id FROM client_state WHERE provider IS NOT NULL;
INSERT OR IGNORE INTO client_provider (agb, client_id)
    SELECT json_extract(state, '$.besluit.aanbieder'), client_id FROM client_state
    WHERE json_extract(state, '$.besluit.soort') = 'toewijzing'
      AND json_extract(state, '$.besluit.aanbieder') IS NOT NULL;
