package dev.crmsync.bench;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The least wall time a sliding-window rate limit lets a number of requests take, and how a run compares with it.
 *
 * <p>A sliding window of {@code limit} requests per {@code window} admits at most {@code limit} requests in any
 * span of one window. So request {@code k} (counting from 1) can go out no earlier than request
 * {@code k - limit} plus one window, and by induction no earlier than {@code floor((k - 1) / limit)} windows after
 * the first: the first {@code limit} at once, the next {@code limit} one window later, and so on. Sending in such
 * bursts reaches that bound, so for {@code n} requests the minimum is {@code floor((n - 1) / limit)} windows, and
 * zero for {@code n <= limit}, which the window never holds back. The time the server takes to answer is not
 * counted: the bound is what the limit alone forces.
 *
 * <p>This class is stateless and threadsafe.
 */
public final class MinimumWallTime {

    private MinimumWallTime() {
    }

    /**
     * @param requests how many requests, zero or more
     * @param limit    requests the window admits, at least 1
     * @param window   the window, positive
     * @return the least time from the first request to the last that the limit allows
     * @throws IllegalArgumentException for a negative count, a limit below 1 or a window that is not positive
     */
    public static Duration of(long requests, int limit, Duration window) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0: " + requests);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: " + limit);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        if (requests <= limit) {
            return Duration.ZERO;
        }
        return window.multipliedBy((requests - 1) / limit);
    }

    /**
     * @param wall     how long the run took
     * @param requests how many requests it sent under the limit
     * @param limit    requests the window admits
     * @param window   the window
     * @return the run's wall time over the minimum, or empty when the limit forces no wait at all (a ratio
     *         against zero says nothing)
     */
    public static OptionalDouble ratio(Duration wall, long requests, int limit, Duration window) {
        Duration minimum = of(requests, limit, window);
        if (minimum.isZero()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((double) wall.toNanos() / minimum.toNanos());
    }
}
