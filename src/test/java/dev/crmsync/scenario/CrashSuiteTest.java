package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.CrashPoints;
import dev.crmsync.scenario.CrashWorld.Phase;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The crash suite of issue 11: {@code crmsync sync --once} killed at 100 points spread over a first sync and an
 * incremental sync, restarted, and then held to what a settled sync must be: no duplicate on either side, every
 * record linked exactly once, every edit on both sides, cursors not ahead of what the store took in.
 *
 * <h2>How</h2>
 * The real crmsync runs as a process of its own against both simulators, which run in this JVM and so outlive it.
 * Its crash hook ({@link CrashPoints}) counts steps: every store commit, just before and just after, and every answer
 * to a request, the point where a write has landed and crmsync never learns it. A first run of each phase with the
 * hook only counting says how many steps it takes (and is checked like the others, as the control); the 100 points
 * are spread evenly over the steps of both phases. For each point a fresh world is made ({@link CrashWorld}),
 * crmsync is started with {@code CRMSYNC_CRASH_AFTER=<step>} and dies there with SIGKILL's status 137, then it is
 * started again without the hook until it exits 0, and the world is checked; last, one more sync must write
 * nothing.
 *
 * <h2>How many</h2>
 * The build runs 10 of the 100 points, the middle of each tenth of the steps (points 5, 15, …, 95).
 * {@code -Dcrmsync.crash.points=100} runs all 100 (any other number picks that many, spread);
 * {@code -Dcrmsync.crash.point=N} replays point N alone, as the name and message of a failing point say.
 */
class CrashSuiteTest {

    /** How many points the whole suite has. */
    static final int ALL_POINTS = 100;
    private static final int DEFAULT_POINTS = 10;
    /** How many times a killed sync is started again, without the hook, to finish its work. */
    private static final int MAX_RESTARTS = 2;

    /**
     * A crash point: number {@code number} of 100 (0 for a step asked for by {@code crmsync.crash.step}), at step
     * {@code step} of its phase's run, which the counting run saw as {@code what}.
     */
    private record Point(int number, Phase phase, int step, String what) {

        @Override
        public String toString() {
            String where = phase + ", step " + step + " (" + what + ")";
            return number == 0 ? where : "point " + number + " of " + ALL_POINTS + ": " + where;
        }

        /**
         * The command that runs this point alone. A run's steps can shift by a few from one run to the next (which
         * of two pages is read first, and whether a re-read page brings news, depend on timing), so a point's
         * number may fall on a neighbouring step; the step form keeps the step's number.
         */
        String replay() {
            String step = "-Dcrmsync.crash.step=" + phase.name().toLowerCase(Locale.ROOT) + ":" + this.step;
            return "mvn verify -Dtest=CrashSuiteTest " + (number == 0 ? step
                    : "-Dcrmsync.crash.point=" + number + " (or the same step number: " + step + ")");
        }
    }

    /**
     * @param phase which sync is to be crashed
     * @return the world the suite runs in: its store a SQLite file here
     */
    CrashWorld world(Phase phase) {
        return CrashWorld.before(phase);
    }

