-- Vangnet schema v7 (PostgreSQL): the auditor's `/toegangslog` filters (period, user,
-- organisation, role) in SQL. Rows are read newest first (by id); a period narrows by `at`
-- (RFC 3339 UTC text under COLLATE "C", which orders correctly), the actor filters by their own index.
CREATE INDEX access_log_at ON access_log (at);
CREATE INDEX access_log_actor_user ON access_log (actor_user, id);
CREATE INDEX access_log_actor_org ON access_log (actor_org, id);
CREATE INDEX access_log_actor_role ON access_log (actor_role, id);
