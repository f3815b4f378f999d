package dev.crmsync.adapters.http;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A sliding-window request limit per key, as webCRM applies it per application token: at most {@code limit}
 * requests in any window of {@code window} length. Bursts are allowed; once the window is full, a request is
 * refused until the oldest request in the window falls out of it. The connectors pace themselves with it, and
 * the simulators enforce their limits with it.
 *
 * <p>The limiter keeps one timestamp per admitted request, so its memory is {@code limit} entries per key. That is
 * exact (no bucket rounding), which both a client that must never cross the limit and a simulator that tests a
 * client's pacing need.
 *
 * <p>This class is threadsafe.
 */
public final class SlidingWindowRateLimiter {

    private final int limit;
    private final Duration window;
    private final InstantSource clock;
    private final Map<String, Deque<Instant>> admitted = new HashMap<>();

    /**
     * @param limit  requests allowed per window, at least 1
     * @param window the window length, positive
     * @param clock  the time source
     * @throws IllegalArgumentException when limit or window is out of range
     */
    public SlidingWindowRateLimiter(int limit, Duration window, InstantSource clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: " + limit);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /**
     * Counts one request against {@code key} if the window has room.
     *
     * @param key the quota holder, e.g. an application token
     * @return empty when admitted; otherwise how long until a request would be admitted (at least one second,
     *         rounded up to whole seconds, as a {@code Retry-After} header carries it)
     */
    public synchronized Optional<Duration> tryAcquire(String key) {
        Instant now = clock.instant();
        Deque<Instant> times = admitted.computeIfAbsent(key, k -> new ArrayDeque<>());
        Instant windowStart = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(windowStart)) {
            times.pollFirst();
        }
        if (times.size() < limit) {
            times.addLast(now);
            return Optional.empty();
        }
        Duration wait = Duration.between(now, times.peekFirst().plus(window));
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Optional.of(Duration.ofSeconds(seconds));
    }

    /**
     * @param key the quota holder
     * @return how many requests of the current window remain for {@code key}
     */
    public synchronized int remaining(String key) {
        Deque<Instant> times = admitted.get(key);
        if (times == null) {
            return limit;
        }
        Instant windowStart = clock.instant().minus(window);
        long inWindow = times.stream().filter(t -> t.isAfter(windowStart)).count();
        return (int) Math.max(0, limit - inWindow);
    }

    /**
     * @return the configured limit per window
     */
    public int limit() {
        return limit;
    }
}
