package dev.crmsync.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one retry policy: how long it pauses, which pause a server may ask for, and when it gives up. */
class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");
    private static final RetryPolicy.Settings SETTINGS =
            new RetryPolicy.Settings(6, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2));

    private final List<Duration> pauses = new ArrayList<>();

    private RetryPolicy policy(RetryPolicy.Settings settings, long seed) {
        Random random = new Random(seed);
        return new RetryPolicy(settings, pauses::add, () -> random);
    }

    @Test
    void shouldGrowThePauseExponentiallyUpToTheCeilingWithNeverLessThanHalfOfIt() {
        RetryPolicy policy = policy(SETTINGS, 7);
        long[] computed = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
        for (int failures = 1; failures <= computed.length; failures++) {
            for (int draw = 0; draw < 50; draw++) {
                long pause = policy.backoff(failures).toMillis();
                assertThat(pause).as("pause after %d failures", failures)
                        .isBetween(computed[failures - 1] / 2, computed[failures - 1]);
            }
        }
    }

    @Test
    void shouldSpreadThePausesOfClientsThatFailedTogether() {
        // Given many clients that failed at the same moment, each with its own random source
        List<Long> firsts = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            firsts.add(policy(SETTINGS, seed).backoff(3).toMillis());
        }

        // Then they do not all come back at the same millisecond
        assertThat(firsts.stream().distinct().count()).isGreaterThan(10);
    }

    @Test
    void shouldReadRetryAfterInSeconds() {
        assertThat(RetryPolicy.serverWait("14", null, NOW)).contains(Duration.ofSeconds(14));
        assertThat(RetryPolicy.serverWait(" 0 ", null, NOW)).contains(Duration.ZERO);
    }

    @Test
    void shouldReadRetryAfterAsAnHttpDate() {
        assertThat(RetryPolicy.serverWait("Sun, 06 Dec 2026 08:00:45 GMT", null, NOW))
                .contains(Duration.ofSeconds(45));
        // A date already past asks for no pause at all
        assertThat(RetryPolicy.serverWait("Sun, 06 Dec 2026 07:59:00 GMT", null, NOW)).contains(Duration.ZERO);
    }

    @Test
    void shouldReadWebcrmsRetryAfterSecondsFromTheBodyWhenNoHeaderSaysIt() {
        String body = "{\"RetryAfterSeconds\": 14, \"Message\": \"The request was throttled.\","
                + " \"Type\": \"TooManyRequestsException\"}";
        assertThat(RetryPolicy.serverWait(null, body, NOW)).contains(Duration.ofSeconds(14));
        assertThat(RetryPolicy.serverWait("3", body, NOW)).as("the header comes first").contains(Duration.ofSeconds(3));
        assertThat(RetryPolicy.serverWait("soon", "{\"Message\":\"busy\"}", NOW)).isEmpty();
    }

    @Test
    void shouldPauseAsTheServerAskedButNoLongerThanTheCeiling() {
        RetryPolicy policy = policy(new RetryPolicy.Settings(3, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(60)), 1);
        AtomicInteger calls = new AtomicInteger();

        String value = policy.run("test", () -> switch (calls.incrementAndGet()) {
            case 1 -> new RetryPolicy.Attempt.Failed<>("429", Optional.of(Duration.ofSeconds(14)));
            case 2 -> new RetryPolicy.Attempt.Failed<>("429", Optional.of(Duration.ofHours(1)));
            default -> new RetryPolicy.Attempt.Succeeded<>("done");
        }, summary -> new TransientCrmException(summary, null), RetryPolicy.RetryListener.NONE);

        assertThat(value).isEqualTo("done");
        assertThat(pauses).containsExactly(Duration.ofSeconds(14), Duration.ofSeconds(60));
    }

    @Test
    void shouldGiveUpAfterTheLastAttemptWithoutPausingAfterIt() {
        RetryPolicy policy = policy(new RetryPolicy.Settings(4, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(60)), 1);
        AtomicInteger calls = new AtomicInteger();
        List<Integer> told = new ArrayList<>();

        assertThatThrownBy(() -> policy.run("webCRM GET /Queries", () -> {
            calls.incrementAndGet();
            return new RetryPolicy.Attempt.Failed<String>("503 from the server", Optional.empty());
        }, summary -> new TransientCrmException("webCRM GET /Queries " + summary, null),
                (what, attempt, problem, pause) -> told.add(attempt)))
                .isInstanceOf(TransientCrmException.class)
                .hasMessage("webCRM GET /Queries failed after 4 attempts: 503 from the server");

        assertThat(calls).hasValue(4);
        assertThat(pauses).hasSize(3);
        assertThat(told).containsExactly(1, 2, 3);
    }

    @Test
    void shouldStopAtOnceWhenAnAttemptThrows() {
        RetryPolicy policy = policy(SETTINGS, 1);
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> policy.run("create", () -> {
            calls.incrementAndGet();
            throw new PermanentCrmException("refused", null);
        }, summary -> new TransientCrmException(summary, null), RetryPolicy.RetryListener.NONE))
                .isInstanceOf(PermanentCrmException.class);

        assertThat(calls).hasValue(1);
        assertThat(pauses).isEmpty();
    }
}
