-- Vangnet schema v2 (SQLite): the deadlines projection behind the worklist. One row per open
-- deadline of a client (vangnet_domain::worklist::deadlines_of), rebuilt from the log.
CREATE TABLE deadlines (
    client_id INTEGER NOT NULL,
    region    TEXT    NOT NULL,
    task      TEXT    NOT NULL,
    due       TEXT    NOT NULL,
    detail    TEXT    NOT NULL
);
CREATE INDEX deadlines_order ON deadlines (region, due, client_id);
CREATE INDEX deadlines_client ON deadlines (client_id);
