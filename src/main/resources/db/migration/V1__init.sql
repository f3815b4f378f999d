-- crmsync store schema, version 1.
--
-- One file for SQLite and PostgreSQL, so it sticks to what both understand:
--   * TEXT, BIGINT, INTEGER and BOOLEAN only (SQLite keeps BOOLEAN as 0/1, bound through JDBC setBoolean).
--   * No AUTOINCREMENT / SERIAL / IDENTITY: ids are made by the application; the two ordering columns
--     (links.created_seq, history.seq) are filled by the store as MAX + 1 under its single writer.
--   * JSON is kept as TEXT: both databases read and write it as a plain string, and the store alone parses it.
--   * Instants are ISO-8601 UTC text with a fixed nine-digit fraction, e.g. 2024-05-01T10:15:30.123456789Z:
--     exact to the nanosecond, readable in a SQL shell, and lexical order is time order on both databases.
--   * Enums are stored by their Java constant name (ORGANISATIONS, WEBCRM, DIRTY, ...).
--   * Foreign keys to links are DEFERRABLE INITIALLY DEFERRED: inside one transaction the engine may write
--     a pending link and its outbox intent in either order; the check runs at commit.

-- Invariant 1: the durable link table shared by both directions.
CREATE TABLE links (
    id             TEXT    NOT NULL PRIMARY KEY,
    flow           TEXT    NOT NULL,
    webcrm_id      TEXT,             -- null while a create on webCRM is pending
    customcrm_id   TEXT,             -- null while a create on Customcrm is pending
    base           TEXT    NOT NULL, -- FieldValuesCodec JSON: the last agreed canonical values
    webcrm_hash    TEXT,
    customcrm_hash TEXT,
    state          TEXT    NOT NULL,
    created_seq    BIGINT  NOT NULL, -- creation order; Link carries no creation time, and clocks tie
    created_at     TEXT    NOT NULL, -- the link's updatedAt when it was first saved
    updated_at     TEXT    NOT NULL,
    -- A record belongs to at most one link per flow. NULLs are distinct on both databases, so any number of
    -- links may wait for their record on the same side.
    CONSTRAINT links_webcrm_unique UNIQUE (flow, webcrm_id),
    CONSTRAINT links_customcrm_unique UNIQUE (flow, customcrm_id)
);

CREATE INDEX links_order ON links (flow, created_seq, id);
CREATE INDEX links_created ON links (created_seq, id);

-- The inbox and mirror of both sides: every record as last read, with its place in the sync.
CREATE TABLE observed_records (
    flow            TEXT    NOT NULL,
    side            TEXT    NOT NULL,
    record_id       TEXT    NOT NULL,
    properties      TEXT    NOT NULL, -- the record's own JSON, numbers kept exact
    modified_at     TEXT,
    deleted         BOOLEAN NOT NULL,
    match_key       TEXT,
    stamp           TEXT,             -- the link id stamped on the record, if any
    status          TEXT    NOT NULL,
    reason          TEXT,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT,
    observed_at     TEXT    NOT NULL,
    PRIMARY KEY (flow, side, record_id)
);

-- First-link matching looks records up by key.
CREATE INDEX observed_match_key ON observed_records (flow, side, match_key);
-- The work queue (due) and the dead letters (withStatus) are both found by status.
CREATE INDEX observed_status ON observed_records (status, flow, observed_at);

-- Where the last complete read of each side ended (invariant 5).
CREATE TABLE cursors (
    flow     TEXT NOT NULL,
    side     TEXT NOT NULL,
    cursor TEXT NOT NULL,
    PRIMARY KEY (flow, side)
);

-- Creates whose outcome is not known yet (invariant 4).
CREATE TABLE outbox (
    link_id    TEXT NOT NULL REFERENCES links (id) DEFERRABLE INITIALLY DEFERRED,
    target     TEXT NOT NULL,
    flow       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (link_id, target)
);

-- Same-field edits on both sides (invariant 3), kept after they are settled as a record of what happened.
CREATE TABLE conflicts (
    id               TEXT NOT NULL PRIMARY KEY,
    flow             TEXT NOT NULL,
    link_id          TEXT NOT NULL REFERENCES links (id) DEFERRABLE INITIALLY DEFERRED,
    fields           TEXT NOT NULL, -- JSON list of field, base, webcrm, customcrm, winner
    webcrm_values    TEXT,          -- FieldValuesCodec JSON
    customcrm_values TEXT,          -- FieldValuesCodec JSON
    policy           TEXT,
    detected_at      TEXT NOT NULL,
    resolved_at      TEXT,          -- null while open
    resolved_by      TEXT
);

CREATE INDEX conflicts_link ON conflicts (link_id, resolved_at);
CREATE INDEX conflicts_detected ON conflicts (detected_at, id);

-- Per-link history, oldest first. seq counts per link, so writers of different links never compete for it.
CREATE TABLE history (
    link_id TEXT    NOT NULL REFERENCES links (id) DEFERRABLE INITIALLY DEFERRED,
    seq     BIGINT  NOT NULL,
    flow    TEXT    NOT NULL,
    at      TEXT    NOT NULL,
    origin  TEXT,                  -- null for crmsync's own decisions
    action  TEXT    NOT NULL,
    detail  TEXT,
    changes TEXT    NOT NULL,      -- JSON: field -> {before, after}, values as in FieldValuesCodec
    PRIMARY KEY (link_id, seq)
);
