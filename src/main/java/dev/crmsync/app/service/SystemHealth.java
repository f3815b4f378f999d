package dev.crmsync.app.service;

import dev.crmsync.model.Side;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;

/**
 * Whether each system answered its last call: the readiness of the service, and the "reachable" of the status.
 * Fed by {@link SystemCounters}, so every real request counts, not a separate probe.
 *
 * <p>This class is threadsafe.
 */
public final class SystemHealth {

    /**
     * A system's last answer.
     *
     * @param reachable whether the last call was answered (any answer that is not a failure to reach the system
     *                  or a 5xx counts); false before the first call
     * @param checkedAt when the last call ended, or null before the first
     * @param lastError the last failure's message, or null
     */
    public record State(boolean reachable, Instant checkedAt, String lastError) {
    }

    private final InstantSource clock;
    private final Map<Side, State> states = new EnumMap<>(Side.class);

    /**
     * @param clock the time source
     */
    public SystemHealth(InstantSource clock) {
        this.clock = clock;
        for (Side side : Side.values()) {
            states.put(side, new State(false, null, null));
        }
    }

    /**
     * @param side the system that answered
     */
    public synchronized void answered(Side side) {
        State before = states.get(side);
        states.put(side, new State(true, clock.instant(), before.lastError()));
    }

    /**
     * @param side  the system that could not be reached or failed
     * @param error what went wrong, without secrets
     */
    public synchronized void failed(Side side, String error) {
        states.put(side, new State(false, clock.instant(), error));
    }

    /**
     * @return the system's last answer
     */
    public synchronized State of(Side side) {
        return states.get(side);
    }

    /**
     * @return whether both systems answered their last call
     */
    public synchronized boolean bothReachable() {
        return states.values().stream().allMatch(State::reachable);
    }
}
