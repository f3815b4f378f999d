package dev.crmsync.app;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.adapters.cluster.ClusterDatabase;
import dev.crmsync.app.api.ManagementApi;
import dev.crmsync.app.cluster.ClusterNode;
import dev.crmsync.app.cluster.ConnectionOpener;
import dev.crmsync.app.config.ClusterSettings;
import dev.crmsync.app.config.ConfigException;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.config.ServiceSettings;
import dev.crmsync.app.metrics.CrmsyncMeters;
import dev.crmsync.app.service.SyncService;
import dev.crmsync.app.service.hooks.ChangeHooks;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code crmsync run}, wired: each connection with its sync service ({@link ServedConnection}), one HTTP server
 * with the management API, dashboard, metrics and health, and the change hooks when {@code server.public-url} is
 * set. The command, the demo and the tests start it the same way.
 *
 * <p>A service of several connections runs each on its own worker, with its own systems, store and waits, so a
 * slow or failing connection holds no other; the server serves each one's API under
 * {@code /connections/<name>/} and one registry tags each one's series with {@code connection}. A service of one
 * connection serves and counts exactly as before there were several.
 *
 * <p>A node of a cluster ({@link #startNode}, what {@code run} starts on a PostgreSQL store) opens no connection
 * itself: its {@link ClusterNode} opens those it takes up and closes those it lets go, and the server answers for
 * the connections held at the moment.
 *
 * <p>This class is threadsafe.
 */
public final class RunningService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunningService.class);

    /** How long a stop waits for the running cycle to reach the end of its batch. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final List<ServedConnection> connections;
    private final ManagementApi api;
    private final CrmsyncMeters meters;
    /** The node, where this process is one of a cluster; then {@link #connections} is empty. */
    private final ClusterNode node;
    private final ClusterDatabase cluster;
    /** Null while running; then whether the stop was clean. Guarded by {@code this}. */
    private Boolean stoppedCleanly;

    private RunningService(List<ServedConnection> connections, ManagementApi api, CrmsyncMeters meters) {
        this(connections, api, meters, null, null);
    }

    private RunningService(List<ServedConnection> connections, ManagementApi api, CrmsyncMeters meters,
                           ClusterNode node, ClusterDatabase cluster) {
        this.connections = List.copyOf(connections);
        this.api = api;
        this.meters = meters;
        this.node = node;
        this.cluster = cluster;
    }

    /**
     * Starts a node of a cluster: the HTTP server, then the node, which takes up its share of the connections as
     * db-scheduler hands them out and lets them go when it stops. Every node of a cluster runs the same file on
     * the same PostgreSQL store.
     *
     * @param configs        the file's connections, at least one, names unique, all on one PostgreSQL store
     * @param insecureNoAuth whether to serve the API without a token (local demos only)
     * @param clock          the time source
     * @param sleeper        how connectors wait
     * @return the running node
     * @throws ConfigException when no token is configured and {@code insecureNoAuth} is not set
     */
    public static RunningService startNode(List<CrmsyncConfig> configs, boolean insecureNoAuth, InstantSource clock,
                                           Sleeper sleeper) {
        ServiceSettings server = serverOf(configs, insecureNoAuth);
        ClusterSettings settings = server.cluster();
        Map<String, CrmsyncConfig> byName = new LinkedHashMap<>();
        configs.forEach(c -> byName.put(c.connection(), c));
        CrmsyncMeters meters = CrmsyncMeters.forSeveralConnections();
        ClusterDatabase database = ClusterDatabase.open(configs.get(0).clusterStore());
        ConnectionOpener opener = (name, nodeName) -> ServedConnection.open(byName.get(name),
                ManagementApi.CONNECTIONS_PATH + name, meters.forConnection(name), clock, sleeper, nodeName);
        ClusterNode node = ClusterNode.create(List.copyOf(byName.keySet()), settings, database, opener, clock,
                STOP_GRACE);
        ManagementApi api = null;
        try {
            api = ManagementApi.startNode(List.copyOf(byName.keySet()), node,
                    apiSettings(server, insecureNoAuth, clock, meters));
            bindPoolMetrics(api, meters);
            meters.gauge("crmsync.cluster.connections.held", Map.of("node", node.node()), node::heldCount);
            FunctionCounter.builder("crmsync.cluster.stale.writes.refused", node, n -> n.counts().staleWritesRefused())
                    .description("Writes of this node that the store refused: another node had claimed the "
                            + "connection while this one was silent")
                    .tag("node", node.node()).register(meters.registry());
            FunctionCounter.builder("crmsync.cluster.connections.lost", node, n -> n.counts().lost())
                    .description("Connections another node took over while this one held them")
                    .tag("node", node.node()).register(meters.registry());
            // Where the other nodes' pages send a person for the connections this node holds.
            String advertised = server.publicUrl() != null ? server.publicUrl().toString().replaceAll("/+$", "")
                    : api.baseUrl();
            node.start(advertised);
            log.atInfo().addKeyValue("url", api.baseUrl()).addKeyValue("auth", insecureNoAuth ? "none" : "token")
                    .addKeyValue("node", node.node()).addKeyValue("connections", byName.size())
                    .log("crmsync is running as a node of a cluster");
            return new RunningService(List.of(), api, meters, node, database);
        } catch (RuntimeException e) {
            node.close();
            if (api != null) {
                api.close();
            }
            database.close();
            meters.close();
            throw e;
        }
    }

    private static ManagementApi.Settings apiSettings(ServiceSettings server, boolean insecureNoAuth,
                                                      InstantSource clock, CrmsyncMeters meters) {
        return new ManagementApi.Settings(server.host(), server.port(), insecureNoAuth ? null : server.token(), clock,
                meters::scrape);
    }

    /** The HTTP server's pool is the one pool of the process: each store is one connection of its own. */
    private static void bindPoolMetrics(ManagementApi api, CrmsyncMeters meters) {
        new JettyServerThreadPoolMetrics(api.threadPool(), Tags.empty()).bindTo(meters.registry());
    }

    /**
     * @return the server's settings, the first connection's (a file's {@code server:} section is shared by its
     *         connections)
     * @throws ConfigException when no token is configured and {@code insecureNoAuth} is not set
     */
    private static ServiceSettings serverOf(List<CrmsyncConfig> configs, boolean insecureNoAuth) {
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("there is no connection to run");
        }
        ServiceSettings server = configs.get(0).service();
        if (server.token() == null && !insecureNoAuth) {
            throw new ConfigException("server.token", "is required to guard the management API; set it, e.g. "
                    + "token: ${CRMSYNC_TOKEN}, or start with --insecure-no-auth for a local demo");
        }
        return server;
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
        return start(List.of(config), insecureNoAuth, clock, sleeper);
    }

    /**
     * Opens every connection, starts the HTTP server and then each connection's sync. The server's settings are
     * the first connection's (a file's {@code server:} section is shared by its connections).
     *
     * @param configs        the connections' configurations, at least one, names unique
     * @param insecureNoAuth whether to serve the API without a token (local demos only)
     * @param clock          the time source
     * @param sleeper        how connectors wait
     * @return the running service
     * @throws ConfigException when no token is configured and {@code insecureNoAuth} is not set
     */
    public static RunningService start(List<CrmsyncConfig> configs, boolean insecureNoAuth, InstantSource clock,
                                       Sleeper sleeper) {
        ServiceSettings server = serverOf(configs, insecureNoAuth);
        boolean several = configs.size() > 1;
        CrmsyncMeters meters = several ? CrmsyncMeters.forSeveralConnections() : CrmsyncMeters.create();
        List<ServedConnection> opened = new ArrayList<>();
        ManagementApi api = null;
        try {
            for (CrmsyncConfig config : configs) {
                String name = config.connection();
                opened.add(ServedConnection.open(config, ManagementApi.routePrefix(name, configs.size()),
                        several ? meters.forConnection(name) : meters, clock, sleeper));
            }
            api = ManagementApi.start(opened.stream().map(ServedConnection::served).toList(),
                    apiSettings(server, insecureNoAuth, clock, meters));
            bindPoolMetrics(api, meters);
            for (ServedConnection connection : opened) {
                connection.start();
            }
            log.atInfo().addKeyValue("url", api.baseUrl()).addKeyValue("auth", insecureNoAuth ? "none" : "token")
                    .addKeyValue("connections", opened.stream().map(ServedConnection::name).toList())
                    .log("crmsync is running");
            return new RunningService(opened, api, meters);
        } catch (RuntimeException e) {
            stopAll(opened, STOP_GRACE);
            if (api != null) {
                api.close();
            }
            opened.forEach(ServedConnection::close);
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
     * @return the names of the connections served, in the file's order
     */
    public List<String> connectionNames() {
        return connections.stream().map(ServedConnection::name).toList();
    }

    /**
     * @return the node, where this process is one of a cluster
     */
    public Optional<ClusterNode> node() {
        return Optional.ofNullable(node);
    }

    /**
     * @return the sync service of the one connection served
     * @throws IllegalStateException when several are served
     */
    public SyncService service() {
        return only().service();
    }

    /**
     * @param name a connection's name
     * @return its sync service
     * @throws java.util.NoSuchElementException when no connection served has that name
     */
    public SyncService service(String name) {
        return named(name).service();
    }

    /**
     * @return the one connection served
     * @throws IllegalStateException when several are served
     */
    public SyncConnection connection() {
        return only().connection();
    }

    /**
     * @param name a connection's name
     * @return that connection
     * @throws java.util.NoSuchElementException when no connection served has that name
     */
    public SyncConnection connection(String name) {
        return named(name).connection();
    }

    /**
     * @return the change hooks of the one connection served, or empty when {@code server.public-url} is not set
     * @throws IllegalStateException when several are served
     */
    public Optional<ChangeHooks> hooks() {
        return only().hooks();
    }

    /**
     * @param name a connection's name
     * @return its change hooks, or empty when {@code server.public-url} is not set
     */
    public Optional<ChangeHooks> hooks(String name) {
        return named(name).hooks();
    }

    private ServedConnection only() {
        if (node != null) {
            throw new IllegalStateException("this service is node " + node.node() + " of a cluster: the connections "
                    + "it holds change; ask its node");
        }
        if (connections.size() > 1) {
            throw new IllegalStateException("this service runs " + connections.size() + " connections "
                    + connectionNames() + "; name one");
        }
        return connections.get(0);
    }

    private ServedConnection named(String name) {
        return connections.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() ->
                new java.util.NoSuchElementException("no connection '" + name + "'; there are " + connectionNames()));
    }

    /**
     * Removes the change hooks from both systems and stops the sync of every connection at once (each running
     * cycle ends after its batch), then the server, then closes the connections. A second call, from any thread,
     * waits for the first and answers as it did.
     *
     * @param grace how long to wait for each running cycle to reach the end of its batch; past it the cycle is
     *              interrupted, and what it had not written is planned again at the next start
     * @return whether the stop was clean: every running cycle ended within {@code grace}
     */
    public synchronized boolean stop(Duration grace) {
        if (stoppedCleanly != null) {
            return stoppedCleanly;
        }
        // A node lets each held connection go (its cycle ends within the grace); the others take them up at once.
        boolean clean = node != null ? node.leave() : stopAll(connections, grace);
        stoppedCleanly = clean;
        api.close();
        connections.forEach(ServedConnection::close);
        if (cluster != null) {
            cluster.close();
        }
        meters.close();
        log.atInfo().addKeyValue("clean", clean).log("crmsync stopped");
        return clean;
    }

    /**
     * Stops the connections side by side, so that the stop takes one grace, not one per connection.
     *
     * @return whether every one stopped within the grace
     */
    private static boolean stopAll(List<ServedConnection> connections, Duration grace) {
        if (connections.size() == 1) {
            return connections.get(0).stop(grace);
        }
        List<Future<Boolean>> stops = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ServedConnection connection : connections) {
                stops.add(executor.submit(() -> {
                    boolean clean = connection.stop(grace);
                    if (!clean) {
                        log.atWarn().addKeyValue("connection", connection.name())
                                .log("a running cycle was cut short by the stop");
                    }
                    return clean;
                }));
            }
        }
        boolean clean = true;
        for (Future<Boolean> stop : stops) {
            clean &= stop.resultNow();
        }
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
}
