package dev.crmsync.app.cli;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.OnceRun;
import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.config.ConfigException;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.config.Durations;
import dev.crmsync.app.service.ProgressTracker;
import dev.crmsync.engine.ApplyResult;
import dev.crmsync.engine.CycleReport;
import dev.crmsync.engine.FlowPlan;
import dev.crmsync.engine.PlannedChange;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.engine.SyncProgress;
import dev.crmsync.engine.SyncRun;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync sync}: one run, cycle after cycle until nothing is left to do.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Sync webCRM and Customcrm once: link, create, update and delete until both agree, then exit.",
                "Records whose write failed for a passing reason (a 5xx, a lost connection) are tried again: at "
                        + "once when the run starts, then after their backoff, which the run waits out for up to "
                        + "--max-wait.",
                "Exit status: 0 when every record went through, 1 when some ended in the dead letters, still wait "
                        + "for another attempt, or deletes were held by the circuit breaker, 2 for a configuration "
                        + "error, 3 when a system could not be reached or another crmsync already syncs the same "
                        + "store."})
public final class SyncCommand implements Callable<Integer> {

    static final int MAX_CYCLES = 10;

    @Mixin
    ConfigOption config;

    @Option(names = "--once", description = "Run until nothing is left to do, then exit (the default; the "
            + "continuous service is 'crmsync run').")
    boolean once;

    @Option(names = "--dry-run", description = "Print the plan, every create, update, delete and link per flow "
            + "and side, and write nothing to either system or the store.")
    boolean dryRun;

    @Option(names = "--allow-mass-delete", description = "Let this run delete or retire more links than "
            + "sync.delete-threshold allows.")
    boolean allowMassDelete;

