package dev.crmsync.app.metrics;

import dev.crmsync.app.service.CycleResult;
import dev.crmsync.model.Flow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The service's meters: one Prometheus registry, bound to the JVM's memory, garbage collection, threads, class
 * loading, processor and uptime, and the source of the engine's and the HTTP clients' meters. {@link #scrape()}
 * gives the text a Prometheus server reads from {@code /metrics}.
 *
 * <p>The store is a single SQLite connection, not a pool, so there are no connection-pool meters; a service that
 * runs its cycles on an executor can {@link #bind(ExecutorService, String) bind} it.
 *
 * <p>This class is threadsafe.
 *
 * @see MicrometerSyncMetrics
 * @see MicrometerHttpObserver
 */
public final class CrmsyncMeters implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final MicrometerSyncMetrics sync;
    private final MicrometerHttpObserver http;
    /** The current source of each gauge registered here, so that registering one again replaces its source. */
    private final Map<String, AtomicReference<Supplier<? extends Number>>> gauges = new ConcurrentHashMap<>();

    private CrmsyncMeters(PrometheusMeterRegistry registry) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.sync = new MicrometerSyncMetrics(registry);
        this.http = new MicrometerHttpObserver(registry);
        // Every flow and result from zero, so that an alert on increase(...{result="failed"}) has a series to read.
        for (Flow flow : Flow.values()) {
            for (CycleResult result : CycleResult.values()) {
                cycles(flow, result);
            }
        }
    }

    /**
     * @return a new registry with the JVM's meters bound; close it when done
     */
    public static CrmsyncMeters create() {
        return new CrmsyncMeters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /**
     * @return what the engine tells, counted here; pass it to {@code SyncConnection.open}
     */
    public MicrometerSyncMetrics syncMetrics() {
        return sync;
    }

    /**
     * @return what the HTTP clients tell, counted here; pass it to {@code SyncConnection.open}
     */
    public MicrometerHttpObserver httpObserver() {
        return http;
    }

    /**
     * @return the registry, for meters of the service's own
     */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * @return every meter in the Prometheus text exposition format
     */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * A gauge read from {@code value} at each scrape. Registering the same name and tags again replaces the source
     * (a gauge keeps its first source otherwise, so a reopened connection would go on reading the closed one).
     *
     * @param name  the Micrometer name, e.g. {@code crmsync.dead.letters.current}
     * @param tags  tag names to values
     * @param value read at each scrape; null or a thrown exception shows as NaN
     */
    public void gauge(String name, Map<String, String> tags, Supplier<? extends Number> value) {
        Objects.requireNonNull(value, "value");
        Tags tagged = Tags.of(tags.entrySet().stream().map(e -> Tag.of(e.getKey(), e.getValue())).toList());
        String key = name + new TreeMap<>(tags);
        AtomicReference<Supplier<? extends Number>> source = gauges.computeIfAbsent(key, k -> {
            AtomicReference<Supplier<? extends Number>> fresh = new AtomicReference<>();
            Gauge.builder(name, fresh, CrmsyncMeters::read).tags(tagged).strongReference(true).register(registry);
            return fresh;
        });
        source.set(value);
    }

    /**
     * The dead letters a flow holds now, as the gauge {@code crmsync_dead_letters_current{flow}}. (Not
     * {@code crmsync_dead_letters}: Prometheus names the counter {@code crmsync_dead_letters_total} of the same
     * family, and one family cannot be both a counter and a gauge.)
     *
     * @param flow  the flow
     * @param count read at each scrape, e.g. from the store
     */
    public void deadLetters(Flow flow, Supplier<? extends Number> count) {
        gauge("crmsync.dead.letters.current", Map.of("flow", flow.configName()), count);
    }

    /**
     * Counts how a flow's turn ended, as {@code crmsync_cycles_total{flow,result}}, {@code result} one of
     * {@code ok}, {@code failed} and {@code held} (the delete circuit breaker held its deletes back).
     *
     * @param flow   the flow
     * @param result how its turn ended
     */
    public void cycleEnded(Flow flow, CycleResult result) {
        cycles(flow, result).increment();
    }

    private Counter cycles(Flow flow, CycleResult result) {
        return Counter.builder("crmsync.cycles")
                .description("Turns of a flow, by how they ended: ok, failed, or held by the delete circuit breaker")
                .tags("flow", flow.configName(), "result", result.label()).register(registry);
    }

    /**
     * Binds an executor's meters (pool size, active and queued tasks, completed tasks) under {@code name}. Only a
     * {@code ThreadPoolExecutor} or {@code ForkJoinPool} shows them, e.g. {@code Executors.newScheduledThreadPool(1)}:
     * the single-thread wrappers of {@code Executors} hide their pool.
     *
     * @param executor the executor
     * @param name     its name, as the tag {@code name}
     */
    public void bind(ExecutorService executor, String name) {
        new ExecutorServiceMetrics(executor, name, Tags.empty()).bindTo(registry);
    }

    /** Stops listening for garbage collections and closes the registry. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private static double read(AtomicReference<Supplier<? extends Number>> source) {
        Supplier<? extends Number> supplier = source.get();
        try {
            Number value = supplier == null ? null : supplier.get();
            return value == null ? Double.NaN : value.doubleValue();
        } catch (RuntimeException e) {
            // A scrape must not fail because one source did, e.g. a store closed at shutdown.
            return Double.NaN;
        }
    }
}
