package dev.crmsync.app.service;

import dev.crmsync.adapters.http.CircuitBreaker;
import dev.crmsync.model.Side;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

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
     * @param circuit   where its circuit breaker stands: open while crmsync leaves the system alone
     */
    public record State(boolean reachable, Instant checkedAt, String lastError, CircuitBreaker.Status circuit) {
    }

    private final InstantSource clock;
    private final Map<Side, State> states = new EnumMap<>(Side.class);

    /**
     * @param clock the time source
     */
    public SystemHealth(InstantSource clock) {
        this.clock = clock;
        for (Side side : Side.values()) {
            states.put(side, new State(false, null, null, CircuitBreaker.Status.CLOSED));
        }
    }

    /**
     * @param side the system that answered
     */
    public synchronized void answered(Side side) {
        State before = states.get(side);
        states.put(side, new State(true, clock.instant(), before.lastError(), before.circuit()));
    }

    /**
     * @param side  the system that could not be reached or failed
     * @param error what went wrong, without secrets
     */
    public synchronized void failed(Side side, String error) {
        states.put(side, new State(false, clock.instant(), error, states.get(side).circuit()));
    }

    /**
     * @param side   the system
     * @param status where its circuit stands now
     */
    public synchronized void circuitChanged(Side side, CircuitBreaker.Status status) {
        State before = states.get(side);
        states.put(side, new State(before.reachable(), before.checkedAt(), before.lastError(), status));
    }

    /**
     * @return while a system's circuit is open, the latest time one of them is tried again: flows need both
     *         systems, so they wait until then
     */
    public synchronized Optional<Instant> downUntil() {
        return states.values().stream().map(State::circuit)
                .filter(c -> c.state() == CircuitBreaker.State.OPEN)
                .map(CircuitBreaker.Status::nextTrialAt).max(Instant::compareTo);
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
