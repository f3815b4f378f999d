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
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
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
 * <p>A process that serves several connections keeps one registry ({@link #forSeveralConnections()}) and gives each
 * connection a view of it ({@link #forConnection(String)}), whose series all carry the tag {@code connection}: a
 * Prometheus query then tells the connections apart, and the series of a process of one connection stay as they
 * were, without the tag.
 *
 * <p>This class is threadsafe.
 *
 * @see MicrometerSyncMetrics
 * @see MicrometerHttpObserver
 */
public final class CrmsyncMeters implements AutoCloseable {

    /** The process's registry, which {@link #scrape()} reads. */
    private final PrometheusMeterRegistry prometheus;
    /** Where this object's meters go: the process's registry, or a view of it that tags them with a connection. */
    private final MeterRegistry registry;
    /** Null for a connection's view, which owns nothing to close. */
    private final JvmGcMetrics gc;
    /** Null for the registry of several connections, whose meters of a connection are in its views. */
    private final MicrometerSyncMetrics sync;
    private final MicrometerHttpObserver http;
    /** The view of each connection, made once; only in the registry of several connections. */
    private final Map<String, CrmsyncMeters> views = new ConcurrentHashMap<>();
    /** The current source of each gauge registered here, so that registering one again replaces its source. */
    private final Map<String, AtomicReference<Supplier<? extends Number>>> gauges = new ConcurrentHashMap<>();

    private CrmsyncMeters(PrometheusMeterRegistry prometheus, MeterRegistry registry, JvmGcMetrics gc,
                          boolean connectionMeters) {
        this.prometheus = prometheus;
        this.registry = registry;
        this.gc = gc;
        this.sync = connectionMeters ? new MicrometerSyncMetrics(registry) : null;
        this.http = connectionMeters ? new MicrometerHttpObserver(registry) : null;
        if (connectionMeters) {
            // Every flow and result from zero, so that an alert on increase(...{result="failed"}) has a series.
            for (Flow flow : Flow.values()) {
                for (CycleResult result : CycleResult.values()) {
                    cycles(flow, result);
                }
            }
        }
    }

    /**
     * @return a new registry with the JVM's meters bound and the meters of one connection, untagged; close it when
     *         done
     */
    public static CrmsyncMeters create() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new CrmsyncMeters(prometheus, prometheus, bindJvm(prometheus), true);
    }

    /**
     * @return a new registry with the JVM's meters bound, for a process that serves several connections: each
     *         connection's meters come from {@link #forConnection(String)}; close it when done
     */
    public static CrmsyncMeters forSeveralConnections() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new CrmsyncMeters(prometheus, prometheus, bindJvm(prometheus), false);
    }

    /**
     * The meters of one connection among several, in this registry, each series tagged {@code connection}. Gauge
     * sources must be held elsewhere (as {@link #gauge} and {@link MicrometerHttpObserver} do): a view holds its
     * gauges' sources only weakly.
     *
     * @param name the connection's name, the tag's value
     * @return a view that scrapes this registry, the same one for a name each time; closing it closes nothing
     * @throws IllegalStateException when this is not the registry of {@link #forSeveralConnections()}
     */
    public CrmsyncMeters forConnection(String name) {
        if (sync != null || gc == null) {
            throw new IllegalStateException("only the registry of several connections has a view per connection");
        }
        // One view per connection for the registry's life: a connection a node lets go and takes up again counts
        // on, and its gauges (the rate budget) follow the connection's new clients rather than keep the old ones.
        return views.computeIfAbsent(name, n -> {
            CompositeMeterRegistry view = new CompositeMeterRegistry();
            view.config().commonTags("connection", n);
            view.add(prometheus);
            return new CrmsyncMeters(prometheus, view, null, true);
        });
    }

    private static JvmGcMetrics bindJvm(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return gc;
    }

    /**
     * @return what the engine tells, counted here; pass it to {@code SyncConnection.open}
     */
    public MicrometerSyncMetrics syncMetrics() {
        return connectionMeters(sync);
    }

    /**
     * @return what the HTTP clients tell, counted here; pass it to {@code SyncConnection.open}
     */
    public MicrometerHttpObserver httpObserver() {
        return connectionMeters(http);
    }

    private static <T> T connectionMeters(T meters) {
        if (meters == null) {
            throw new IllegalStateException("the registry of several connections counts each in its forConnection "
                    + "view");
        }
        return meters;
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
        return prometheus.scrape();
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
        connectionMeters(sync);
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

    /**
     * Stops listening for garbage collections and closes the registry; does nothing for a connection's view, whose
     * meters stay in the registry until it closes.
     */
    @Override
    public void close() {
        if (gc == null) {
            return;
        }
        gc.close();
        prometheus.close();
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
