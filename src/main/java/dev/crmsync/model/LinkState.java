package dev.crmsync.model;

/**
 * Where a link stands.
 */
public enum LinkState {
    /** Both records exist and are kept in sync. */
    ACTIVE,
    /** A create on the other side is under way: the intent is durable, the record may or may not exist yet. */
    PENDING,
    /** Held for a person: the same field was edited on both sides under the {@code manual} policy. */
    CONFLICT,
    /** One record was deleted and the delete was not (or cannot be) propagated; the pair is no longer synced. */
    RETIRED
}
