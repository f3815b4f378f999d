package dev.crmsync.app.api;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A record in status {@link dev.crmsync.ports.RecordStatus#WAITING}, as people are shown it: which record, why it
 * waits in the engine's words, how long it has waited, and the parent records that hold it back. A child whose
 * parent became a dead letter waits until that dead letter is fixed; {@link #explanation()} says so, because that
 * is what a person can act on.
 *
 * @param flow       the record's flow
 * @param side       the system it was read from
 * @param recordId   its id there
 * @param title      what a person calls it (a name), or its entity and id when it has none
 * @param reason     why it waits, as the engine recorded it
 * @param observedAt when crmsync read the version that waits
 * @param waited     how long it has waited since then; never negative
 * @param parents    the records it refers to that are not synced, each with where it stands; empty when the
 *                   record waits for something else (e.g. the delete circuit breaker)
 * @see UnsyncedRecords
 */
public record WaitingRecord(Flow flow, Side side, String recordId, String title, String reason, Instant observedAt,
                            Duration waited, List<Parent> parents) {

    public WaitingRecord {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(observedAt, "observedAt");
        reason = reason == null ? "" : reason;
        waited = waited == null || waited.isNegative() ? Duration.ZERO : waited;
        parents = List.copyOf(parents);
    }

    /**
     * Where a parent that holds a child back stands.
     */
    public enum Standing {
        /** Refused for good: the child waits until the dead letter is fixed and replayed. */
        DEAD("is a dead letter"),
        /** Waits itself, for a parent of its own or another reason. */
        WAITING("waits itself"),
        /** Linked, but its create on the other system has not landed yet (it may be being retried). */
        PENDING("is not created on the other system yet"),
        /** Read, but not linked (yet), e.g. not planned so far or outside the flow's filter. */
        UNLINKED("is not linked"),
        /** crmsync holds no copy of it: never read, or deleted. */
        UNREAD("has not been read by crmsync");

        private final String words;

        Standing(String words) {
            this.words = words;
        }

        /**
         * @return the lower-case name the API uses, e.g. {@code dead}
         */
        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A parent record the waiting record refers to, on the same system.
     *
     * @param flow     the parent's flow
     * @param side     its system (the child's)
     * @param recordId its id there
     * @param title    what a person calls it
     * @param standing where it stands
     * @param reason   its own reason (a dead letter's refusal, why it waits, a retried failure), or null
     * @param linkId   its link, or null when it has none
     */
    public record Parent(Flow flow, Side side, String recordId, String title, Standing standing, String reason,
                         String linkId) {

        public Parent {
            Objects.requireNonNull(flow, "flow");
            Objects.requireNonNull(side, "side");
            Objects.requireNonNull(recordId, "recordId");
            Objects.requireNonNull(standing, "standing");
        }

        /**
         * @return e.g. {@code Organisation 17}
         */
        public String label() {
            return flow.entityOn(side) + " " + recordId;
        }

        /**
         * @return e.g. {@code Organisation 17, which is a dead letter: Customcrm refused the create: 422 …}
         */
        public String describe() {
            String words = standing == Standing.PENDING
                    ? "is not created on " + side.other().label() + " yet" : standing.words;
            boolean withReason = reason != null && !reason.isBlank() && standing != Standing.UNREAD;
            return label() + ", which " + words + (withReason ? ": " + reason : "");
        }
    }

    /**
     * @return whether a parent it waits for is a dead letter: the case a person must act on
     */
    public boolean isBlockedByDeadLetter() {
        return parents.stream().anyMatch(p -> p.standing() == Standing.DEAD);
    }

    /**
     * @return why it waits in one sentence, naming each parent and where it stands, e.g. {@code waits for
     *         Organisation 17, which is a dead letter: Customcrm refused the create: 422 name is required}; the
     *         engine's reason when no parent holds it back
     */
    public String explanation() {
        if (parents.isEmpty()) {
            return reason;
        }
        StringBuilder out = new StringBuilder("waits for ");
        for (int i = 0; i < parents.size(); i++) {
            if (i > 0) {
                out.append("; and for ");
            }
            out.append(parents.get(i).describe());
        }
        return out.toString();
    }
}
