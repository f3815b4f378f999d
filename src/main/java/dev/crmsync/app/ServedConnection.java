package dev.crmsync.app;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.api.ManagementApi;
import dev.crmsync.app.cluster.HeldConnection;
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
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of {@code crmsync run}, wired: its systems and store, its sync service with its own worker, its
 * notifier and change hooks. Each connection has its own waits too, so a connection held by a rate limit or a
 * system that is down holds no other. The HTTP server and the metrics registry are the process's
 * ({@link RunningService}).
 *
 * <p>This class is threadsafe.
 */
final class ServedConnection implements HeldConnection {

    private static final Logger log = LoggerFactory.getLogger(ServedConnection.class);

    /** How long a stop waits for the notifications still queued. */
    private static final Duration NOTIFY_GRACE = Duration.ofSeconds(5);

    private final SyncConnection connection;
    private final SyncService service;
    private final ChangeHooks hooks;
    private final StoppableSleeper waits;
    /** Null without a {@code notify:} section. */
    private final WebhookNotifier notifier;
    private final ManagementApi.Served served;
    /** What the worker's log lines carry: the connection's name where the process syncs several. */
    private final Map<String, String> logContext;

    private ServedConnection(SyncConnection connection, SyncService service, ChangeHooks hooks,
                             StoppableSleeper waits, WebhookNotifier notifier, ManagementApi.Served served,
                             Map<String, String> logContext) {
        this.logContext = logContext;
        this.connection = connection;
        this.service = service;
        this.hooks = hooks;
        this.waits = waits;
        this.notifier = notifier;
        this.served = served;
    }

    /**
     * Opens the connection (its store is locked to this process from here on) and makes its service, not started.
     *
     * @param config      the connection's configuration
     * @param routePrefix where its routes start on the server, for its change hooks
     * @param meters      where its meters go
     * @param clock       the time source
     * @param sleeper     how its connectors wait
     * @return the connection, opened
     */
    static ServedConnection open(CrmsyncConfig config, String routePrefix, CrmsyncMeters meters, InstantSource clock,
                                 Sleeper sleeper) {
        return open(config, routePrefix, meters, clock, sleeper, null);
    }

    /**
     * Opens the connection for a node of a cluster: its store claimed for {@code node} instead of locked, every
     * write fenced with the claim (see {@link SyncConnection#openClaimed}), and no change hooks, since the node that
     * holds a connection changes and the systems would call a fixed address.
     *
     * @param node the node's name; null for a process of its own, which locks the store
     */
    static ServedConnection open(CrmsyncConfig config, String routePrefix, CrmsyncMeters meters, InstantSource clock,
                                 Sleeper sleeper, String node) {
        // One of several: its notifications and its worker's log lines name it.
        boolean named = !routePrefix.isEmpty();
        StoppableSleeper waits = new StoppableSleeper(sleeper);
        SystemHealth health = new SystemHealth(clock);
        SystemCounters counters = new SystemCounters(health, meters.httpObserver());
        CycleTally tally = new CycleTally();
        SyncConnection connection = node == null
                ? SyncConnection.open(config, clock, waits, both(tally, meters.syncMetrics()), counters)
                : SyncConnection.openClaimed(config, clock, waits, both(tally, meters.syncMetrics()), counters, node);
        WebhookNotifier notifier = null;
        try {
            SyncService service = new SyncService(connection.store(), connection.cycle(), config.service(), clock,
                    tally, health, counters);
            service.addOutcomeListener(outcome -> meters.cycleEnded(outcome.flow(), outcome.result()));
            if (config.notifications() != null) {
                notifier = new WebhookNotifier(config.notifications(), waits, clock);
                WebhookNotifier sender = notifier;
                service.addOutcomeListener(new FlowAlerts(config.notifications().deadLetterThreshold(),
                        named ? event -> sender.accept(event.ofConnection(config.connection())) : sender));
                log.atInfo().addKeyValue("connection", config.connection())
                        .addKeyValue("url", config.notifications().shownUrl())
                        .log("flows that start failing, recover or are held are notified");
            }
            for (Flow flow : Flow.values()) {
                meters.deadLetters(flow, () -> connection.store().countWithStatus(RecordStatus.DEAD)
                        .getOrDefault(flow, 0L));
            }
            CrmsyncConfig resolved = connection.config();
            // Change hooks only where both systems can reach this service; polling alone works everywhere.
            ChangeHooks hooks = config.service().publicUrl() == null || node != null ? null
                    : ChangeHooks.builder(connection)
                    .routePrefix(routePrefix).hint(service::hint).deleteHint(service::hintDelete)
                    .onReceived(counters::hookReceived).clock(clock).build();
            ManagementApi.Served served = new ManagementApi.Served(config.connection(), service, connection.store(),
                    () -> DataflowDocument.of(resolved, (side, flow) -> connection.connector(side).canDelete(flow)),
                    hooks == null ? null : hooks::install, resolved.mappings());
            return new ServedConnection(connection, service, hooks, waits, notifier, served,
                    named ? Map.of("connection", config.connection()) : Map.of());
        } catch (RuntimeException e) {
            if (notifier != null) {
                notifier.close(Duration.ZERO);
            }
            connection.close();
            throw e;
        }
    }

    /** Starts the sync, then registers the change hooks, if any: the server must be serving their routes. */
    @Override
    public void start() {
        service.start(logContext);
        if (hooks != null) {
            hooks.start();
        }
    }

    /**
     * Removes the change hooks, then stops the sync: the running cycle ends after its batch. The connection stays
     * open until {@link #close()}, for the server's last answers.
     *
     * @param grace how long to wait for the running cycle to reach the end of its batch
     * @return whether the running cycle, if any, ended within {@code grace}
     */
    @Override
    public boolean stop(Duration grace) {
        if (hooks != null) {
            hooks.stop();
        }
        // No wait for the rate limit or a Retry-After may hold the stop: the batch ends at its next item.
        waits.stop();
        boolean clean = service.stop(grace);
        if (notifier != null) {
            // What the last turns had to tell: one attempt each (the stop ended the retries' waits).
            notifier.close(NOTIFY_GRACE);
        }
        return clean;
    }

    @Override
    public void confirmClaim() {
        connection.store().inTransaction(() -> null);
    }

    /** Closes the connection, after {@link #stop}. */
    @Override
    public void close() {
        connection.close();
    }

    /**
     * @return the connection's name
     */
    String name() {
        return served.name();
    }

    /**
     * @return what the server serves of it
     */
    @Override
    public ManagementApi.Served served() {
        return served;
    }

    SyncConnection connection() {
        return connection;
    }

    SyncService service() {
        return service;
    }

    Optional<ChangeHooks> hooks() {
        return Optional.ofNullable(hooks);
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
