package dev.crmsync.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.api.FailedTokenThrottle.Outcome;
import dev.crmsync.app.api.FailedTokenThrottle.Verdict;
import dev.crmsync.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The wait after wrong tokens, by the clock: how it grows, that it is per client, that the token is not looked at
 * while a client waits, and that nobody stays locked out.
 */
class FailedTokenThrottleTest {

    private static final String GUESSER = "192.0.2.7";
    private static final String OPERATOR = "192.0.2.8";

    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-15T10:00:00Z"));
    private final FailedTokenThrottle throttle = new FailedTokenThrottle(clock);

    @Test
    void shouldDoubleTheWaitAfterEachWrongTokenUpToTenMinutes() {
        assertThat(List.of(1, 4, 5, 6, 7, 14, 15, 40, Integer.MAX_VALUE).stream()
                .map(FailedTokenThrottle::waitAfter).toList()).containsExactly(Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(512),
                Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(10));
    }

    @Test
    void shouldMakeAGuesserWaitLongerAfterEachWaitWithoutLookingAtHisTokens() {
        // Given five wrong tokens, all answered at once
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.attempt(GUESSER, () -> false).outcome()).isEqualTo(Outcome.REFUSED);
        }

        // When he goes on at once, then after his wait, twice
        AtomicInteger looked = new AtomicInteger();
        Verdict early = throttle.attempt(GUESSER, () -> looked.incrementAndGet() < 0);
        clock.advance(Duration.ofSeconds(1));
        Verdict afterFirstWait = throttle.attempt(GUESSER, () -> looked.incrementAndGet() < 0);
        Verdict earlyAgain = throttle.attempt(GUESSER, () -> looked.incrementAndGet() < 0);
        clock.advance(Duration.ofSeconds(2));
        Verdict afterSecondWait = throttle.attempt(GUESSER, () -> looked.incrementAndGet() < 0);

        // Then the early attempts wait without their token being looked at, and each wait is twice the last
        assertThat(early).isEqualTo(new Verdict(Outcome.WAIT, Duration.ofSeconds(1)));
        assertThat(afterFirstWait).isEqualTo(new Verdict(Outcome.REFUSED, Duration.ofSeconds(2)));
        assertThat(earlyAgain).isEqualTo(new Verdict(Outcome.WAIT, Duration.ofSeconds(2)));
        assertThat(afterSecondWait).isEqualTo(new Verdict(Outcome.REFUSED, Duration.ofSeconds(4)));
        assertThat(looked).hasValue(2);
        // And another address is not held up by him
        assertThat(throttle.attempt(OPERATOR, () -> true).outcome()).isEqualTo(Outcome.ADMITTED);
    }

    @Test
    void shouldAdmitTheRightTokenOnceTheWaitIsOverAndStartAfresh() {
        // Given a client that mistyped five times and must wait
        for (int i = 0; i < 5; i++) {
            throttle.attempt(OPERATOR, () -> false);
        }
        assertThat(throttle.attempt(OPERATOR, () -> true).outcome()).isEqualTo(Outcome.WAIT);

        // When it sends the right token after the wait
        clock.advance(Duration.ofSeconds(1));
        Verdict right = throttle.attempt(OPERATOR, () -> true);

        // Then it is admitted, and its next typo is answered at once again
        assertThat(right).isEqualTo(new Verdict(Outcome.ADMITTED, Duration.ZERO));
        assertThat(throttle.attempt(OPERATOR, () -> false)).isEqualTo(new Verdict(Outcome.REFUSED, Duration.ZERO));
    }

    @Test
    void shouldForgetAClientFifteenMinutesAfterItsLastWrongToken() {
        // Given four wrong tokens
        for (int i = 0; i < 4; i++) {
            throttle.attempt(GUESSER, () -> false);
        }

        // When a fifth comes just before fifteen minutes have passed, and another fifteen minutes after that one
        clock.advance(FailedTokenThrottle.FORGET_AFTER.minusSeconds(1));
        Verdict fifth = throttle.attempt(GUESSER, () -> false);
        clock.advance(FailedTokenThrottle.FORGET_AFTER);
        Verdict afterQuiet = throttle.attempt(GUESSER, () -> false);

        // Then the fifth still counted with the others, and after the quiet time the count started again
        assertThat(fifth.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(afterQuiet.retryAfter()).isZero();
    }

    @Test
    void shouldLetNoMoreGuessesThroughSideBySideThanOneAfterTheOther() throws Exception {
        // When forty wrong tokens arrive at the same moment from one address
        AtomicInteger looked = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Verdict>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 40; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return throttle.attempt(GUESSER, () -> looked.incrementAndGet() < 0);
                }));
            }
            start.countDown();
        }

        // Then only the free five were looked at
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Verdict> answer : answers) {
            outcomes.add(answer.get().outcome());
        }
        assertThat(looked).hasValue(FailedTokenThrottle.FREE_FAILURES);
        assertThat(outcomes).filteredOn(o -> o == Outcome.WAIT).hasSize(40 - FailedTokenThrottle.FREE_FAILURES);
    }

    @Test
    void shouldRememberABoundedNumberOfClients() {
        // When more addresses than the limit each send a wrong token
        for (int i = 0; i <= FailedTokenThrottle.MAX_CLIENTS; i++) {
            throttle.attempt("client-" + i, () -> false);
        }

        // Then no more than the limit are remembered
        assertThat(throttle.remembered()).isEqualTo(FailedTokenThrottle.MAX_CLIENTS);
    }
}
