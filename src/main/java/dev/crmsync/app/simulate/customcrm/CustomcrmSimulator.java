package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.CredentialRevocation;
import dev.crmsync.app.simulate.FaultInjector;
import dev.crmsync.app.simulate.FaultSettings;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SeedWorld;
import dev.crmsync.app.simulate.SimulatorTenants;
import dev.crmsync.app.simulate.TrafficLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The reference server of the Customcrm contract ({@code contracts/customcrm-openapi.yaml}): a real HTTP server
 * on a real SQLite database, with the simulators' fault injection, traffic counts and control routes.
 *
 * <pre>{@code
 * try (CustomcrmSimulator sim = CustomcrmSimulator.builder().apiKey("K").seedPlan(new SeedPlan(40, 50, 120, 60))
 *         .build().start("127.0.0.1", 0)) {
 *     String customers = sim.baseUrl() + "/customers";
 * }
 * }</pre>
 *
 * <p>Besides the API, tests can act as the customer's own users ({@link #createAsUser}, {@link #editAsUser},
 * {@link #deleteAsUser}): those changes skip HTTP but obey the same rules and show in the change feed like any
 * other.
 *
 * <p>One simulator can serve many tenants on its one port ({@link Builder#tenants}), each one customer's Customcrm:
 * tenant {@code k} has its own database, webhooks, faults, traffic counts and key revocation, and is reached with
 * its own API key, {@code <api key>-k}, under its own rate limit. {@link #tenant(int)} is a test's handle on one of
 * them; the methods on the simulator itself that act on tenant data are for a simulator of one tenant.
 *
 * <p>This class is threadsafe. A simulator starts once; after {@link #stop()} a new one is built, on the same
 * database file when the data must survive.
 *
 * @see dev.crmsync.app.simulate.SimulatorControl
 */
public final class CustomcrmSimulator implements AutoCloseable {

    private final SimulatorSettings settings;
    private final SimulatorTenants<CustomcrmTenant> tenants;

    private CustomcrmServer server;
    private boolean started;
    private String host;

    private CustomcrmSimulator(SimulatorSettings settings) {
        this.settings = settings;
        List<CustomcrmTenant> all = new ArrayList<>();
        for (int number = 1; number <= settings.tenants(); number++) {
            FaultInjector faults = new FaultInjector(settings.tenantSeed(number));
            faults.settings(settings.faults());
            all.add(new CustomcrmTenant(number, settings.tenantApiKey(number), settings.tenantDatabase(number),
                    faults));
        }
        this.tenants = new SimulatorTenants<>(all, settings.numbered());
    }

    /**
     * @return a builder; only {@link Builder#apiKey} is required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens (or creates) each tenant's database, seeds it when it is empty and a seed plan is set, and starts
     * serving.
     *
     * @param bindHost the address to listen on, e.g. {@code 127.0.0.1}
     * @param port     the port; 0 for any free one
     * @return this simulator
     * @throws IllegalStateException when it was started before
     */
    public synchronized CustomcrmSimulator start(String bindHost, int port) {
        if (started) {
            throw new IllegalStateException("a simulator starts once; build a new one to start again");
        }
        server = CustomcrmServer.start(settings, tenants, bindHost, port);
        started = true;
        host = bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
        return this;
    }

    /**
     * Stops serving and closes the databases (deleting those that were private). Does nothing when not running.
     */
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * @return the port the server listens on
     * @throws IllegalStateException when not started
     */
    public synchronized int port() {
        return running().port();
    }

    /**
     * @return where the API is, {@code http://127.0.0.1:8082}, without a trailing slash
     * @throws IllegalStateException when not started
     */
    public synchronized String baseUrl() {
        return "http://" + host + ":" + running().port();
    }

    /**
     * @param number a tenant's number, from 1
     * @return that tenant, to reach its data, faults and traffic from a test
     * @throws IllegalArgumentException when the simulator has no such tenant
     */
    public CustomcrmTenant tenant(int number) {
        return tenants.get(number);
    }

    /**
     * @return every tenant, in number order
     */
    public List<CustomcrmTenant> tenants() {
        return tenants.all();
    }

    /**
     * @return the counts of all requests answered: every tenant's, and those that sent no tenant's key
     */
    public TrafficLog.Snapshot totalTraffic() {
        return tenants.totalTraffic();
    }

    /**
     * @return the API key clients must send to reach the only tenant
     * @throws IllegalStateException when there are several tenants; use {@link #tenant(int)}
     */
    public String apiKey() {
        return tenants.only().apiKey();
    }

    /**
     * @return the fault injector of the only tenant, to queue or switch faults from a test
     * @throws IllegalStateException when there are several tenants; use {@link #tenant(int)}
     */
    public FaultInjector faults() {
        return tenants.only().faults();
    }

    /**
     * @return the switch that revokes the only tenant's API key, at once or after some writes; also
     *         {@code /_sim/revoke}
     * @throws IllegalStateException when there are several tenants; use {@link #tenant(int)}
     */
    public CredentialRevocation revocation() {
        return tenants.only().revocation();
    }

    /**
     * @return the count of the only tenant's requests answered
     * @throws IllegalStateException when there are several tenants; use {@link #tenant(int)} or
     *                               {@link #totalTraffic()}
     */
    public TrafficLog traffic() {
        return tenants.only().traffic();
    }

    /**
     * Creates a record in the only tenant as one of the customer's own users would.
     *
     * @see CustomcrmTenant#createAsUser
     */
    public JsonNode createAsUser(RecordType type, Map<String, ?> fields) {
        return tenants.only().createAsUser(type, fields);
    }

    /**
     * Changes a record of the only tenant as one of the customer's own users would, whatever its version.
     *
     * @see CustomcrmTenant#editAsUser
     */
    public JsonNode editAsUser(RecordType type, String id, Map<String, ?> changes) {
        return tenants.only().editAsUser(type, id, changes);
    }

    /**
     * Deletes a record of the only tenant as one of the customer's own users would.
     *
     * @see CustomcrmTenant#deleteAsUser
     */
    public void deleteAsUser(RecordType type, String id) {
        tenants.only().deleteAsUser(type, id);
    }

    /**
     * Reads a record of the only tenant without going through HTTP, so that a check does not count as traffic.
     *
     * @see CustomcrmTenant#record
     */
    public Optional<JsonNode> record(RecordType type, String id) {
        return tenants.only().record(type, id);
    }

    /**
     * Counts the only tenant's records without going through HTTP.
     *
     * @see CustomcrmTenant#count
     */
    public int count(RecordType type) {
        return tenants.only().count(type);
    }

    /**
     * @return the webhook subscriptions of the only tenant, for tests that count deliveries
     * @throws IllegalStateException when not running
     */
    WebhookSubscriptions webhooks() {
        return tenants.only().store().webhooks();
    }

    private synchronized CustomcrmServer running() {
        if (server == null) {
            throw new IllegalStateException("the simulator is not running");
        }
        return server;
    }

    /**
     * Collects a simulator's settings; {@link #build()} checks and copies them.
     *
     * <p>This class is not threadsafe.
     */
    public static final class Builder {
        private String apiKey;
        private Path database;
        private long seed = 42;
        private SeedPlan seedPlan;
        private InstantSource clock = InstantSource.system();
        private int rateLimit;
        private Duration rateWindow;
        private FaultSettings faults = FaultSettings.NONE;
        private boolean batch = true;
        private Integer tenants;

        private Builder() {
        }

        /**
         * Serves {@code count} tenants instead of one. Tenant {@code k} accepts the {@link #apiKey} with {@code -k}
         * appended (key {@code K} becomes {@code K-1}, {@code K-2}, …), keeps its data in a database of its own
         * (beside a {@link #database} file {@code customcrm.db}, in {@code customcrm-k.db}), is seeded from the
         * {@link #seedPlan} with seed {@code seed + k - 1} and starts with the {@link #faults}; the
         * {@link #rateLimit} holds per key, so per tenant. Without this call there is one tenant, whose key and
         * file are taken as given.
         *
         * @param count how many tenants, at least 1
         * @return this builder
         */
        public Builder tenants(int count) {
            this.tenants = SimulatorTenants.checkCount(count);
            return this;
        }

        /**
         * @param key the API key clients must send as {@code Authorization: Bearer <key>}; required
         * @return this builder
         */
        public Builder apiKey(String key) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank");
            }
            this.apiKey = key;
            return this;
        }

        /**
         * @param file the SQLite file, kept across restarts; null (the default) for a private database that is
         *             deleted on stop
         * @return this builder
         */
        public Builder database(Path file) {
            this.database = file;
            return this;
        }

        /**
         * @param worldSeed seed of the {@link SeedWorld} and of the random faults (default 42)
         * @return this builder
         */
        public Builder seed(long worldSeed) {
            this.seed = worldSeed;
            return this;
        }

        /**
         * @param plan which records to seed into an empty database; null (the default) seeds nothing. A database
         *             that holds any record, even a tombstone, is never seeded again.
         * @return this builder
         */
        public Builder seedPlan(SeedPlan plan) {
            this.seedPlan = plan;
            return this;
        }

        /**
         * @param source the time stamped on changes and seen by the rate limiter (default: the system clock)
         * @return this builder
         */
        public Builder clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "clock");
            return this;
        }

        /**
         * Limits requests per API key in a sliding window; without this call there is no limit.
         *
         * @param limit  requests per window, at least 1
         * @param window the window, positive
         * @return this builder
         */
        public Builder rateLimit(int limit, Duration window) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be >= 1: " + limit);
            }
            if (window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive: " + window);
            }
            this.rateLimit = limit;
            this.rateWindow = window;
            return this;
        }

        /**
         * @param settings the standing faults from the start (default none)
         * @return this builder
         */
        public Builder faults(FaultSettings settings) {
            this.faults = Objects.requireNonNull(settings, "faults");
            return this;
        }

        /**
         * Whether to offer the contract's optional batch writes. Without them {@code POST /batch} answers 404 and
         * the contract served at {@code /openapi.yaml} leaves them out, as a Customcrm that implements only the
         * required part of the contract would: the way to see a client fall back to one request per write.
         *
         * @param offer true (the default) to offer {@code POST /batch}
         * @return this builder
         */
        public Builder batch(boolean offer) {
            this.batch = offer;
            return this;
        }

        /**
         * @return a simulator, not yet started
         * @throws IllegalStateException when no API key was set
         */
        public CustomcrmSimulator build() {
            if (apiKey == null) {
                throw new IllegalStateException("apiKey is required");
            }
            return new CustomcrmSimulator(new SimulatorSettings(apiKey, database, seed, seedPlan, clock, rateLimit,
                    rateWindow, faults, batch, tenants == null ? 1 : tenants, tenants != null));
        }
    }
}
