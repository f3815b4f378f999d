-- crmsync store schema, version 2: what the long-running service keeps. Same rules as V1.

-- One row per flow per service cycle: status after a restart, and the dashboard's charts of the last day.
CREATE TABLE cycles (
    flow         TEXT    NOT NULL,
    started_at   TEXT    NOT NULL,
    finished_at  TEXT    NOT NULL,
    trigger_kind TEXT    NOT NULL, -- schedule, hook, manual or start
    reconcile    BOOLEAN NOT NULL,
    records_read INTEGER NOT NULL,
    written      INTEGER NOT NULL,
    failed       INTEGER NOT NULL,
    max_lag_ms   BIGINT,           -- null when nothing was written
    error        TEXT,
    PRIMARY KEY (flow, started_at)
);

CREATE INDEX cycles_started ON cycles (started_at);

-- The dashboard's timeline reads the newest history entries across links.
CREATE INDEX history_at ON history (at);
