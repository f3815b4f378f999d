-- crmsync store schema, version 5: updates whose outcome is not known yet. Same rules as V1.

-- Written before an update is sent and removed when its outcome is recorded (invariant 4, as the outbox does for
-- creates). A row left by a process that died in between tells the next run which values were crmsync's own, so
-- that they are not taken for an edit made on the target. One row per link: a link has one update in flight.
-- No foreign key: the link of a pair that a match just made is stored with its update's outcome, after this row.
CREATE TABLE pending_updates (
    link_id    TEXT NOT NULL PRIMARY KEY,
    flow       TEXT NOT NULL,
    targets    TEXT NOT NULL, -- the sides written, by constant name, comma-separated: WEBCRM,CUSTOMCRM
    base       TEXT NOT NULL, -- FieldValuesCodec JSON: the values the update writes
    written_at TEXT NOT NULL
);

CREATE INDEX pending_updates_by_flow ON pending_updates (flow);
