-- Vangnet schema v15 (SQLite): feat/plaatsen (issue 14), measured on the national
-- benchmark database (BENCHMARKS.md, plaatsen-bench).
-- The few states the places overview reads besides the occupancy counters (a proposal, a
-- temporary stay, uitstroomklaar): a partial index with exactly the condition of
-- vangnet_store::plaatsen::SPECIAL_STATES, so the overview does not scan every state of the
-- region (0.74 s → 0.1 ms on the national benchmark database).
CREATE INDEX client_state_plaatsen ON client_state (region)
    WHERE (state LIKE '%"voorstel":%' OR state LIKE '%"tijdelijk":%' OR state LIKE '%"uitstroomklaar":%');
