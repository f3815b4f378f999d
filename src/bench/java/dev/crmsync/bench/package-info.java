/**
 * The benchmark of issue 10, run by {@code mvn -Pbench verify}: {@link dev.crmsync.bench.BenchMain} measures
 * every figure against both simulators over real HTTP and writes {@code BENCHMARKS.md} and
 * {@code benchmarks/results.json}. Compiled only under the {@code bench} profile, as test sources, so it may use the
 * test helpers; the parts that need no running benchmark (the report, percentiles, the minimum wall time) live
 * with the unit tests in the same package.
 */
package dev.crmsync.bench;
