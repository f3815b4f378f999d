package dev.crmsync.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs cycles until nothing is left to do: the first cycle carries the changes over, the next one sees the
 * echoes of its own writes and settles them, and a run ends with the first quiet cycle. A bound on the number
 * of cycles keeps a run that cannot settle (two systems that keep rewriting a value) from going on for ever.
 *
 * <p>Not threadsafe.
 */
public final class SyncRun {

    /** What a whole run did. */
    public record Result(List<CycleReport> cycles, boolean settled) {

        public Result {
            cycles = List.copyOf(cycles);
        }

        /**
         * @return the writes that landed across all cycles
         */
        public ApplyResult applied() {
            ApplyResult total = new ApplyResult();
            cycles.forEach(c -> total.add(c.applied()));
            return total;
        }
    }

    private final SyncCycle cycle;
    private final int maxCycles;

    /**
     * @param cycle     the cycle to repeat
     * @param maxCycles the most cycles one run may take, at least 1
     */
    public SyncRun(SyncCycle cycle, int maxCycles) {
        if (maxCycles < 1) {
            throw new IllegalArgumentException("maxCycles must be >= 1: " + maxCycles);
        }
        this.cycle = cycle;
        this.maxCycles = maxCycles;
    }

    /**
     * @param options   what each cycle does; ids are listed in the first cycle only
     * @param progress  told about each finished cycle
     * @return the cycles run, and whether the last was quiet
     */
    public Result untilQuiet(SyncCycle.Options options, Consumer<CycleReport> progress) {
        return untilQuiet(options, SyncProgress.NONE, progress);
    }

    /**
     * @param options  what each cycle does; ids are listed in the first cycle only
     * @param within   told how each cycle gets on, batch by batch
     * @param progress told about each finished cycle
     * @return the cycles run, and whether the last was quiet
     */
    public Result untilQuiet(SyncCycle.Options options, SyncProgress within, Consumer<CycleReport> progress) {
        List<CycleReport> reports = new ArrayList<>();
        SyncCycle.Options current = options;
        for (int i = 0; i < maxCycles; i++) {
            CycleReport report = cycle.run(current, within);
            reports.add(report);
            progress.accept(report);
            if (report.isQuiet() || options.dryRun()) {
                return new Result(reports, true);
            }
            current = options.followUp();
        }
        return new Result(reports, false);
    }
}
