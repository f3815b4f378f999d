package dev.crmsync.engine;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.time.Duration;

/**
 * Told what the engine does, for metrics and the dashboard's charts. The engine names no metrics library: the
 * Micrometer version lives in the app, and a service may tee several of these.
 *
 * <p>Every method has an empty default, so an implementation overrides only what it counts. Called from the
 * thread that runs the cycle; implementations that are read from other threads must be threadsafe.
 */
public interface SyncMetrics {

    /** Counts nothing. */
    SyncMetrics NONE = new SyncMetrics() {
    };

    /** What a landed write did. */
    enum WriteKind { CREATE, UPDATE, DELETE }

    /**
     * @param flow    the flow
     * @param side    the side read
     * @param records records in the page read
     */
    default void read(Flow flow, Side side, int records) {
    }

    /**
     * A record read that held no news: the echo of crmsync's own write, or a re-read in an overlap window.
     *
     * @param flow the flow
     * @param side the side it was read from
     */
    default void skipped(Flow flow, Side side) {
    }

    /**
     * @param flow   the flow
     * @param target the side written
     * @param kind   what the write did
     * @param lag    from when crmsync first saw the edit to when its write landed: the end-to-end lag
     */
    default void written(Flow flow, Side target, WriteKind kind, Duration lag) {
    }

    /**
     * @param flow   the flow
     * @param target the side that refused or failed
     * @param dead   whether the record became a dead letter (else it will be tried again)
     */
    default void failed(Flow flow, Side target, boolean dead) {
    }

    /**
     * @param flow   the flow
     * @param policy the policy that settled it, or {@code manual} when it waits for a person
     */
    default void conflict(Flow flow, String policy) {
    }

    /**
     * @param flows the flows the cycle took
     * @param took  how long the cycle ran
     */
    default void cycle(java.util.Set<Flow> flows, Duration took) {
    }
}
