package dev.crmsync.ports;

import dev.crmsync.model.SideRecord;

/**
 * What became of one {@link Write}.
 */
public sealed interface WriteOutcome {

    /**
     * The write landed.
     *
     * @param record the record as it now stands, as far as the connector knows it (for a delete, a tombstone)
     */
    record Done(SideRecord record) implements WriteOutcome {
    }

    /**
     * The system refused the record for good; the reason is the system's own.
     *
     * @param reason why, in the system's words
     */
    record Rejected(String reason) implements WriteOutcome {
    }

    /**
     * The write did not land but may later: rate limits, outages, a version that changed under us.
     *
     * @param reason why
     */
    record Retry(String reason) implements WriteOutcome {
    }
}
