-- Vangnet schema v18 (SQLite): a corporation's housing candidates (issue 15, feat/corporatie).
-- One row per (gemeente, client) for everyone who is or will be a housing candidate
-- (`vangnet_store::wonen::kandidaat_rows`): the gemeenten of preference of the housing need
-- (without one: the gemeente of origin) and the gemeente of a running offer, with the date
-- from which the person is a candidate (`vanaf`), the date ready (`klaar`, the list's order)
-- and the need's woningtype and route (the list's filters), and the corporation whose offer
-- is running (its offers list). Written with the client's state
-- (append, import, rebuild, planned refresh), removed with the client.
CREATE TABLE woon_kandidaat (
    gemeente   TEXT    NOT NULL,
    client_id  INTEGER NOT NULL,
    regio      TEXT    NOT NULL,
    vanaf      TEXT    NOT NULL,
    klaar      TEXT    NOT NULL,
    woningtype TEXT,
    route      TEXT,
    aanbod     TEXT,
    PRIMARY KEY (gemeente, client_id)
) WITHOUT ROWID;
CREATE INDEX woon_kandidaat_client ON woon_kandidaat (client_id);
-- A corporation's running offers (its offers list).
CREATE INDEX woon_kandidaat_aanbod ON woon_kandidaat (aanbod, client_id) WHERE aanbod IS NOT NULL;
-- Existing states: before issue 15 only `uitstroomklaar` makes a candidate (no housing need,
-- no offer), seen by the corporations of the gemeente of origin. A rebuild writes the rest.
INSERT OR IGNORE INTO woon_kandidaat (gemeente, client_id, regio, vanaf, klaar)
    SELECT herkomst, client_id, region, json_extract(state, '$.uitstroomklaar'), json_extract(state, '$.uitstroomklaar')
    FROM client_state
    WHERE herkomst IS NOT NULL
      AND json_extract(state, '$.uitstroomklaar') IS NOT NULL
      AND json_extract(state, '$.zorg') IS NOT NULL
      AND json_extract(state, '$.gehuisvest') IS NULL
      AND json_extract(state, '$.woonbehoefte') IS NULL
      AND json_extract(state, '$.aanbod') IS NULL;