    @Option(names = "--max-wait", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long to wait, all told, for the next attempts of writes that failed for a passing "
                    + "reason before exiting with them still waiting (default: ${DEFAULT-VALUE}; 0 to not wait).")
    String maxWait;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Duration wait = waitLimit();
        CrmsyncConfig loaded = config.load();
        InstantSource clock = main.clock();
        Sleeper sleeper = main.sleeper();
        try (SyncConnection connection = SyncConnection.open(loaded, clock, sleeper)) {
            OnceRun.Outcome outcome = new OnceRun(connection, MAX_CYCLES, wait, clock, sleeper)
                    .run(new SyncCycle.Options(dryRun, true, allowMassDelete), new ProgressLines(out, clock),
                            report -> progress(out, report));
            if (dryRun) {
                printPlan(out, outcome.result().cycles().get(0));
                return 0;
            }
            return summarise(out, outcome, connection.store().withStatus(RecordStatus.DEAD));
        }
    }

    private Duration waitLimit() {
        return waitLimit(spec, maxWait);
    }

    /** Reads a {@code --max-wait}, where 0 means not to wait. */
    static Duration waitLimit(CommandSpec spec, String maxWait) {
        if (maxWait.strip().equals("0")) {
            return Duration.ZERO;
        }
        try {
            return Durations.parse("--max-wait", maxWait);
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), "--max-wait: '" + maxWait + "' is not a duration "
                    + "such as 30s, 5m or 0");
        }
    }

    /**
     * Prints a line when a flow has writes to make and after each batch of them, with the pace and the time
     * left, so a long first sync shows how far it has come instead of staying silent.
     */
    static final class ProgressLines implements SyncProgress {
        private final PrintWriter out;
        private final ProgressTracker tracker;
        private final java.util.Set<Flow> writing = java.util.EnumSet.noneOf(Flow.class);

        ProgressLines(PrintWriter out, InstantSource clock) {
            this.out = out;
            this.tracker = new ProgressTracker(clock);
        }

        @Override
        public void planned(Flow flow, int changes, int writes) {
            tracker.planned(flow, changes, writes);
            // Settling echoes and re-read records is quick and writes nothing: not worth a line.
            if (writes == 0) {
                writing.remove(flow);
                return;
            }
            writing.add(flow);
            out.printf("%s: %d change(s) to apply, %d with writes%n", flow.configName(), changes, writes);
            out.flush();
        }

        @Override
        public void applied(Flow flow, int done, int total) {
            tracker.applied(flow, done, total);
            if (!writing.contains(flow)) {
                return;
            }
            StringBuilder line = new StringBuilder(flow.configName() + ": " + done + " of " + total + " applied");
            tracker.of(flow).filter(p -> p.ratePerSecond() != null && done < total).ifPresent(p -> {
                line.append(String.format(java.util.Locale.ROOT, " (%.1f/s", p.ratePerSecond()));
                if (p.timeLeft() != null) {
                    line.append(", about ").append(Durations.format(java.time.Duration.ofSeconds(
                            Math.max(1, p.timeLeft().toSeconds())))).append(" left");
                }
                line.append(')');
            });
            out.println(line);
            out.flush();
        }
    }

    static void progress(PrintWriter out, CycleReport report) {
        if (report.dryRun()) {
            return;
        }
        ApplyResult a = report.applied();
        out.printf("cycle: read %d records; webCRM %d created, %d updated, %d deleted; Customcrm %d created, "
                        + "%d updated, %d deleted%s%n", report.read(),
                a.creates(Side.WEBCRM), a.updates(Side.WEBCRM), a.deletes(Side.WEBCRM),
                a.creates(Side.CUSTOMCRM), a.updates(Side.CUSTOMCRM), a.deletes(Side.CUSTOMCRM),
                a.retries() > 0 ? "; " + a.retries() + " to retry later" : "");
        report.breakerTrips().forEach(trip -> out.println("circuit breaker: " + trip));
        out.flush();
    }

    private static void printPlan(PrintWriter out, CycleReport report) {
        out.println("Dry run: nothing was written to webCRM, Customcrm or the store.");
        for (FlowPlan plan : report.plans()) {
            List<PlannedChange> visible = plan.changes().stream()
                    .filter(c -> !c.summary().startsWith("unchanged")).toList();
            out.printf("%n%s: webCRM %d create, %d update, %d delete; Customcrm %d create, %d update, %d delete%n",
                    plan.flow().configName(), plan.creates(Side.WEBCRM), plan.updates(Side.WEBCRM),
                    plan.deletes(Side.WEBCRM), plan.creates(Side.CUSTOMCRM), plan.updates(Side.CUSTOMCRM),
                    plan.deletes(Side.CUSTOMCRM));
            visible.forEach(change -> out.println("  " + change.summary()));
        }
        report.breakerTrips().forEach(trip -> out.println("circuit breaker: " + trip));
        out.flush();
    }

    static int summarise(PrintWriter out, OnceRun.Outcome outcome, List<ObservedRecord> dead) {
        SyncRun.Result result = outcome.result();
        ApplyResult total = result.applied();
        out.printf("done: %d writes in %d cycles%s%n", total.writes(), result.cycles().size(),
                result.settled() ? "" : " (stopped after " + MAX_CYCLES + " cycles without settling)");
        if (!dead.isEmpty()) {
            out.printf("%d record(s) in the dead letters:%n", dead.size());
            for (ObservedRecord record : dead) {
                out.printf("  %s %s %s: %s%n", record.side().label(), record.flow().entityOn(record.side()),
                        record.id(), record.reason());
            }
        }
        if (!outcome.waiting().isEmpty()) {
            ObservedRecord next = outcome.waiting().get(0);
            out.printf("%d record(s) wait for another attempt at their write, the next at %s (%s); run sync "
                            + "again once the system is healthy, it tries them at once:%n", outcome.waiting().size(),
                    next.nextAttemptAt(), next.reason());
            for (ObservedRecord record : outcome.waiting()) {
                out.printf("  %s %s %s: attempt %d failed: %s%n", record.side().label(),
                        record.flow().entityOn(record.side()), record.id(), record.attempts(), record.reason());
            }
        }
        if (outcome.held()) {
            out.println("deletes were held by the circuit breaker (see above); nothing past it was deleted. See "
                    + "them with 'crmsync deletes', then 'crmsync deletes accept' or 'crmsync deletes reject'");
        }
        out.flush();
        return dead.isEmpty() && outcome.isComplete() ? 0 : 1;
    }
}
