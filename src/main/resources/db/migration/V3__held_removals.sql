-- crmsync store schema, version 3: the removals the delete circuit breaker holds back, until a person accepts or
-- rejects them (crmsync deletes). Same rules as V1.

CREATE TABLE held_removals (
    flow      TEXT    NOT NULL,
    link_id   TEXT    NOT NULL,
    seen_on   TEXT    NOT NULL, -- the side whose record was deleted: WEBCRM or CUSTOMCRM
    record_id TEXT    NOT NULL,
    summary   TEXT    NOT NULL,
    held_at   TEXT    NOT NULL,
    accepted  BOOLEAN NOT NULL,
    PRIMARY KEY (flow, link_id)
);
