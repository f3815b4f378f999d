package dev.crmsync.app;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.api.ManagementApi;
import dev.crmsync.app.config.ConfigException;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.docs.DataflowDocument;
import dev.crmsync.app.metrics.CrmsyncMeters;
import dev.crmsync.app.notify.FlowAlerts;
import dev.crmsync.app.notify.WebhookNotifier;
import dev.crmsync.app.service.CycleTally;
import dev.crmsync.app.service.SyncService;
import dev.crmsync.app.service.SystemCounters;
import dev.crmsync.app.service.SystemHealth;
import dev.crmsync.app.service.hooks.ChangeHooks;
import dev.crmsync.engine.SyncMetrics;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.ports.RecordStatus;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code crmsync run}, wired: the connection with its metrics, the sync service, the HTTP server with the
 * management API, dashboard, metrics and health, and the change hooks when {@code server.public-url} is set. The command, the demo and the tests start it the
 * same way.
 *
 * <p>This class is threadsafe.
 */
public final class RunningService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunningService.class);

    /** How long a stop waits for the running cycle to reach the end of its batch. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** How long a stop waits for the notifications still queued. */
    private static final Duration NOTIFY_GRACE = Duration.ofSeconds(5);

    private final SyncConnection connection;
    private final SyncService service;
    private final ManagementApi api;
    private final CrmsyncMeters meters;
    private final ChangeHooks hooks;
    private final StoppableSleeper waits;
    /** Null without a {@code notify:} section. */
    private final WebhookNotifier notifier;
    /** Null while running; then whether the stop was clean. Guarded by {@code this}. */
    private Boolean stoppedCleanly;

    private RunningService(SyncConnection connection, SyncService service, ManagementApi api, CrmsyncMeters meters,
                           ChangeHooks hooks, StoppableSleeper waits, WebhookNotifier notifier) {
        this.waits = waits;
        this.notifier = notifier;
        this.connection = connection;
        this.service = service;
        this.api = api;
        this.meters = meters;
        this.hooks = hooks;
    }

    /**
     * Opens the connection, starts the HTTP server and then the sync.
     *
     * @param config         the configuration
     * @param insecureNoAuth whether to serve the API without a token (local demos only)
     * @param clock          the time source
     * @param sleeper        how connectors wait
     * @return the running service
     * @throws ConfigException when no token is configured and {@code insecureNoAuth} is not set
     */
    public static RunningService start(CrmsyncConfig config, boolean insecureNoAuth, InstantSource clock,
                                       Sleeper sleeper) {
        if (config.service().token() == null && !insecureNoAuth) {
            throw new ConfigException("server.token", "is required to guard the management API; set it, e.g. "
                    + "token: ${CRMSYNC_TOKEN}, or start with --insecure-no-auth for a local demo");
        }
        CrmsyncMeters meters = CrmsyncMeters.create();
        StoppableSleeper waits = new StoppableSleeper(sleeper);
        SystemHealth health = new SystemHealth(clock);
        SystemCounters counters = new SystemCounters(health, meters.httpObserver());
        CycleTally tally = new CycleTally();
        SyncConnection connection = null;
        SyncService service = null;
        ManagementApi api = null;
        WebhookNotifier notifier = null;
        try {
            connection = SyncConnection.open(config, clock, waits, both(tally, meters.syncMetrics()), counters);
            service = new SyncService(connection.store(), connection.cycle(), config.service(), clock, tally, health,
                    counters);
            SyncService started = service;
            service.addOutcomeListener(outcome -> meters.cycleEnded(outcome.flow(), outcome.result()));
            if (config.notifications() != null) {
                notifier = new WebhookNotifier(config.notifications(), waits, clock);
                service.addOutcomeListener(new FlowAlerts(config.notifications().deadLetterThreshold(), notifier));
                log.atInfo().addKeyValue("url", config.notifications().shownUrl())
                        .log("flows that start failing, recover or are held are notified");
            }
            SyncConnection opened = connection;
            for (Flow flow : Flow.values()) {
                meters.deadLetters(flow, () -> opened.store().countWithStatus(RecordStatus.DEAD)
                        .getOrDefault(flow, 0L));
            }
            CrmsyncConfig resolved = connection.config();
            // Change hooks only where both systems can reach this service; polling alone works everywhere.
            ChangeHooks hooks = config.service().publicUrl() == null ? null : ChangeHooks.builder(opened)
                    .hint(started::hint).deleteHint(started::hintDelete).onReceived(counters::hookReceived)
                    .clock(clock).build();
            Consumer<JavalinConfig> routes = hooks == null ? null : hooks::install;
            api = ManagementApi.start(service, connection.store(), new ManagementApi.Settings(
                    config.service().host(), config.service().port(), insecureNoAuth ? null : config.service().token(),
                    clock, meters::scrape,
                    () -> DataflowDocument.of(resolved, (side, flow) -> opened.connector(side).canDelete(flow)),
                    routes, resolved.mappings()));
            // The HTTP server's pool is the one pool of the process: the store is one SQLite connection.
            new JettyServerThreadPoolMetrics(api.threadPool(), Tags.empty()).bindTo(meters.registry());
            service.start();
            if (hooks != null) {
                hooks.start();
            }
            log.atInfo().addKeyValue("url", api.baseUrl()).addKeyValue("auth", insecureNoAuth ? "none" : "token")
                    .log("crmsync is running");
            return new RunningService(connection, service, api, meters, hooks, waits, notifier);
        } catch (RuntimeException e) {
            if (service != null) {
                service.stop(STOP_GRACE);
            }
            if (api != null) {
                api.close();
            }
            if (connection != null) {
                connection.close();
            }
            if (notifier != null) {
                notifier.close(Duration.ZERO);
            }
            meters.close();
            throw e;
        }
    }

    /**
     * @return the management API's base URL, e.g. {@code http://127.0.0.1:8080}
     */
    public String baseUrl() {
        return api.baseUrl();
    }

    /**
     * @return the sync service
     */
    public SyncService service() {
        return service;
    }

    /**
     * @return the connection
     */
    public SyncConnection connection() {
        return connection;
    }

    /**
     * @return the change hooks, or empty when {@code server.public-url} is not set
     */
    public java.util.Optional<ChangeHooks> hooks() {
        return java.util.Optional.ofNullable(hooks);
    }

    /**
     * Removes the change hooks from both systems, stops the sync (the running cycle ends after its batch), then
     * the server, then closes the connection. A second call, from any thread, waits for the first and answers as
     * it did.
     *
     * @param grace how long to wait for the running cycle to reach the end of its batch; past it the cycle is
     *              interrupted, and what it had not written is planned again at the next start
     * @return whether the stop was clean: the running cycle, if any, ended within {@code grace}
     */
    public synchronized boolean stop(Duration grace) {
        if (stoppedCleanly != null) {
            return stoppedCleanly;
        }
        if (hooks != null) {
            hooks.stop();
        }
        // No wait for the rate limit or a Retry-After may hold the stop: the batch ends at its next item.
        waits.stop();
        boolean clean = service.stop(grace);
        stoppedCleanly = clean;
        if (notifier != null) {
            // What the last turns had to tell: one attempt each (the stop ended the retries' waits).
            notifier.close(NOTIFY_GRACE);
        }
        api.close();
        connection.close();
        meters.close();
        log.atInfo().addKeyValue("clean", clean).log("crmsync stopped");
        return clean;
    }

    /**
     * Stops with the {@link #STOP_GRACE default grace}.
     *
     * @see #stop(Duration)
     */
    @Override
    public void close() {
        stop(STOP_GRACE);
    }

    private static SyncMetrics both(SyncMetrics first, SyncMetrics second) {
        return new SyncMetrics() {
            @Override
            public void read(Flow flow, Side side, int records) {
                first.read(flow, side, records);
                second.read(flow, side, records);
            }

            @Override
            public void skipped(Flow flow, Side side) {
                first.skipped(flow, side);
                second.skipped(flow, side);
            }

            @Override
            public void written(Flow flow, Side target, WriteKind kind, Duration lag) {
                first.written(flow, target, kind, lag);
                second.written(flow, target, kind, lag);
            }

            @Override
            public void failed(Flow flow, Side target, boolean dead) {
                first.failed(flow, target, dead);
                second.failed(flow, target, dead);
            }

            @Override
            public void conflict(Flow flow, String policy) {
                first.conflict(flow, policy);
                second.conflict(flow, policy);
            }

            @Override
            public void cycle(Set<Flow> flows, Duration took) {
                first.cycle(flows, took);
                second.cycle(flows, took);
            }
        };
    }
}
