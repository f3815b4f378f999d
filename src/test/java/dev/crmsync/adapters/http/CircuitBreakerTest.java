package dev.crmsync.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a system's circuit opens, how long it stays open, and how it closes by itself. */
class CircuitBreakerTest {

    private static final Instant START = Instant.parse("2026-12-06T08:00:00Z");
    private static final String ADDRESS = "http://127.0.0.1:1";

    private final MutableClock clock = new MutableClock(START);
    private final List<CircuitBreaker.State> changes = new ArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker("webCRM",
            new CircuitBreaker.Settings(3, Duration.ofSeconds(30), Duration.ofSeconds(100)), clock,
            status -> changes.add(status.state()));

    @Test
    void shouldOpenAfterAsManyFailuresInARowAsARequestMayRetry() {
        assertThat(breaker.failed("connection failed")).isFalse();
        assertThat(breaker.failed("connection failed")).isFalse();
        assertThat(breaker.failed("503 from the server")).isTrue();

        assertThat(breaker.status().state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.status().nextTrialAt()).isEqualTo(START.plusSeconds(30));
        assertThat(breaker.status().lastProblem()).isEqualTo("503 from the server");
        assertThatThrownBy(() -> breaker.beforeCall(ADDRESS))
                .isInstanceOf(SystemDownException.class)
                .hasMessageContaining("webCRM at " + ADDRESS + " is down since " + START)
                .hasMessageContaining("tries it again at " + START.plusSeconds(30));
    }

    @Test
    void shouldNotOpenWhileAnswersComeBetweenTheFailures() {
        breaker.failed("connection failed");
        breaker.failed("connection failed");
        breaker.answered();
        breaker.failed("connection failed");
        breaker.failed("connection failed");

        assertThat(breaker.isOpen()).isFalse();
        breaker.beforeCall(ADDRESS);
        assertThat(changes).isEmpty();
    }

    @Test
    void shouldLetOneTrialThroughAtTheTrialTimeAndCloseWhenItIsAnswered() {
        openIt();
        clock.advance(Duration.ofSeconds(30));

        breaker.beforeCall(ADDRESS);
        assertThat(breaker.status().state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        breaker.answered();

        assertThat(breaker.status().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(changes).containsExactly(CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN,
                CircuitBreaker.State.CLOSED);
    }

    @Test
    void shouldStayOpenTwiceAsLongAfterEachFailedTrialUpToTheCeiling() {
        openIt();
        List<Duration> openFor = new ArrayList<>();
        for (int trial = 0; trial < 4; trial++) {
            Instant trialAt = breaker.status().nextTrialAt();
            clock.advance(Duration.between(clock.instant(), trialAt));
            breaker.beforeCall(ADDRESS);
            assertThat(breaker.failed("connection failed")).as("a failed trial opens it at once").isTrue();
            openFor.add(Duration.between(clock.instant(), breaker.status().nextTrialAt()));
        }

        assertThat(openFor).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(100),
                Duration.ofSeconds(100), Duration.ofSeconds(100));

        // And once a trial is answered, the next opening starts from the first duration again
        clock.advance(Duration.ofSeconds(100));
        breaker.beforeCall(ADDRESS);
        breaker.answered();
        openIt();
        assertThat(Duration.between(clock.instant(), breaker.status().nextTrialAt())).isEqualTo(Duration.ofSeconds(30));
    }

    private void openIt() {
        breaker.failed("connection failed");
        breaker.failed("connection failed");
        breaker.failed("connection failed");
        assertThat(breaker.isOpen()).isTrue();
    }
}
