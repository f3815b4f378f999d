package dev.crmsync.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlidingWindowRateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final SlidingWindowRateLimiter limiter = new SlidingWindowRateLimiter(250, Duration.ofMinutes(1), clock);

    @Test
    void shouldAdmitABurstOf250ThenRefuseUntilTheOldestLeavesTheWindow() {
        // Given 250 requests in the first second
        for (int i = 0; i < 250; i++) {
            assertThat(limiter.tryAcquire("token")).isEmpty();
        }
        clock.advance(Duration.ofSeconds(20));

        // When
        var refused = limiter.tryAcquire("token");

        // Then the wait is what is left of the oldest request's minute
        assertThat(refused).contains(Duration.ofSeconds(40));
        assertThat(limiter.remaining("token")).isZero();
        clock.advance(Duration.ofSeconds(40));
        assertThat(limiter.tryAcquire("token")).isEmpty();
    }

    @Test
    void shouldCountEachKeyOnItsOwn() {
        for (int i = 0; i < 250; i++) {
            limiter.tryAcquire("first");
        }

        assertThat(limiter.tryAcquire("first")).isPresent();
        assertThat(limiter.tryAcquire("second")).isEmpty();
        assertThat(limiter.remaining("second")).isEqualTo(249);
    }

    @Test
    void shouldRoundAWaitUpToWholeSecondsAndNeverBelowOne() {
        SlidingWindowRateLimiter one = new SlidingWindowRateLimiter(1, Duration.ofMillis(1500), clock);
        one.tryAcquire("k");
        clock.advance(Duration.ofMillis(1400));

        assertThat(one.tryAcquire("k")).contains(Duration.ofSeconds(1));
    }
}
