package dev.crmsync.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.model.Flow;
import dev.crmsync.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T09:00:00Z"));
    private final AtomicInteger moves = new AtomicInteger();
    private final ProgressTracker tracker = new ProgressTracker(clock, moves::incrementAndGet);

    @Test
    void shouldTellDoneOfKnownThePaceAndTheTimeLeftAndSayEachMove() {
        tracker.planned(Flow.PERSONS, 900, 900);
        clock.advance(Duration.ofSeconds(20));
        tracker.applied(Flow.PERSONS, 300, 900);

        ProgressTracker.Progress progress = tracker.of(Flow.PERSONS).orElseThrow();
        assertThat(progress.done()).isEqualTo(300);
        assertThat(progress.total()).isEqualTo(900);
        assertThat(progress.ratePerSecond()).isEqualTo(15.0);
        assertThat(progress.timeLeft()).isEqualTo(Duration.ofSeconds(40));
        assertThat(moves).hasValue(2);
        assertThat(tracker.of(Flow.PRODUCTS)).isEmpty();
    }

    @Test
    void shouldStopTheCycleBetweenBatchesOnceAbandonedButKeepWhatTheBatchDid() {
        tracker.planned(Flow.ORGANISATIONS, 1000, 1000);
        tracker.abandon();

        assertThatThrownBy(() -> tracker.applied(Flow.ORGANISATIONS, 500, 1000))
                .isInstanceOf(ProgressTracker.Abandoned.class);
        assertThat(tracker.of(Flow.ORGANISATIONS).orElseThrow().done()).isEqualTo(500);
        tracker.clear();
        assertThatThrownBy(() -> tracker.planned(Flow.PERSONS, 10, 10)).as("a stopping service starts no new cycle")
                .isInstanceOf(ProgressTracker.Abandoned.class);
    }
}
