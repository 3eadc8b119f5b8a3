-- Vangnet schema v11 (SQLite): as-of-date state (issue 12, feat/capacity). `client_state`
-- holds the state of today; `next_change` is the date (JJJJ-MM-DD) of the client's earliest
-- planned fact (dated after the day the state was folded to), NULL when none. The refresh
-- (`Store::refresh_planned`) re-folds the clients whose `next_change` has come.
ALTER TABLE client_state ADD COLUMN next_change TEXT;
CREATE INDEX client_state_next_change ON client_state (next_change) WHERE next_change IS NOT NULL;
