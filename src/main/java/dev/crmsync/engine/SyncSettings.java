package dev.crmsync.engine;

import dev.crmsync.model.Flow;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the engine behaves, apart from the mappings.
 *
 * @param conflictPolicy  how fields edited on both sides are settled
 * @param deleteRules     per flow, what a delete seen on each side does to the other
 * @param deleteThreshold the share of a flow's links one run may delete or retire before the circuit breaker
 *                        stops it (0.2 = 20 %)
 * @param deleteMinimum   the breaker trips only from this many removals on, so that deleting one of three
 *                        records is not a "mass delete"
 * @param maxAttempts     how often a record whose write failed for a passing reason is tried before it becomes
 *                        a dead letter
 * @param retryBackoff    the wait before the second attempt; it doubles with each further attempt
 * @param batchSize       how many records are planned and written in one batch
 * @param deleteWindow    how far back the circuit breaker counts removals already made, so that a mass delete cut
 *                        into many small cycles (change hooks start one per burst of changes) still trips it
 */
public record SyncSettings(ConflictPolicy conflictPolicy, Map<Flow, DeleteRules> deleteRules,
                           double deleteThreshold, int deleteMinimum, int maxAttempts, Duration retryBackoff, int batchSize,
                           Duration deleteWindow) {

    /** The breaker's window unless configured: removals of the last hour count with the ones a run would make. */
    public static final Duration DEFAULT_DELETE_WINDOW = Duration.ofHours(1);

    /**
     * Settings with the default {@link #DEFAULT_DELETE_WINDOW}.
     */
    public SyncSettings(ConflictPolicy conflictPolicy, Map<Flow, DeleteRules> deleteRules,
                        double deleteThreshold, int deleteMinimum, int maxAttempts, Duration retryBackoff,
                        int batchSize) {
        this(conflictPolicy, deleteRules, deleteThreshold, deleteMinimum, maxAttempts, retryBackoff, batchSize,
                DEFAULT_DELETE_WINDOW);
    }

    public SyncSettings {
        Objects.requireNonNull(conflictPolicy, "conflictPolicy");
        EnumMap<Flow, DeleteRules> rules = new EnumMap<>(Flow.class);
        for (Flow flow : Flow.values()) {
            rules.put(flow, deleteRules.getOrDefault(flow, DeleteRules.DEFAULT));
        }
        deleteRules = Map.copyOf(rules);
        if (!(deleteThreshold >= 0 && deleteThreshold <= 1)) {
            throw new IllegalArgumentException("deleteThreshold must be between 0 and 1: " + deleteThreshold);
        }
        if (deleteMinimum < 1) {
            throw new IllegalArgumentException("deleteMinimum must be >= 1: " + deleteMinimum);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        }
        if (retryBackoff == null || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retryBackoff must be zero or positive: " + retryBackoff);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
        }
        if (deleteWindow == null || deleteWindow.isNegative()) {
            throw new IllegalArgumentException("deleteWindow must be zero or positive: " + deleteWindow);
        }
    }

    /**
     * @return newest-wins, deletes propagated where possible, a 20 % delete breaker from three removals on, five attempts from 30 s
     */
    public static SyncSettings ofDefaults() {
        return new SyncSettings(ConflictPolicy.ofDefaults(), Map.of(), 0.2, 3, 5, Duration.ofSeconds(30), 500);
    }

    /**
     * @return a copy with another conflict policy
     */
    public SyncSettings withConflictPolicy(ConflictPolicy policy) {
        return new SyncSettings(policy, deleteRules, deleteThreshold, deleteMinimum, maxAttempts, retryBackoff,
                batchSize, deleteWindow);
    }

    /**
     * @return a copy with another delete threshold
     */
    public SyncSettings withDeleteThreshold(double threshold) {
        return new SyncSettings(conflictPolicy, deleteRules, threshold, deleteMinimum, maxAttempts, retryBackoff,
                batchSize, deleteWindow);
    }
}
