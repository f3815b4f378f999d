package dev.crmsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * The benchmark command of issue 10, started by {@code mvn -Pbench verify}. Runs the selected suites, each on
 * fresh simulators, and writes the figures as {@code BENCHMARKS.md} and {@code benchmarks/results.json}.
 *
 * <p>System properties: {@code bench.scale} ({@code tiny}, {@code default}, {@code full}; see {@link Scale}),
 * {@code bench.only} (a comma-separated subset of {@value #SUITES}, default all), {@code bench.jfr}
 * ({@code true} records the limits-off first sync with JFR), {@code bench.out} (the build's folder for logs and
 * recordings), {@code bench.root} (the checkout). A run of every suite writes the report at the root of the
 * checkout; a run of a subset writes it under {@code bench.out}, so that a partial run never replaces the
 * complete report with figures of another run.
 *
 * <p>A suite that fails leaves its figures "not measured", naming the failure, and the command exits 1 after
 * writing the report; a missed goal is a finding, not a failure.
 */
public final class BenchMain {

    static final String SUITES = "create,idle,heap,limited,overhead,latency,hotpath";

    /** The report lists figures in the order; a heap figure of another size stands before the 1m one. */
    private static final List<String> ORDER = List.of("webcrm_calls_per_create", "webcrm_calls_per_update",
            "customcrm_calls_per_create", "customcrm_calls_per_update", "calls_per_echo", "idle_cycle_calls_1k",
            "idle_cycle_calls_100k", "limited_429s", "limited_wall_ratio", "limited_wall_seconds", "overhead_ratio",
            "latency_p50_ms_hooks", "latency_p99_ms_hooks", "latency_p50_ms_polling", "heap_mb_1m_links",
            "hot_path_records_per_s_per_core", "hot_path_vs_json_parse");

    private final Scale scale;
    private final Set<String> only;
    private final boolean jfr;
    private final Path out;
    private final Path root;
    private final Console console = new Console(System.out);
    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    private BenchMain(Scale scale, Set<String> only, boolean jfr, Path out, Path root) {
        this.scale = scale;
        this.only = only;
        this.jfr = jfr;
        this.out = out;
        this.root = root;
    }

    public static void main(String[] args) throws IOException {
        Scale scale = Scale.of(System.getProperty("bench.scale", "default"));
        String onlyText = System.getProperty("bench.only", "all").strip();
        Set<String> only = onlyText.isEmpty() || onlyText.equals("all") ? Set.of(SUITES.split(","))
                : Arrays.stream(onlyText.split(",")).map(String::strip).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>(only);
        unknown.removeAll(Set.of(SUITES.split(",")));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("bench.only: unknown suites " + unknown + "; choose from " + SUITES);
        }
        Path out = Path.of(System.getProperty("bench.out", "target/bench")).toAbsolutePath();
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath();
        Files.createDirectories(out);
        boolean jfr = Boolean.parseBoolean(System.getProperty("bench.jfr", "false"));
        int failed = new BenchMain(scale, only, jfr, out, root).run();
        System.exit(failed == 0 ? 0 : 1);
    }

    private int run() throws IOException {
        Instant date = Instant.now();
        Machine machine = Machine.current();
        console.step("crmsync benchmark, scale %s, suites %s, on %s", scale.name(), new TreeSet<>(only),
                machine.summary());
        if (only.contains(CallCountBench.SUITE)) {
            suite(CallCountBench.SUITE, () -> new CallCountBench(scale, console).run(), "webcrm_calls_per_create",
                    "webcrm_calls_per_update", "customcrm_calls_per_create", "customcrm_calls_per_update",
                    "calls_per_echo");
        }
        idleAndHeap();
        if (only.contains(LimitedBench.SUITE)) {
            suite(LimitedBench.SUITE, () -> new LimitedBench(scale, console).run(), "limited_429s",
                    "limited_wall_ratio", "limited_wall_seconds");
        }
        if (only.contains(OverheadBench.SUITE)) {
            suite(OverheadBench.SUITE, () -> new OverheadBench(scale, console, jfr, out).run(), "overhead_ratio");
        }
        if (only.contains(LatencyBench.SUITE)) {
            suite(LatencyBench.SUITE, () -> new LatencyBench(scale, console).run(), "latency_p50_ms_hooks",
                    "latency_p99_ms_hooks", "latency_p50_ms_polling");
        }
        if (only.contains(HotPathBench.SUITE)) {
            suite(HotPathBench.SUITE, () -> new HotPathBench(scale, console).run(),
                    "hot_path_records_per_s_per_core", "hot_path_vs_json_parse");
        }
        Duration wall = console.elapsed();
        boolean complete = only.size() == SUITES.split(",").length;
        List<Figure> ordered = new ArrayList<>(figures.values());
        ordered.sort(java.util.Comparator.comparingDouble(f -> rank(f.name())));
        BenchReport report = new BenchReport(date, wall, machine, command(), scale.name(), ordered);
        Path md = complete ? root.resolve("BENCHMARKS.md") : out.resolve("BENCHMARKS.md");
        Path json = complete ? root.resolve("benchmarks").resolve("results.json") : out.resolve("results.json");
        Files.createDirectories(json.getParent());
        // What a person found profiling is kept beside the figures, and comes with every report.
        Path profile = root.resolve("benchmarks").resolve("profile.md");
        String findings = Files.exists(profile) ? "\n" + Files.readString(profile) : "";
        Files.writeString(md, report.markdown(Definitions.markdown(report) + findings));
        Files.writeString(json, report.json());
        console.raw(summary(report));
        console.step("wrote %s and %s in %d min %d s%s", md, json, wall.toMinutes(), wall.toSecondsPart(),
                failures.isEmpty() ? "" : "; FAILED suites: " + failures);
        return failures.size();
    }

    /**
     * The idle and heap suites share their worlds: the first sync of 100,000 records per side is the largest part
     * of both, and is done once for each size either needs.
     */
    private void idleAndHeap() {
        boolean idle = only.contains(IdleBench.SUITE);
        boolean heap = only.contains(HeapBench.SUITE);
        TreeSet<Integer> sizes = new TreeSet<>();
        if (idle) {
            sizes.addAll(scale.idleSizes());
        }
        if (heap) {
            sizes.addAll(scale.heapLinks());
        }
        Map<Integer, IdleBench.Idle> idles = new LinkedHashMap<>();
        for (int size : sizes) {
            boolean idleHere = idle && scale.idleSizes().contains(size);
            boolean heapHere = heap && scale.heapLinks().contains(size);
            String heapName = "heap_mb_" + Scale.label(size) + "_links";
            try (SyncWorld world = SyncWorld.builder().webcrm(Scale.linkedWorld(size)).customcrm(Scale.linkedWorld(size))
                    .simulatorUnlimited().build()) {
                console.step("linked world of %,d records per side: filling the store", size);
                long started = System.nanoTime();
                LinkedStore.Built built = LinkedStore.build(world);
                console.step("linked world: %,d links (%,d pairs differ in their values) in %.1f s", built.links(),
                        built.differing(), (System.nanoTime() - started) / 1e9);
                if (idleHere) {
                    try {
                        idles.put(size, IdleBench.measure(world, size));
                        console.step("idle cycle at %,d records per side: %d requests", size, idles.get(size).total());
                    } catch (RuntimeException e) {
                        fail(IdleBench.SUITE, e, "idle_cycle_calls_" + Scale.label(size));
                    }
                }
                if (heapHere) {
                    suite(HeapBench.SUITE, () -> List.of(new HeapBench(out, console).measure(world, size)), heapName);
                }
            } catch (RuntimeException e) {
                if (idleHere) {
                    fail(IdleBench.SUITE, e, "idle_cycle_calls_" + Scale.label(size));
                }
                if (heapHere) {
                    fail(HeapBench.SUITE, e, heapName);
                }
            }
        }
        if (idle) {
            idleFigures(idles);
        }
        if (heap && !scale.heapLinks().contains(1_000_000)) {
            figures.put("heap_mb_1m_links", new Figure("heap_mb_1m_links", HeapBench.SUITE, null, "MB",
                    Goal.atMost(HeapBench.BUDGET_MB), HeapBench.definition(), "measured only with -Dbench.scale=full: "
                    + "the first sync that links 1,000,000 records per side does not fit the default run's 15 "
                    + "minutes; this run measured " + scale.heapLinks().stream()
                    .map(n -> "heap_mb_" + Scale.label(n) + "_links").collect(Collectors.joining(", ")) + " instead"));
        }
    }

    private void idleFigures(Map<Integer, IdleBench.Idle> idles) {
        IdleBench.Idle small = idles.get(1_000);
        IdleBench.Idle large = idles.get(100_000);
        for (int size : List.of(1_000, 100_000)) {
            String name = "idle_cycle_calls_" + Scale.label(size);
            if (figures.containsKey(name)) {
                continue; // its failure is already reported
            }
            IdleBench.Idle idle = idles.get(size);
            IdleBench.Idle other = size == 1_000 ? large : small;
            String otherName = "idle_cycle_calls_" + Scale.label(size == 1_000 ? 100_000 : 1_000);
            if (idle == null) {
                figures.put(name, new Figure(name, IdleBench.SUITE, null, "requests", Goal.none(),
                        IdleBench.definition(), "not measured at scale " + scale.name()));
                continue;
            }
            Goal goal = other == null ? Goal.none() : Goal.equalTo(other.total(), "= " + otherName + " ("
                    + other.total() + ")");
            String notes = IdleBench.notes(idle);
            if (other != null && other.total() != idle.total()) {
                notes = "the idle cycle's cost depends on the number of records: " + notes + "; against "
                        + IdleBench.notes(other);
            }
            figures.put(name, new Figure(name, IdleBench.SUITE, (double) idle.total(), "requests", goal,
                    IdleBench.definition(), notes));
        }
    }

    private static double rank(String name) {
        int at = ORDER.indexOf(name);
        if (at >= 0) {
            return at;
        }
        return name.startsWith("heap_mb_") ? ORDER.indexOf("heap_mb_1m_links") - 0.5 : ORDER.size();
    }

    private void suite(String name, Callable<List<Figure>> work, String... names) {
        console.step("suite %s", name);
        try {
            for (Figure f : work.call()) {
                figures.put(f.name(), f);
                console.step("  %s = %s %s (%s)", f.name(), f.measured() == null ? "not measured"
                        : Goal.format(f.measured()), f.unit(), f.status().name().toLowerCase(Locale.ROOT));
            }
        } catch (Exception | Error e) {
            fail(name, e, names);
        }
    }

    private void fail(String suite, Throwable e, String... names) {
        console.step("suite %s FAILED: %s", suite, e);
        e.printStackTrace(System.out);
        failures.add(suite);
        for (String n : names) {
            figures.put(n, new Figure(n, suite, null, "-", Goal.none(), "see the suite's other figures",
                    "the suite failed: " + e));
        }
    }

    private String command() {
        StringBuilder c = new StringBuilder("mvn -Pbench verify");
        if (!scale.name().equals("default")) {
            c.append(" -Dbench.scale=").append(scale.name());
        }
        if (only.size() != SUITES.split(",").length) {
            c.append(" -Dbench.only=").append(String.join(",", new TreeSet<>(only)));
        }
        if (jfr) {
            c.append(" -Dbench.jfr=true");
        }
        return c.toString();
    }

    private static String summary(BenchReport report) {
        StringBuilder s = new StringBuilder("\nfigure                              measured          goal        status\n");
        for (Figure f : report.figures()) {
            s.append(String.format(Locale.ROOT, "%-35s %-17s %-11s %s%n", f.name(),
                    f.measured() == null ? "-" : Goal.format(f.measured()) + " ", f.goal().text(),
                    f.status().name().toLowerCase(Locale.ROOT)));
        }
        return s.toString();
    }
}
