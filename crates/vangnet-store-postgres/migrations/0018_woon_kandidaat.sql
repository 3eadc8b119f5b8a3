-- Vangnet schema v18 (PostgreSQL): a corporation's housing candidates (issue 15,
-- feat/corporatie). One row per (gemeente, client) for everyone who is or will be a housing
-- candidate (`vangnet_store::wonen::kandidaat_rows`): the gemeenten of preference of the
-- housing need (without one: the gemeente of origin) and the gemeente of a running offer,
-- with the date from which the person is a candidate (`vanaf`), the date ready (`klaar`, the
-- list's order) and the need's woningtype and route (the list's filters), and the corporation whose offer
-- is running (its offers list). Written with the
-- client's state (append, import, rebuild, planned refresh), removed with the client.
CREATE TABLE woon_kandidaat (
    gemeente   TEXT COLLATE "C" NOT NULL,
    client_id  BIGINT NOT NULL,
    regio      TEXT COLLATE "C" NOT NULL,
    vanaf      TEXT COLLATE "C" NOT NULL,
    klaar      TEXT COLLATE "C" NOT NULL,
    woningtype TEXT COLLATE "C",
    route      TEXT COLLATE "C",
    aanbod     TEXT COLLATE "C",
    PRIMARY KEY (gemeente, client_id)
);
CREATE INDEX woon_kandidaat_client ON woon_kandidaat (client_id);
-- A corporation's running offers (its offers list).
CREATE INDEX woon_kandidaat_aanbod ON woon_kandidaat (aanbod, client_id) WHERE aanbod IS NOT NULL;
-- Existing states: before issue 15 only `uitstroomklaar` makes a candidate (no housing need,
-- no offer), seen by the corporations of the gemeente of origin. A rebuild writes the rest.
INSERT INTO woon_kandidaat (gemeente, client_id, regio, vanaf, klaar)
    SELECT herkomst, client_id, region, (state::jsonb) ->> 'uitstroomklaar', (state::jsonb) ->> 'uitstroomklaar'
    FROM client_state
    WHERE herkomst IS NOT NULL
      AND (state::jsonb) ->> 'uitstroomklaar' IS NOT NULL
      AND (state::jsonb) -> 'zorg' IS NOT NULL AND (state::jsonb) -> 'zorg' <> 'null'::jsonb
      AND ((state::jsonb) -> 'gehuisvest' IS NULL OR (state::jsonb) -> 'gehuisvest' = 'null'::jsonb)
      AND ((state::jsonb) -> 'woonbehoefte' IS NULL OR (state::jsonb) -> 'woonbehoefte' = 'null'::jsonb)
      AND ((state::jsonb) -> 'aanbod' IS NULL OR (state::jsonb) -> 'aanbod' = 'null'::jsonb)
    ON CONFLICT DO NOTHING;
