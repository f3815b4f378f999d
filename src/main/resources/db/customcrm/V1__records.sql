-- The Customcrm reference server's database. Kept apart from db/migration, which is the crmsync store's.

-- One row per record, live or deleted: a delete turns the row into a tombstone, so that the change feed can
-- still report it and ids are never reused.
CREATE TABLE records (
    type        TEXT    NOT NULL,            -- customers | contacts | products
    id          TEXT    NOT NULL,
    version     INTEGER NOT NULL,            -- 1 on create, +1 on every change including the delete
    change_seq  INTEGER NOT NULL,            -- position of the record's latest change in the feed
    deleted     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,            -- RFC 3339, UTC, milliseconds
    updated_at  TEXT    NOT NULL,
    customer_id TEXT,                        -- copies of the references in data, so that a delete can count
    contact_id  TEXT,                        -- the live records that still point at a customer or contact
    data        TEXT    NOT NULL,            -- the client fields and external_ids, as JSON
    PRIMARY KEY (type, id)
);

-- The change feed reads a type in change order; change numbers are unique across types.
CREATE UNIQUE INDEX records_change_seq ON records (change_seq);
CREATE INDEX records_by_change ON records (type, change_seq);
CREATE INDEX records_by_customer ON records (customer_id) WHERE deleted = 0;
CREATE INDEX records_by_contact ON records (contact_id) WHERE deleted = 0;

-- The external ids of live records, so that lookup is an index hit and a (key, value) pair can belong to only
-- one live record of a type.
CREATE TABLE external_ids (
    type      TEXT NOT NULL,
    ext_key   TEXT NOT NULL,
    ext_value TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (type, ext_key, ext_value)
);
CREATE INDEX external_ids_by_record ON external_ids (type, record_id);

-- Number sequences that survive a restart: 'change' numbers the feed, one per type numbers the ids.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('change', 0), ('customers', 0), ('contacts', 0), ('products', 0);

-- Creates made under an Idempotency-Key, so that a retry replays the first answer instead of creating again.
CREATE TABLE idempotency_keys (
    idempotency_key TEXT PRIMARY KEY,
    type            TEXT NOT NULL,
    request         TEXT NOT NULL,           -- the request body, to tell a retry from a reuse of the key
    answer          TEXT NOT NULL,           -- the 201 body as first sent
    created_at      TEXT NOT NULL
);
