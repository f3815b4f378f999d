package dev.crmsync.ports;

/**
 * Where an observed record stands in the sync.
 */
public enum RecordStatus {
    /** Seen with a change that is not reconciled yet. */
    DIRTY,
    /** Reconciled: nothing left to do until it changes again. */
    SETTLED,
    /** Waits for a parent record to be linked; retried every cycle. */
    WAITING,
    /** Failed for good: a dead letter with its reason, until replayed or a newer version arrives. */
    DEAD
}
