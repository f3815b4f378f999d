package dev.crmsync.app.service;

import dev.crmsync.engine.SyncProgress;
import dev.crmsync.model.Flow;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * How far the running cycle has got in each flow, so that a long first sync shows "done of known, rate and
 * time left" rather than silence. The engine reports after each batch; the rate is the flow's changes applied
 * per second since its plan was made.
 *
 * <p>This class is threadsafe: the worker reports while the API reads.
 */
public final class ProgressTracker implements SyncProgress {

    /**
     * A flow's progress in the running cycle.
     *
     * @param done          changes applied
     * @param total         changes planned
     * @param ratePerSecond changes applied per second, or null before the first batch
     * @param timeLeft      the estimated time to the end of the plan, or null when unknown
     * @param startedAt     when the plan was made
     */
    public record Progress(int done, int total, Double ratePerSecond, Duration timeLeft, Instant startedAt) {
    }

    /** Thrown from a report to abandon the cycle between batches, when the service stops. */
    static final class Abandoned extends RuntimeException {
        Abandoned() {
            super("the service is stopping; the cycle stopped between two batches", null, false, false);
        }
    }

    private final InstantSource clock;
    private final Runnable moved;
    private final Map<Flow, Progress> progress = new EnumMap<>(Flow.class);
    private volatile boolean abandon;

    /**
     * @param clock the time source
     */
    public ProgressTracker(InstantSource clock) {
        this(clock, () -> { });
    }

    /**
     * @param clock the time source
     * @param moved told after each report, outside this tracker's lock, e.g. to push the status to pages
     */
    public ProgressTracker(InstantSource clock, Runnable moved) {
        this.clock = clock;
        this.moved = moved;
    }

    @Override
    public void planned(Flow flow, int changes, int writes) {
        throwIfAbandoned();
        synchronized (this) {
            progress.put(flow, new Progress(0, changes, null, null, clock.instant()));
        }
        moved.run();
    }

    @Override
    public void applied(Flow flow, int done, int total) {
        synchronized (this) {
            Progress before = progress.get(flow);
            Instant started = before == null ? clock.instant() : before.startedAt();
            double seconds = Duration.between(started, clock.instant()).toMillis() / 1000.0;
            Double rate = seconds > 0 ? done / seconds : null;
            Duration left = rate == null || rate == 0 ? null
                    : Duration.ofMillis(Math.round((total - done) / rate * 1000));
            progress.put(flow, new Progress(done, total, rate, left, started));
        }
        moved.run();
        throwIfAbandoned();
    }

    /**
     * @return the flow's progress in the running cycle, or empty when it has no plan under way
     */
    public synchronized Optional<Progress> of(Flow flow) {
        return Optional.ofNullable(progress.get(flow));
    }

    /** Forgets all progress: the cycle ended. */
    public synchronized void clear() {
        progress.clear();
    }

    /** Makes the running cycle, and any later one, stop after the batch it is applying: the service is stopping. */
    void abandon() {
        abandon = true;
    }

    private void throwIfAbandoned() {
        if (abandon) {
            throw new Abandoned();
        }
    }
}
