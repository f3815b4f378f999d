package dev.crmsync.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link HotPathBenchmark} through JMH in a forked JVM and turns its scores into figures.
 *
 * <p>Not threadsafe.
 */
final class HotPathBench {

    static final String SUITE = "hotpath";

    private final Scale scale;
    private final Console console;

    HotPathBench(Scale scale, Console console) {
        this.scale = scale;
        this.console = console;
    }

    List<Figure> run() throws RunnerException {
        console.step("hot path: JMH, %d warm-up and %d measured iterations of %s each, one fork",
                scale.jmhIterations(), scale.jmhIterations(), scale.jmhTime());
        Options options = new OptionsBuilder()
                .include(HotPathBenchmark.class.getName() + "\\.")
                .forks(1)
                .threads(1)
                .warmupIterations(scale.jmhIterations())
                .warmupTime(TimeValue.milliseconds(scale.jmhTime().toMillis()))
                .measurementIterations(scale.jmhIterations())
                .measurementTime(TimeValue.milliseconds(scale.jmhTime().toMillis()))
                .jvmArgs("-Xmx1g")
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        double hot = score(results, "mapHashMerge");
        double baseline = score(results, "baselineParseJson");
        String notes = String.format(Locale.ROOT, "map + hash + merge %,.0f ops/s (error %s), i.e. %,.0f ns a record; "
                        + "measured one by one: map %,.0f ns, hash %,.0f ns, merge %,.0f ns; Jackson parse of the same "
                        + "record's JSON %,.0f ops/s (error %s, %,.0f ns); %d x %s measured after as many warm-up "
                        + "iterations", hot, error(results, "mapHashMerge"), 1e9 / hot,
                1e9 / score(results, "partMap"), 1e9 / score(results, "partHash"), 1e9 / score(results, "partMerge"),
                baseline, error(results, "baselineParseJson"), 1e9 / baseline, scale.jmhIterations(),
                scale.jmhTime());
        List<Figure> out = new ArrayList<>();
        out.add(new Figure("hot_path_records_per_s_per_core", SUITE, hot, "records/s", Goal.atLeast(200_000),
                "JMH throughput, one thread, of mapping one webCRM organisation (every default field, normalised), "
                        + "hashing its canonical values and merging it three-way (mapping.RecordMapper, "
                        + "model.FieldValues.hash, engine.FieldMerge); one fork.", notes));
        out.add(new Figure("hot_path_vs_json_parse", SUITE, hot / baseline, "x baseline", Goal.none(),
                "hot_path_records_per_s_per_core / the throughput, in the same JMH run, of parsing the same record's "
                        + "JSON with the Jackson mapper crmsync's webCRM connector uses. Above 1 means the engine's "
                        + "work per record costs less than reading it; the ratio holds up on a noisy machine where "
                        + "the absolute figure does not.", notes));
        return out;
    }

    private static RunResult find(Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method)).findFirst()
                .orElseThrow(() -> new IllegalStateException("JMH ran no " + method));
    }

    private static double score(Collection<RunResult> results, String method) {
        return find(results, method).getPrimaryResult().getScore();
    }

    private static String error(Collection<RunResult> results, String method) {
        double e = find(results, method).getPrimaryResult().getScoreError();
        return Double.isNaN(e) ? "n/a" : String.format(Locale.ROOT, "±%,.0f", e);
    }
}
