-- crmsync store schema, version 6: who syncs this store, fenced. Same rules as V1.

-- The claim on this store (one connection's state) when several nodes share the connections: the node that syncs
-- it and an epoch that grows by one at every take-over. A node syncing under a claim starts each write
-- transaction by touching this row on condition that the epoch is still its own; once another node has taken the
-- claim, that condition fails and the stale node's transaction is refused by the database itself, whatever the
-- stale node believes. The row lock also orders them: a take-over waits for the transaction under way.
-- No row until a first claim; a single process (the store lock) never claims, and is never fenced.
CREATE TABLE store_claim (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    epoch      BIGINT  NOT NULL,
    owner      TEXT    NOT NULL,
    claimed_at TEXT    NOT NULL
);
