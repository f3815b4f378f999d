package dev.crmsync.app;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.engine.CycleReport;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.engine.SyncProgress;
import dev.crmsync.engine.SyncRun;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What {@code crmsync sync --once} does: a run that finishes what it started. Records that wait out a backoff
 * after a failed write are tried at once when it starts (the person who starts it wants them tried now), and when
 * the cycles are quiet while some write waits for its next attempt, the run waits for it, up to a limit, and goes
 * on. What still waits when the limit is reached is handed back, so that the command can say how many and when.
 *
 * <p>Not threadsafe: one run at a time per connection.
 */
public final class OnceRun {

    /**
     * What a run did.
     *
     * @param result  its cycles, all of them
     * @param waiting the records that still wait for another attempt at their write, soonest first
     * @param held    whether the delete circuit breaker held back removals
     */
    public record Outcome(SyncRun.Result result, List<ObservedRecord> waiting, boolean held) {

        public Outcome {
            waiting = List.copyOf(waiting);
        }

        /**
         * @return whether every record went through and nothing was held back
         */
        public boolean isComplete() {
            return waiting.isEmpty() && !held && result.settled();
        }
    }

    private final SyncConnection connection;
    private final int maxCycles;
    private final Duration maxWait;
    private final InstantSource clock;
    private final Sleeper sleeper;

    /**
     * @param connection the connection to sync
     * @param maxCycles  the most cycles one pass may take before it counts as not settling
     * @param maxWait    how long to wait, all told, for the next attempts of failed writes; zero to not wait
     * @param clock      the time the attempts are due by
     * @param sleeper    how to wait
     */
    public OnceRun(SyncConnection connection, int maxCycles, Duration maxWait, InstantSource clock, Sleeper sleeper) {
        this.connection = Objects.requireNonNull(connection, "connection");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
        }
        this.maxCycles = maxCycles;
        this.maxWait = maxWait;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * @param options  what the first pass does; later passes list no ids
     * @param within   told how each cycle gets on
     * @param progress told about each finished cycle
     * @return what the run did, and what still waits
     * @throws InterruptedException when interrupted while waiting
     */
    public Outcome run(SyncCycle.Options options, SyncProgress within, Consumer<CycleReport> progress)
            throws InterruptedException {
        if (!options.dryRun()) {
            connection.store().retryNow();
        }
        Instant deadline = clock.instant().plus(maxWait);
        List<CycleReport> cycles = new ArrayList<>();
        SyncRun.Result pass = connection.run(maxCycles).untilQuiet(options, within, progress);
        cycles.addAll(pass.cycles());
        boolean settled = pass.settled();
        List<ObservedRecord> waiting = options.dryRun() ? List.of() : waiting();
        while (settled && !waiting.isEmpty()) {
            Instant next = waiting.get(0).nextAttemptAt();
            if (next.isAfter(deadline)) {
                break;
            }
            Duration pause = Duration.between(clock.instant(), next);
            if (pause.isPositive()) {
                sleeper.sleep(pause);
            }
            pass = connection.run(maxCycles).untilQuiet(options.followUp(), within, progress);
            cycles.addAll(pass.cycles());
            settled = pass.settled();
            waiting = waiting();
        }
        boolean held = cycles.stream().anyMatch(c -> !c.breakerTrips().isEmpty());
        return new Outcome(new SyncRun.Result(cycles, settled), waiting, held);
    }

    /** The records whose failed write waits for another attempt, soonest first. */
    private List<ObservedRecord> waiting() {
        return connection.store().withStatus(RecordStatus.DIRTY).stream()
                .filter(r -> r.nextAttemptAt() != null)
                .sorted(Comparator.comparing(ObservedRecord::nextAttemptAt))
                .toList();
    }
}
