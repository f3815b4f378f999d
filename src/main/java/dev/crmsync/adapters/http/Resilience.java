package dev.crmsync.adapters.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How a system's requests are tried again and when the system is left alone: the settings of its
 * {@link RetryPolicy} and its {@link CircuitBreaker}, configured per system ({@code webcrm.retry-attempts} …).
 *
 * @param retry       how each request is tried again
 * @param circuitOpen how long a system that failed every attempt of a request is left alone at first; each failed
 *                    trial doubles it, up to five minutes (or this, if longer)
 */
public record Resilience(RetryPolicy.Settings retry, Duration circuitOpen) {

    private static final Duration LONGEST_OPEN = Duration.ofMinutes(5);

    public Resilience {
        Objects.requireNonNull(retry, "retry");
        if (circuitOpen == null || circuitOpen.isNegative() || circuitOpen.isZero()) {
            throw new IllegalArgumentException("circuitOpen must be positive: " + circuitOpen);
        }
    }

    /**
     * @return six attempts with pauses from about 1 s to 30 s; a system left alone for 30 s at first
     */
    public static Resilience ofDefaults() {
        return new Resilience(RetryPolicy.Settings.ofDefaults(), Duration.ofSeconds(30));
    }

    /**
     * @return the circuit opens after as many failures in a row as one request may have
     */
    public CircuitBreaker.Settings circuit() {
        return new CircuitBreaker.Settings(retry.maxAttempts(), circuitOpen,
                circuitOpen.compareTo(LONGEST_OPEN) > 0 ? circuitOpen : LONGEST_OPEN);
    }
}
