package dev.crmsync.ports;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import java.time.Instant;
import java.util.Objects;

/**
 * The store's copy of a record as last read from its system, with its place in the sync. Observing a change
 * stores it here as {@link RecordStatus#DIRTY} before the cursor moves on, so the store doubles as a durable
 * inbox: a crash after the read loses nothing. The copy also lets crmsync write webCRM's whole-object upserts
 * without reading the record again, and match a new record against records of the other side seen in earlier
 * cycles.
 *
 * @param record        the record as its system returned it
 * @param matchKey      its normalised first-link match key, or null
 * @param stamp         the link id stamped on it, or null
 * @param status        where it stands
 * @param reason        why it waits or failed; null otherwise
 * @param attempts      failed attempts since it last changed
 * @param nextAttemptAt when to try a failed record again; null for at once
 * @param observedAt    when crmsync last read it
 */
public record ObservedRecord(SideRecord record, String matchKey, String stamp, RecordStatus status, String reason,
                             int attempts, Instant nextAttemptAt, Instant observedAt) {

    public ObservedRecord {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(observedAt, "observedAt");
    }

    /**
     * @return a freshly observed change, to be reconciled
     */
    public static ObservedRecord dirty(SideRecord record, String matchKey, String stamp, Instant observedAt) {
        return new ObservedRecord(record, matchKey, stamp, RecordStatus.DIRTY, null, 0, null, observedAt);
    }

    /**
     * @return the flow
     */
    public Flow flow() {
        return record.flow();
    }

    /**
     * @return the side
     */
    public Side side() {
        return record.side();
    }

    /**
     * @return the record's id on its side
     */
    public String id() {
        return record.id();
    }

    /**
     * @return a copy with a new status and reason
     */
    public ObservedRecord with(RecordStatus newStatus, String newReason, int newAttempts, Instant newNextAttemptAt) {
        return new ObservedRecord(record, matchKey, stamp, newStatus, newReason, newAttempts, newNextAttemptAt,
                observedAt);
    }
}