    @TestFactory
    List<DynamicTest> shouldLoseNothingAndDuplicateNothingWhereverTheSyncIsKilled() {
        // The steps of each phase, counted by a run that is not killed; each such run is the control of its phase.
        Map<Phase, List<String>> steps = new EnumMap<>(Phase.class);
        List<DynamicTest> tests = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            try (CrashWorld world = world(phase)) {
                SyncProcessRun counted = SyncProcessRun.of(world.configFile, CrashPoints.NEVER, "count");
                assertThat(counted.status()).as("the counting run of the %s: %s", phase, counted.describe())
                        .isZero();
                assertThat(counted.steps()).as("steps of the %s", phase).isNotEmpty();
                world.assertSynced();
                steps.put(phase, counted.steps());
            }
        }
        List<Point> points = points(steps);
        // The plan on standard out, so that a log shows which step each point stood for.
        System.out.printf("crash suite: the first sync takes %d steps, the incremental sync %d; %d point(s) to run%n",
                steps.get(Phase.FIRST_SYNC).size(), steps.get(Phase.INCREMENTAL).size(), points.size());
        for (Point point : points) {
            System.out.println("  " + point);
            tests.add(DynamicTest.dynamicTest(point.toString(), () -> crashAndRecover(point)));
        }
        return tests;
    }

    /**
     * The points to run, spread evenly over the steps of both phases: point {@code p} of 100 falls on step
     * {@code ceil(p / 100 * total)}, counted over the first sync's steps and then the incremental sync's.
     */
    private static List<Point> points(Map<Phase, List<String>> steps) {
        String asked = System.getProperty("crmsync.crash.step");
        if (asked != null) {
            return List.of(askedStep(asked, steps));
        }
        int first = steps.get(Phase.FIRST_SYNC).size();
        int total = first + steps.get(Phase.INCREMENTAL).size();
        List<Point> points = new ArrayList<>();
        for (int number : chosenNumbers()) {
            int step = Math.max(1, (int) Math.ceil((double) number * total / ALL_POINTS));
            Phase phase = step <= first ? Phase.FIRST_SYNC : Phase.INCREMENTAL;
            int inPhase = phase == Phase.FIRST_SYNC ? step : step - first;
            String what = steps.get(phase).get(inPhase - 1);
            points.add(new Point(number, phase, inPhase, what.substring(what.indexOf(": ") + 2)));
        }
        return points;
    }

    /** The step {@code crmsync.crash.step} names, e.g. {@code incremental:48} or {@code first_sync:7}. */
    private static Point askedStep(String asked, Map<Phase, List<String>> steps) {
        String[] parts = asked.split(":");
        Phase phase = null;
        for (Phase candidate : Phase.values()) {
            if (parts.length == 2 && candidate.name().equalsIgnoreCase(parts[0].strip())) {
                phase = candidate;
            }
        }
        int step = parts.length == 2 && parts[1].strip().matches("\\d{1,6}") ? Integer.parseInt(parts[1].strip()) : 0;
        if (phase == null || step < 1 || step > steps.get(phase).size()) {
            throw new IllegalArgumentException("crmsync.crash.step must be first_sync:N or incremental:N, N "
                    + "between 1 and the phase's steps (" + steps.get(Phase.FIRST_SYNC).size() + ", "
                    + steps.get(Phase.INCREMENTAL).size() + "): " + asked);
        }
        String what = steps.get(phase).get(step - 1);
        return new Point(0, phase, step, what.substring(what.indexOf(": ") + 2));
    }

    /** Which of the 100 points to run: {@code crmsync.crash.point}, or {@code crmsync.crash.points} spread. */
    private static List<Integer> chosenNumbers() {
        Integer one = Integer.getInteger("crmsync.crash.point");
        if (one != null) {
            if (one < 1 || one > ALL_POINTS) {
                throw new IllegalArgumentException("crmsync.crash.point must be 1.." + ALL_POINTS + ": " + one);
            }
            return List.of(one);
        }
        int count = Math.clamp(Integer.getInteger("crmsync.crash.points", DEFAULT_POINTS), 1, ALL_POINTS);
        // The middle of each of `count` equal shares: 5, 15, …, 95 for 10; every point for 100.
        return IntStream.rangeClosed(1, count).map(i -> (int) Math.round((i - 0.5) * ALL_POINTS / count))
                .distinct().boxed().toList();
    }

    private void crashAndRecover(Point point) {
        try (CrashWorld world = world(point.phase())) {
            List<SyncProcessRun> runs = new ArrayList<>();
            try {
                // When crmsync is killed at the point
                SyncProcessRun killed = SyncProcessRun.of(world.configFile, Integer.toString(point.step()), "killed");
                runs.add(killed);
                assertThat(killed.status()).as("the armed run was killed: %s", killed.describe())
                        .isEqualTo(CrashPoints.EXIT_STATUS);
                assertThat(killed.lastStep()).as("the step it died at").startsWith(point.step() + ": ");

                // And started again without the hook until it finishes
                SyncProcessRun restarted;
                do {
                    restarted = SyncProcessRun.of(world.configFile, null, "restart-" + runs.size());
                    runs.add(restarted);
                } while (restarted.status() != 0 && runs.size() <= MAX_RESTARTS);
                assertThat(restarted.status()).as("exit status of the restarted sync: %s", restarted.describe())
                        .isZero();

                // Then both systems and the store are as if it had never died
                world.assertSynced();
                // And another sync finds nothing to write
                long writes = world.writes();
                assertThat(world.syncInProcess()).as("exit status of one more sync").isZero();
                assertThat(world.writes()).as("writes of one more sync, with nothing changed").isEqualTo(writes);
            } catch (AssertionError | RuntimeException e) {
                String replay = point.replay().replace("CrashSuiteTest", getClass().getSimpleName());
                StringBuilder message = new StringBuilder("crash " + point + " failed; replay it alone with: "
                        + replay + "\n" + e.getMessage());
                for (int i = 0; i < runs.size(); i++) {
                    message.append("\n=== run ").append(i + 1).append(i == 0 ? " (killed)" : " (restarted)")
                            .append(": ").append(runs.get(i).describe());
                }
                System.err.println(getClass().getSimpleName() + ": " + point + " FAILED; replay: " + replay);
                throw new AssertionError(message.toString(), e);
            }
        }
    }

    @Test
    void shouldRefuseACrashHookValueThatIsNoStepAndSyncNothing() {
        try (CrashWorld world = world(Phase.FIRST_SYNC)) {
            // When crmsync is started with a value of the hook that means nothing
            SyncProcessRun run = SyncProcessRun.of(world.configFile, "soon", "refused");

            // Then it stops at once with a configuration error naming the variable, and writes nothing
            assertThat(run.status()).isEqualTo(2);
            assertThat(run.err()).anySatisfy(line -> assertThat(line).startsWith("crmsync: CRMSYNC_CRASH_AFTER")
                    .contains("'soon'"));
            assertThat(world.writes()).isZero();
        }
    }
}
