package dev.crmsync.app.service;

import dev.crmsync.adapters.http.CircuitBreaker;
import dev.crmsync.adapters.http.HttpCallObserver;
import dev.crmsync.adapters.http.RateBudget;
import dev.crmsync.model.Side;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every request to each system for the status page (calls, 429s, the pace budget left), and tells
 * {@link SystemHealth} how each one went: every real request is a check, so readiness needs no probe of its
 * own. No answer, a 5xx, or a refused credential (401, 403) means the system is not usable; anything else,
 * including a 404 or a refused record, means it answered.
 *
 * <p>This class is threadsafe.
 */
public final class SystemCounters implements HttpCallObserver, SystemGauges {

    private static final Logger LOG = LoggerFactory.getLogger(SystemCounters.class);

    private final SystemHealth health;
    private final HttpCallObserver next;
    private final Map<Side, LongAdder> calls = new EnumMap<>(Side.class);
    private final Map<Side, LongAdder> throttled = new EnumMap<>(Side.class);
    private final Map<Side, AtomicReference<Supplier<RateBudget>>> budgets = new EnumMap<>(Side.class);
    private final Map<Side, LongAdder> hooks = new EnumMap<>(Side.class);

    /**
     * @param health told how each request went
     * @param next   told about every request as well, e.g. the Micrometer observer
     */
    public SystemCounters(SystemHealth health, HttpCallObserver next) {
        this.health = health;
        this.next = next;
        for (Side side : Side.values()) {
            calls.put(side, new LongAdder());
            throttled.put(side, new LongAdder());
            budgets.put(side, new AtomicReference<>());
            hooks.put(side, new LongAdder());
        }
    }

    @Override
    public void called(String system, String method, int status, Duration took) {
        next.called(system, method, status, took);
        Side side = side(system);
        if (side == null) {
            return;
        }
        calls.get(side).increment();
        if (status == 0) {
            health.failed(side, side.label() + " did not answer (connection failed or timed out)");
        } else if (status >= 500) {
            health.failed(side, side.label() + " answered HTTP " + status);
        } else if (status == 401 || status == 403) {
            health.failed(side, side.label() + " refused the credentials (HTTP " + status + ")");
        } else {
            health.answered(side);
        }
    }

    @Override
    public void throttled(String system) {
        next.throttled(system);
        Side side = side(system);
        if (side != null) {
            throttled.get(side).increment();
        }
    }

    @Override
    public void paced(String system, Supplier<RateBudget> budget) {
        next.paced(system, budget);
        Side side = side(system);
        if (side != null) {
            budgets.get(side).set(budget);
        }
    }

    @Override
    public void circuitChanged(String system, CircuitBreaker.Status status) {
        next.circuitChanged(system, status);
        Side side = side(system);
        if (side == null) {
            return;
        }
        health.circuitChanged(side, status);
        switch (status.state()) {
            case OPEN -> LOG.atWarn().addKeyValue("system", side.configName())
                    .addKeyValue("problem", status.lastProblem()).addKeyValue("nextTrialAt", status.nextTrialAt())
                    .log("{} is down: its flows wait until it is tried again", side.label());
            case HALF_OPEN -> LOG.atInfo().addKeyValue("system", side.configName())
                    .log("{} is tried again", side.label());
            case CLOSED -> LOG.atInfo().addKeyValue("system", side.configName())
                    .log("{} answers again: its flows go on", side.label());
        }
    }

    /**
     * Counts a change hook received from a system.
     *
     * @param side the system
     */
    public void hookReceived(Side side) {
        hooks.get(side).increment();
    }

    @Override
    public long budgetUsed(Side side) {
        Supplier<RateBudget> budget = budgets.get(side).get();
        if (budget == null) {
            return 0;
        }
        RateBudget now = budget.get();
        return now.limit() - now.remaining();
    }

    @Override
    public long budgetLimit(Side side) {
        Supplier<RateBudget> budget = budgets.get(side).get();
        return budget == null ? 0 : budget.get().limit();
    }

    @Override
    public long calls(Side side) {
        return calls.get(side).sum();
    }

    @Override
    public long throttled(Side side) {
        return throttled.get(side).sum();
    }

    @Override
    public long hooksReceived(Side side) {
        return hooks.get(side).sum();
    }

    /** The side an HTTP client names itself by, or null for a client of neither (nothing to count). */
    private static Side side(String system) {
        try {
            return Side.fromConfigName(system);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
