-- Vangnet schema v10 (SQLite): finding people (`/zoeken`, issue 12). A BSN has its unique
-- index and a client number is the key; a search by name and birth date narrows by the
-- birth date (exact), then compares the names case- and accent-insensitively in the store.
CREATE INDEX persons_geboortedatum ON persons (geboortedatum);
