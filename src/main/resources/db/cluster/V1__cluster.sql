-- The tables the nodes of a cluster share, in the store's own schema (PostgreSQL only).

-- db-scheduler's table, in the shape its PostgreSQL dialect reads and writes: one execution per connection, picked
-- by the node that holds the connection, kept alive by that node's heartbeat.
CREATE TABLE scheduled_tasks (
    task_name            TEXT NOT NULL,
    task_instance        TEXT NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);

-- Every node, with its own heartbeat: how many nodes are alive sets each one's fair share of the connections, and
-- the dashboard lists them.
CREATE TABLE cluster_nodes (
    name       TEXT PRIMARY KEY,
    url        TEXT,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat  TIMESTAMP WITH TIME ZONE NOT NULL
);
