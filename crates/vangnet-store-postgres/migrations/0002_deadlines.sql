-- Vangnet schema v2 (PostgreSQL): the deadlines projection behind the worklist. One row per open
-- deadline of a client (vangnet_domain::worklist::deadlines_of), rebuilt from the log.
CREATE TABLE deadlines (
    client_id BIGINT  NOT NULL,
    region    TEXT    COLLATE "C" NOT NULL,
    task      TEXT    COLLATE "C" NOT NULL,
    due       TEXT    COLLATE "C" NOT NULL,
    detail    TEXT    COLLATE "C" NOT NULL
);
CREATE INDEX deadlines_order ON deadlines (region, due, client_id);
CREATE INDEX deadlines_client ON deadlines (client_id);
