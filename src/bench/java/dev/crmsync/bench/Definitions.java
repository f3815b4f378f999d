package dev.crmsync.bench;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The parts of {@code BENCHMARKS.md} after the table: how to run the benchmark again and how each figure is
 * defined, the definitions taken from the figures themselves so that they cannot drift from what was measured.
 *
 * <p>Stateless and threadsafe.
 */
final class Definitions {

    private Definitions() {
    }

    static String markdown(BenchReport report) {
        StringBuilder md = new StringBuilder();
        md.append("""
                ## How to reproduce

                ```sh
                export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64   # any JDK 21+
                mvn -Pbench verify                                   # every suite, default sizes, about 15 minutes on 2 cores
                mvn -Pbench verify -Dbench.only=limited,heap         # a subset: %s
                mvn -Pbench verify -Dbench.scale=full -Dbench.jvm.xmx=16g   # every size the issue names, uncapped: long
                mvn -Pbench verify -Dbench.scale=tiny                # small sizes, for working on the benchmark itself
                mvn -Pbench verify -Dbench.jfr=true                  # also record the limits-off first sync with JFR
                ```

                The `bench` profile compiles `src/bench/java` as test sources (so it may use the test helpers), skips
                the test suite, and runs `dev.crmsync.bench.BenchMain` in a JVM of its own. A run of every suite
                writes this file and `benchmarks/results.json`; a subset writes both under `target/bench/` instead,
                so that this file always holds figures of one run. Logs, GC logs of the heap probe and the JFR
                recording (`first-sync.jfr`, with its top 15 hot methods in `hot-methods.txt`) go to `target/bench/`
                (or `<crmsync.build.dir>/bench/`).

                Scale `default` runs the issue's sizes where they fit about 15 minutes: the rate-limited first sync
                is stopped after a 3-minute cap if it has not finished, and then reported as partial with the engine
                step it was stopped in; the heap is measured with 100,000 links (`heap_mb_100k_links`). Scale `full`
                lets the limited sync run up to 6 hours and adds 1,000,000 links (`heap_mb_1m_links`); its benchmark
                JVM holds a million records per simulator, hence the larger `-Dbench.jvm.xmx` (default 6g). `full`
                has not yet been run to its end: with 16g the benchmark JVM, holding both simulators' million
                records, ran out of heap while it built the 1,000,000-link world; the simulators need a process of
                their own for that size.

                ## How the figures are measured

                Both simulators are the real HTTP servers of the tests, in the benchmark's JVM on loopback; crmsync
                runs as `sync --once` runs (a fresh connection on the store file, cycles until quiet, ids listed in
                the first) or, for latency, as `crmsync run`. Requests are counted by the simulators' own traffic
                logs, never by crmsync. Where time does not matter, one shared clock serves the simulators and
                crmsync, and crmsync's waits move it instead of sleeping; the rate-limited, overhead and latency
                runs use the real clock. Nothing in this file is estimated or carried over from another run: a
                figure a run could not measure says so and why. Performance is reported as ratios against a
                baseline measured in the same run, since the machines are shared and noisy; no test asserts a time.

                """.formatted(BenchMain.SUITES));
        md.append("## How each figure is defined\n\n");
        Set<String> seen = new LinkedHashSet<>();
        for (Figure f : report.figures()) {
            if (seen.add(f.name())) {
                md.append("- `").append(f.name()).append("` (").append(f.unit()).append("): ")
                        .append(f.definition()).append('\n');
            }
        }
        return md.toString();
    }
}
