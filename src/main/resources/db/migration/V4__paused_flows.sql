-- crmsync store schema, version 4: what a person decided about the service's flows. Same rules as V1.

-- A flow a person paused (dashboard, API or `crmsync pause`) stays paused across a restart until resumed;
-- a flow without a row here runs on its schedule.
CREATE TABLE paused_flows (
    flow      TEXT NOT NULL PRIMARY KEY,
    paused_at TEXT NOT NULL
);
