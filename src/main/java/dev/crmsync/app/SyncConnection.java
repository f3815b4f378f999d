package dev.crmsync.app;

import dev.crmsync.adapters.customcrm.CustomcrmConnector;
import dev.crmsync.adapters.http.HttpCallObserver;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.adapters.store.StoreLock;
import dev.crmsync.adapters.store.Stores;
import dev.crmsync.adapters.webcrm.WebcrmConnector;
import dev.crmsync.adapters.webcrm.WebcrmTenantFields;
import dev.crmsync.app.config.ConfigException;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.engine.SyncMetrics;
import dev.crmsync.engine.SyncRun;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.model.Flow;
import dev.crmsync.model.LinkIds;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.Store;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
import java.util.function.UnaryOperator;

/**
 * One connection, wired: a webCRM account paired with a Customcrm, their connectors, the store and the engine.
 * The unit of work of DESIGN.md section 5; one writer per connection, which a {@link StoreLock} on the store
 * holds across processes.
 *
 * <p>Not threadsafe: one connection is driven from one thread.
 */
public final class SyncConnection implements AutoCloseable {

    private final CrmsyncConfig config;
    private final Store store;
    /** Null for a node of a cluster, whose claim on the store stands in for the lock. */
    private final StoreLock lock;
    private final Map<Side, Connector> connectors;
    private final SyncCycle cycle;

    private SyncConnection(CrmsyncConfig config, Store store, StoreLock lock, Map<Side, Connector> connectors,
                           InstantSource clock, SyncMetrics metrics) {
        this.config = config;
        this.store = store;
        this.lock = lock;
        this.connectors = connectors;
        Map<Flow, RecordMapper> mappers = new LinkedHashMap<>();
        for (Map.Entry<Flow, FlowMapping> e : config.mappings().entrySet()) {
            mappers.put(e.getKey(), new RecordMapper(e.getValue()));
        }
        this.cycle = new SyncCycle(store, connectors, mappers, config.sync(), clock,
                new LinkIds(clock, RandomGenerator.of("L64X128MixRandom")), metrics);
    }

    /**
     * Opens the store (creating or migrating its schema) and the connectors of both systems.
     *
     * @param config the configuration
     * @return the connection
     */
    public static SyncConnection open(CrmsyncConfig config) {
        return open(config, InstantSource.system(), Sleeper.SYSTEM);
    }

    /**
     * @param config  the configuration
     * @param clock   the time source
     * @param sleeper how connectors wait
     * @return the connection
     */
    public static SyncConnection open(CrmsyncConfig config, InstantSource clock, Sleeper sleeper) {
        return open(config, clock, sleeper, UnaryOperator.identity(), (side, connector) -> connector);
    }

    /**
     * Opens the connection for a service that counts what it does.
     *
     * @param config   the configuration
     * @param clock    the time source
     * @param sleeper  how connectors wait
     * @param metrics  told what the engine reads, writes and fails
     * @param requests told about every request to either system
     * @return the connection
     */
    public static SyncConnection open(CrmsyncConfig config, InstantSource clock, Sleeper sleeper, SyncMetrics metrics,
                                      HttpCallObserver requests) {
        return open(config, clock, sleeper, UnaryOperator.identity(), (side, connector) -> connector, metrics,
                requests, null);
    }

    /**
     * Opens the connection for a node of a cluster that has just taken it up: instead of the store's lock, which a
     * node that stalls would keep, it takes the store's claim, and fences every write of its store with the
     * claim's epoch. A node that took the connection over before it refuses all of them from then on.
     *
     * @param config   the configuration
     * @param clock    the time source
     * @param sleeper  how connectors wait
     * @param metrics  told what the engine reads, writes and fails
     * @param requests told about every request to either system
     * @param node     the node's name, the claim's owner
     * @return the connection, its store fenced
     */
    public static SyncConnection openClaimed(CrmsyncConfig config, InstantSource clock, Sleeper sleeper,
                                             SyncMetrics metrics, HttpCallObserver requests, String node) {
        return open(config, clock, sleeper, UnaryOperator.identity(), (side, connector) -> connector, metrics,
                requests, java.util.Objects.requireNonNull(node, "node"));
    }

    /**
     * Opens the connection with the store and connectors passed through wrappers before the engine gets them, so
     * that a test can stand in for a process that dies at any point.
     *
     * @param config           the configuration
     * @param clock            the time source
     * @param sleeper          how connectors wait
     * @param storeWrapper     wraps the store
     * @param connectorWrapper wraps each side's connector
     * @return the connection
     */
    public static SyncConnection open(CrmsyncConfig config, InstantSource clock, Sleeper sleeper,
                                      UnaryOperator<Store> storeWrapper,
                                      BiFunction<Side, Connector, Connector> connectorWrapper) {
        return open(config, clock, sleeper, storeWrapper, connectorWrapper, SyncMetrics.NONE, HttpCallObserver.NONE,
                null);
    }

