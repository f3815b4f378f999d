package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.OnceRun;
import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.engine.SyncProgress;
import dev.crmsync.model.Side;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code sync --once} finishes what it started: writes that failed for a passing reason are waited for and tried
 * again within the limit, a new run tries them at once, and what still waits is reported instead of "done".
 * Regression of issue 11: under server errors, {@code --once} exited 0 with records missing in webCRM, and an
 * immediate second run wrote nothing either, as their retries were scheduled for later.
 */
class OnceRunScenarioTest {

    private static final SyncCycle.Options ONCE = new SyncCycle.Options(false, true, false);

    @Test
    void shouldWaitOutTheBackoffOfFailedWritesAndFinishTheRun() throws Exception {
        try (SyncHarness harness = SyncHarness.seeded(new SeedPlan(0, 0, 0, 0), new SeedPlan(0, 20, 0, 0))) {
            // Given a webCRM that answers its bulk writes with 503 until the run's first wait is over
            AtomicBoolean down = new AtomicBoolean(true);
            List<Duration> waits = new ArrayList<>();
            Sleeper sleeper = duration -> {
                waits.add(duration);
                down.set(false);
                harness.clock.advance(duration);
            };

            // When
            OnceRun.Outcome outcome;
            try (SyncConnection connection = open(harness, down)) {
                outcome = new OnceRun(connection, 10, Duration.ofMinutes(5), harness.clock, sleeper)
                        .run(ONCE, SyncProgress.NONE, report -> { });
            }

            // Then it waited for the retry (30 s, the first backoff) and carried every record
            assertThat(waits).containsExactly(Duration.ofSeconds(30));
            assertThat(outcome.isComplete()).isTrue();
            assertThat(outcome.waiting()).isEmpty();
            assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(20);
        }
    }

    @Test
    void shouldSayWhatStillWaitsWhenTheLimitIsReachedAndTryItAtOnceInTheNextRun() throws Exception {
        try (SyncHarness harness = SyncHarness.seeded(new SeedPlan(0, 0, 0, 0), new SeedPlan(0, 20, 0, 0))) {
            // Given a webCRM that answers its bulk writes with 503
            AtomicBoolean down = new AtomicBoolean(true);

            // When a run may not wait at all
            OnceRun.Outcome first = once(harness, down, Duration.ZERO);

            // Then it is not complete, and says which records wait and when they are next tried
            assertThat(first.isComplete()).isFalse();
            assertThat(first.waiting()).hasSize(20).allSatisfy(r -> {
                assertThat(r.nextAttemptAt()).isAfter(harness.clock.instant());
                assertThat(r.reason()).contains("503");
            });
            assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isZero();

            // When webCRM is healthy again and a person starts the next run right away
            down.set(false);
            OnceRun.Outcome second = once(harness, down, Duration.ZERO);

            // Then the waiting records are tried at once, not at the time their backoff had set
            assertThat(second.isComplete()).isTrue();
            assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(20);
        }
    }

    private static OnceRun.Outcome once(SyncHarness harness, AtomicBoolean down, Duration maxWait)
            throws InterruptedException {
        try (SyncConnection connection = open(harness, down)) {
            return new OnceRun(connection, 10, maxWait, harness.clock, harness.clock::advance)
                    .run(ONCE, SyncProgress.NONE, report -> { });
        }
    }

    /** A connection whose webCRM answers each bulk write with 503 while {@code down} holds. */
    private static SyncConnection open(SyncHarness harness, AtomicBoolean down) {
        return SyncConnection.open(harness.config(), harness.clock, harness.clock::advance, UnaryOperator.identity(),
                (side, connector) -> side != Side.WEBCRM ? connector : new BeforeEachWrite(connector, () -> {
                    if (down.get()) {
                        harness.webcrm.faults().failNext(1, 503, Duration.ZERO);
                    }
                }));
    }
}
