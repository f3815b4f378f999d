package dev.crmsync.bench;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.engine.SyncProgress;
import dev.crmsync.model.Flow;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A first sync into an empty webCRM that enforces its real limit, 250 requests per sliding minute, on the real
 * clock, with crmsync at its default pace: does crmsync stay under the limit (no 429), and how close does it
 * come to the fastest the limit allows?
 *
 * <p>Not threadsafe.
 */
final class LimitedBench {

    static final String SUITE = "limited";
    static final int LIMIT = 250;
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final Scale scale;
    private final Console console;

    LimitedBench(Scale scale, Console console) {
        this.scale = scale;
        this.console = console;
    }

    List<Figure> run() {
        SeedPlan plan = scale.limitedPlan();
        int seeded = Scale.records(plan);
        console.step("limited: seeding %,d Customcrm records", seeded);
        try (SyncWorld world = SyncWorld.builder().customcrm(plan).realClock().build()) {
            console.step("limited: first sync into webCRM at 250/min on the real clock, stopped after %s if not "
                    + "done", scale.limitedCap());
            DeadlineConnectors cap = new DeadlineConnectors(scale.limitedCap());
            LastStep last = new LastStep();
            SyncWorld.RunStats run = world.syncOnce(world.config(), last, cap.store(), cap.connectors());
            int created = world.webcrmRecords();
            long requests = run.webcrm().total();
            long throttled = run.webcrm().status(429);
            Duration minimum = MinimumWallTime.of(requests, LIMIT, WINDOW);
            OptionalDouble ratio = MinimumWallTime.ratio(run.wall(), requests, LIMIT, WINDOW);
            String outcome = run.stopped() == null
                    ? String.format(Locale.ROOT, "complete: %,d of %,d records created in %d cycles", created, seeded,
                    run.cycles().size())
                    : String.format(Locale.ROOT, "PARTIAL: %s from %s, having created %,d of %,d records; last step "
                    + "seen: %s (at this scale the run is capped; -Dbench.scale=full lets it finish)",
                    run.stopped().getMessage(), ((DeadlineConnectors.Deadline) run.stopped()).engineFrame(), created,
                    seeded, last.text);
            String common = String.format(Locale.ROOT, "%s; %,d webCRM requests in %.1f s, the window's minimum for "
                            + "them %d s; busiest routes: %s", outcome, requests, run.wall().toMillis() / 1000.0,
                    minimum.toSeconds(), run.webcrm().topRoutes(3));
            Figure throttles = new Figure("limited_429s", SUITE, (double) throttled, "responses", Goal.atMost(0),
                    "429 Too Many Requests answered by the webCRM simulator, which enforces 250 requests per "
                            + "sliding minute on the real clock, during a first sync of " + describe(plan)
                            + " seeded in Customcrm into an empty webCRM, crmsync at its default pace "
                            + "(webcrm.requests-per-minute 240).",
                    common);
            Figure wall = new Figure("limited_wall_ratio", SUITE, ratio.isPresent() ? ratio.getAsDouble() : null,
                    "x minimum", Goal.atMost(1.1),
                    "The same run's wall time (opening the connection to closing it) / the least time 250 requests "
                            + "per sliding minute allow for the webCRM requests it sent: for N requests "
                            + "floor((N - 1) / 250) minutes, i.e. the first 250 at once and each further 250 one "
                            + "minute later (zero for N <= 250, when there is no ratio). Answer times are not in the "
                            + "minimum, so a run that the limit does not hold back scores above 1.",
                    ratio.isPresent() ? common + "; crmsync paces itself at 240 a minute, leaving 10 of the "
                            + "token's 250 to other integrations, so the requests past the first 240 wait for the "
                            + "window where the minimum lets the next 10 go at once"
                            : "no ratio: " + requests + " requests fit in the first window, so the limit forced no "
                            + "wait; " + common);
            Figure seconds = new Figure("limited_wall_seconds", SUITE, run.wall().toMillis() / 1000.0, "s",
                    Goal.none(), "The same run's wall time, opening the connection to closing it: how long a user "
                            + "waits for this first sync under webCRM's real limit. With bulk writes the run may "
                            + "need too few requests for the limit to hold it back, and limited_wall_ratio has no "
                            + "value; this one always has.",
                    common);
            return List.of(throttles, wall, seconds);
        }
    }

    /** Remembers how far the cycle got, for the notes of a run stopped at its cap. Threadsafe enough: one cycle. */
    private static final class LastStep implements SyncProgress {
        private volatile String text = "none: still reading or planning the first flow";

        @Override
        public void planned(Flow flow, int changes, int writes) {
            text = flow.configName() + " planned (" + changes + " changes, " + writes + " with writes)";
        }

        @Override
        public void applied(Flow flow, int done, int total) {
            text = flow.configName() + " " + done + " of " + total + " applied";
        }
    }

    private static String describe(SeedPlan plan) {
        return CallCountBench.describe(plan);
    }
}
