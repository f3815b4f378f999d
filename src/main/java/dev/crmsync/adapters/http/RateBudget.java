package dev.crmsync.adapters.http;

/**
 * What is left of a client's own request pace in the current window, e.g. 212 of 240 requests per minute.
 *
 * @param remaining requests still allowed in the current window, 0 to {@code limit}
 * @param limit     requests allowed per window, at least 1
 */
public record RateBudget(int remaining, int limit) {

    public RateBudget {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: " + limit);
        }
        if (remaining < 0 || remaining > limit) {
            throw new IllegalArgumentException("remaining must be 0.." + limit + ": " + remaining);
        }
    }
}
