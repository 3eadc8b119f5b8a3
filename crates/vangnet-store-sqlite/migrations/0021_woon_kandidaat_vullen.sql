-- Vangnet schema v21 (SQLite): issue 15's closing note. Migration 0018 filled
-- `woon_kandidaat` only with the candidates an uitstroomklaar fact made; a person expected
-- ready within three months, with a housing need or holding an offer appeared only after a
-- rebuild. The engine now fills the table again from every stored state
-- (`vangnet_store::wonen::kandidaat_rows`, the code the append path and `rebuild` use) at the
-- marker below, in this migration's transaction: the rows are emptied first, so running it
-- twice gives the same rows; `schema_migrations` marks it done.
DELETE FROM woon_kandidaat;
-- vangnet:fill-kandidaat-rows
