package dev.crmsync.app.service;

import java.util.Locale;

/**
 * How a flow's turn on the worker ended: the {@code result} of the metric {@code crmsync_cycles_total}, the
 * {@code lastResult} of the status and readiness, and what a notification reports a change of.
 */
public enum CycleResult {

    /** Every cycle of the turn ran to its end; dead letters and waiting records do not make a turn fail. */
    OK,
    /** The turn stopped on an error (a system that refused or did not answer, a store that failed). */
    FAILED,
    /** The delete circuit breaker held back the flow's deletes; everything else was written. */
    HELD;

    /**
     * @return the name in the API, the metric and the notifications: {@code ok}, {@code failed}, {@code held}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
