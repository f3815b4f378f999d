package dev.crmsync.engine;

import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import java.util.Map;

/**
 * One step of a plan. A plan is a value: {@code --dry-run} prints it, the {@link PlanApplier} carries it out.
 */
public sealed interface Action {

    /**
     * @return the id of the link the step concerns, or null for a step about a record only
     */
    default String linkId() {
        return switch (this) {
            case Create c -> c.link().id();
            case Update u -> u.link() == null ? null : u.link().id();
            case Delete d -> d.link().id();
            case SaveLink save -> save.link().id();
            case RecordConflict conflict -> conflict.conflict().linkId();
            case Note note -> note.entry().linkId();
            case Settle settle -> null;
        };
    }

    /**
     * Create a record on {@code target} for a new link (intent goes to the outbox first).
     *
     * @param target     the side to create on
     * @param link       the new link, in state PENDING, holding the source record's id
     * @param values     the canonical values the new record gets
     * @param properties the properties to send, stamp included
     * @param source     the record the create comes from
     */
    record Create(Side target, Link link, FieldValues values, Map<String, Object> properties,
                  ObservedRecord source) implements Action {
    }

    /**
     * Update a linked record on {@code target}.
     *
     * @param target     the side to write to
     * @param link       the link after the write
     * @param current    the record as last read, null when crmsync holds no copy
     * @param values     the canonical values the record gets
     * @param properties the mapped properties to send, stamp included
     * @param source     the record whose change caused the write
     */
    record Update(Side target, Link link, ObservedRecord current, FieldValues values, Map<String, Object> properties,
                  ObservedRecord source) implements Action {
    }

    /**
     * Delete a linked record on {@code target}.
     *
     * @param target   the side to delete on
     * @param link     the link, retired once the delete is done
     * @param recordId the record's id on {@code target}
     * @param source   the tombstone that caused it
     */
    record Delete(Side target, Link link, String recordId, ObservedRecord source) implements Action {
    }

    /**
     * Store a link as it now stands (a first link, a settled echo, a retired pair, a held conflict).
     *
     * @param link the link
     */
    record SaveLink(Link link) implements Action {
    }

    /**
     * Set an observed record's status.
     *
     * @param record the record
     * @param status its new status
     * @param reason why it waits or failed; null otherwise
     */
    record Settle(ObservedRecord record, RecordStatus status, String reason) implements Action {
    }

    /**
     * Record a conflict, settled by the policy or held for a person.
     *
     * @param conflict the conflict
     */
    record RecordConflict(Conflict conflict) implements Action {
    }

    /**
     * Append to a link's history.
     *
     * @param entry the entry
     */
    record Note(HistoryEntry entry) implements Action {
    }
}