    private static SyncConnection open(CrmsyncConfig config, InstantSource clock, Sleeper sleeper,
                                       UnaryOperator<Store> storeWrapper,
                                       BiFunction<Side, Connector, Connector> connectorWrapper, SyncMetrics metrics,
                                       HttpCallObserver requests, String claimant) {
        // First, before any request: a second process syncing the same store is refused at once. A node of a
        // cluster claims the store instead, below.
        StoreLock lock = claimant == null ? StoreLock.acquire(config.store()) : null;
        // The crash test hook counts commits and answers; off (and then not in the way) unless a test armed it.
        CrashPoints crashPoints = CrashPoints.ofProcess();
        requests = crashPoints.observing(requests);
        Map<Flow, String> stamps = new EnumMap<>(Flow.class);
        config.mappings().forEach((flow, mapping) -> stamps.put(flow, mapping.webcrmStampProperty()));
        WebcrmConnector webcrm = new WebcrmConnector(config.webcrm(), stamps, clock, sleeper, requests);
        Store store;
        // The same connector resolves labels and then syncs, so a configuration with labels costs no second login.
        try {
            config = withLabelsResolved(config, webcrm);
            store = storeWrapper.apply(claimant == null ? Stores.open(config.store(), crashPoints)
                    : Stores.open(config.store(), crashPoints, config.service().cluster().takeOverAfter()));
        } catch (RuntimeException e) {
            webcrm.close();
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
        // A command on a PostgreSQL store, where the nodes of a cluster hold the connections without the lock, claims
        // it too: the node that held it has its next write refused and lets it go, so there is never a second
        // writer; a node takes it up again after the take-over time.
        String owner = claimant != null ? claimant : config.store().isPostgres() ? commandOwner() : null;
        if (owner != null) {
            try {
                store.fenceWith(store.claim(owner, clock.instant()));
            } catch (RuntimeException e) {
                webcrm.close();
                store.close();
                throw e;
            }
        }
        Map<Side, Connector> connectors = new EnumMap<>(Side.class);
        connectors.put(Side.WEBCRM, webcrm);
        Map<Flow, String> stampKeys = new EnumMap<>(Flow.class);
        config.mappings().forEach((flow, mapping) -> stampKeys.put(flow, mapping.customcrmStampKey()));
        connectors.put(Side.CUSTOMCRM, new CustomcrmConnector(config.customcrm(), stampKeys, clock, sleeper,
                requests));
        connectors.replaceAll(connectorWrapper);
        return new SyncConnection(config, store, lock, connectors, clock, metrics);
    }

    /**
     * @return the claim's owner for a command run by hand: {@code command-<pid>}, told apart from the nodes
     */
    private static String commandOwner() {
        return "command-" + ProcessHandle.current().pid();
    }

    /**
     * Replaces webCRM custom fields named by label ("Customer number") with their properties, read from the
     * tenant's field metadata; a configuration without labels costs no request.
     *
     * @throws ConfigException naming the flow and the label when webCRM has no such field, or several
     */
    private static CrmsyncConfig withLabelsResolved(CrmsyncConfig config, WebcrmConnector webcrm) {
        boolean anyLabel = config.mappings().values().stream().anyMatch(m -> !m.webcrmLabels().isEmpty());
        if (!anyLabel) {
            return config;
        }
        WebcrmTenantFields fields = WebcrmTenantFields.read(webcrm);
        Map<Flow, FlowMapping> resolved = new EnumMap<>(Flow.class);
        config.mappings().forEach((flow, mapping) -> {
            WebcrmTenantFields.Resolution resolution = fields.resolve(flow, mapping.webcrmLabels());
            if (!resolution.isComplete()) {
                List<String> wrong = new ArrayList<>(resolution.unknown());
                wrong.addAll(resolution.ambiguous());
                throw new ConfigException("mappings." + flow.configName(), "webCRM has no single "
                        + flow.webcrmEntity() + " field labelled " + wrong + "; its labels are "
                        + fields.labels(flow));
            }
            resolved.put(flow, mapping.withLabelsResolved(resolution.properties()));
        });
        return config.withMappings(resolved);
    }

    /**
     * Opens only the store, for commands that list what it holds without reaching either system.
     *
     * @param config the configuration
     * @return the store; the caller closes it
     */
    public static Store openStore(CrmsyncConfig config) {
        return Stores.open(config.store());
    }

    /**
     * @param maxCycles the most cycles one run may take
     * @return a run over this connection's cycle
     */
    public SyncRun run(int maxCycles) {
        return new SyncRun(cycle, maxCycles);
    }

    /**
     * @return the cycle a scheduler drives; one at a time
     */
    public SyncCycle cycle() {
        return cycle;
    }

    /**
     * @param side a side
     * @return that side's connector, e.g. to register change hooks
     */
    public Connector connector(Side side) {
        return connectors.get(side);
    }

    /**
     * @return the store
     */
    public Store store() {
        return store;
    }

    /**
     * @return the configuration
     */
    public CrmsyncConfig config() {
        return config;
    }

    @Override
    public void close() {
        connectors.values().forEach(Connector::close);
        store.close();
        if (lock != null) {
            lock.close();
        }
    }
}
