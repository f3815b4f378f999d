package dev.crmsync.bench;

import dev.crmsync.app.simulate.SeedPlan;
import java.time.Duration;
import java.util.List;

/**
 * The sizes a benchmark run measures at, chosen by {@code -Dbench.scale}: {@code default} fits the issue's
 * sizes into about 15 minutes on a 2-core machine, {@code full} takes every size the issue names whatever it
 * costs, and {@code tiny} is for working on the benchmark itself.
 *
 * @param name             the scale's name
 * @param createPlan       the seeded side of the create and update benchmarks; the other side starts empty
 * @param edits            the edits between the two syncs of the update benchmark
 * @param idleSizes        the records per side of the idle-cycle benchmark
 * @param heapLinks        the links in the store of the heap benchmark
 * @param limitedPlan      what the rate-limited first sync carries into an empty webCRM
 * @param limitedCap       when the rate-limited sync is stopped if it has not finished
 * @param overheadRounds   how often each of crmsync and the bare client runs; the best of each counts
 * @param hookEdits        edits timed with change hooks on
 * @param pollingEdits     edits timed with hooks off, polling every 5 s
 * @param jmhIterations    JMH warm-up and measurement iterations
 * @param jmhTime          the length of one JMH iteration
 */
record Scale(String name, SeedPlan createPlan, int edits, List<Integer> idleSizes, List<Integer> heapLinks,
             SeedPlan limitedPlan, Duration limitedCap, int overheadRounds, int hookEdits, int pollingEdits,
             int jmhIterations, Duration jmhTime) {

    /** The sizes the issue names for the rate-limited run. */
    static final SeedPlan ISSUE_LIMITED = new SeedPlan(0, 10_000, 30_000, 5_000);
    /** The issue's first sync: 1,000 customers, 2,000 contacts, 500 products. */
    static final SeedPlan ISSUE_CREATE = new SeedPlan(0, 1_000, 2_000, 500);

    static Scale of(String name) {
        return switch (name) {
            case "tiny" -> new Scale(name, new SeedPlan(0, 60, 120, 30), 50, List.of(1_000), List.of(1_000),
                    new SeedPlan(0, 100, 300, 50), Duration.ofMinutes(2), 1, 20, 4, 2, Duration.ofSeconds(1));
            case "default" -> new Scale(name, ISSUE_CREATE, 500, List.of(1_000, 100_000), List.of(100_000),
                    ISSUE_LIMITED, Duration.ofMinutes(3), 2, 200, 10, 5, Duration.ofSeconds(1));
            case "full" -> new Scale(name, ISSUE_CREATE, 500, List.of(1_000, 100_000), List.of(100_000, 1_000_000),
                    ISSUE_LIMITED, Duration.ofHours(6), 3, 200, 40, 5, Duration.ofSeconds(3));
            default -> throw new IllegalArgumentException("bench.scale must be tiny, default or full: " + name);
        };
    }

    /**
     * @param records records per side
     * @return a world's seed with that many records: a quarter companies, three quarters people, no products, so
     *         that the first sync links every record by its match key and creates none
     */
    static SeedPlan linkedWorld(int records) {
        int companies = Math.max(1, records / 4);
        return new SeedPlan(0, companies, records - companies, 0);
    }

    /**
     * @param n a count
     * @return its short label in a figure's name: 1k, 100k, 1m
     */
    static String label(int n) {
        if (n >= 1_000_000 && n % 1_000_000 == 0) {
            return (n / 1_000_000) + "m";
        }
        if (n >= 1_000 && n % 1_000 == 0) {
            return (n / 1_000) + "k";
        }
        return Integer.toString(n);
    }

    static int records(SeedPlan plan) {
        return plan.companies() + plan.people() + plan.products();
    }
}
