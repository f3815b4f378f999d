package dev.crmsync.app.metrics;

import dev.crmsync.engine.SyncMetrics;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Counts what the engine tells its {@link SyncMetrics}, as these Prometheus series:
 *
 * <ul>
 *   <li>{@code crmsync_records_read_total{flow,side}}: records read, {@code side} the system read;</li>
 *   <li>{@code crmsync_records_skipped_total{flow,side}}: of those, the ones that held no news (echoes of
 *       crmsync's own writes, re-reads in an overlap window);</li>
 *   <li>{@code crmsync_records_written_total{flow,side,kind}}: writes that landed, {@code side} the system written,
 *       {@code kind} {@code create}, {@code update} or {@code delete};</li>
 *   <li>{@code crmsync_write_retries_total{flow,side}}: writes that failed for a passing reason and will be tried
 *       again;</li>
 *   <li>{@code crmsync_dead_letters_total{flow,side}}: writes given up, {@code side} the system that refused;</li>
 *   <li>{@code crmsync_conflicts_total{flow,policy}}: fields edited on both sides, by the policy that settled them
 *       ({@code manual} when they wait for a person);</li>
 *   <li>{@code crmsync_sync_lag_seconds{flow,side}}: a histogram of the end-to-end lag, from when crmsync first read
 *       an edit to when its write landed on {@code side}, in buckets from 1 s to 6 h;</li>
 *   <li>{@code crmsync_cycle_duration_seconds{flows}}: how long cycles take, {@code flows} the flows a cycle took,
 *       comma-separated.</li>
 * </ul>
 *
 * <p>The record counters of every flow and side start at zero, so that a rate over them exists before the first
 * record moves.
 *
 * <p>This class is threadsafe.
 *
 * @see CrmsyncMeters
 */
public final class MicrometerSyncMetrics implements SyncMetrics {

    /**
     * The lag histogram's buckets: a dozen that mean something for a sync polled every minute or so, rather than
     * Micrometer's seventy-odd percentile buckets per flow and side.
     */
    private static final Duration[] LAG_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5),
        Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
        Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1),
        Duration.ofHours(6)};

    private final MeterRegistry registry;

    /**
     * @param registry where the meters go
     */
    public MicrometerSyncMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Flow flow : Flow.values()) {
            for (Side side : Side.values()) {
                readCounter(flow, side).increment(0);
                skippedCounter(flow, side).increment(0);
                deadLetterCounter(flow, side).increment(0);
                for (WriteKind kind : WriteKind.values()) {
                    writtenCounter(flow, side, kind).increment(0);
                }
            }
        }
    }

    @Override
    public void read(Flow flow, Side side, int records) {
        readCounter(flow, side).increment(records);
    }

    @Override
    public void skipped(Flow flow, Side side) {
        skippedCounter(flow, side).increment();
    }

    @Override
    public void written(Flow flow, Side target, WriteKind kind, Duration lag) {
        writtenCounter(flow, target, kind).increment();
        Timer.builder("crmsync.sync.lag")
                .description("From when crmsync first read an edit to when its write landed")
                .tags("flow", flow.configName(), "side", target.configName())
                .serviceLevelObjectives(LAG_BUCKETS)
                .register(registry)
                .record(lag);
    }

    @Override
    public void failed(Flow flow, Side target, boolean dead) {
        if (dead) {
            deadLetterCounter(flow, target).increment();
        } else {
            Counter.builder("crmsync.write.retries")
                    .description("Writes that failed for a passing reason and will be tried again")
                    .tags("flow", flow.configName(), "side", target.configName())
                    .register(registry).increment();
        }
    }

    @Override
    public void conflict(Flow flow, String policy) {
        Counter.builder("crmsync.conflicts")
                .description("Fields edited on both sides, by the policy that settled them")
                .tags("flow", flow.configName(), "policy", policy == null ? "unknown" : policy)
                .register(registry).increment();
    }

    @Override
    public void cycle(Set<Flow> flows, Duration took) {
        String names = flows.stream().sorted().map(Flow::configName).collect(Collectors.joining(","));
        Timer.builder("crmsync.cycle.duration")
                .description("How long a sync cycle takes")
                .tags("flows", names)
                .register(registry)
                .record(took);
    }

    private Counter readCounter(Flow flow, Side side) {
        return Counter.builder("crmsync.records.read").description("Records read from a system")
                .tags("flow", flow.configName(), "side", side.configName()).register(registry);
    }

    private Counter skippedCounter(Flow flow, Side side) {
        return Counter.builder("crmsync.records.skipped")
                .description("Records read that held no news: echoes of crmsync's own writes, overlap re-reads")
                .tags("flow", flow.configName(), "side", side.configName()).register(registry);
    }

    private Counter writtenCounter(Flow flow, Side side, WriteKind kind) {
        return Counter.builder("crmsync.records.written").description("Writes that landed")
                .tags("flow", flow.configName(), "side", side.configName(), "kind", kind.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    private Counter deadLetterCounter(Flow flow, Side side) {
        return Counter.builder("crmsync.dead.letters").description("Writes given up: records that became dead letters")
                .tags("flow", flow.configName(), "side", side.configName()).register(registry);
    }
}
