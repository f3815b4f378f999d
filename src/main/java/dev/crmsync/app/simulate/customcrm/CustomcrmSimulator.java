package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.CredentialRevocation;
import dev.crmsync.app.simulate.FaultInjector;
import dev.crmsync.app.simulate.FaultSettings;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SeedWorld;
import dev.crmsync.app.simulate.TrafficLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
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
 * <p>This class is threadsafe. A simulator starts once; after {@link #stop()} a new one is built, on the same
 * database file when the data must survive.
 *
 * @see dev.crmsync.app.simulate.SimulatorControl
 */
public final class CustomcrmSimulator implements AutoCloseable {

    private final SimulatorSettings settings;
    private final FaultInjector faults;
    private final TrafficLog traffic = new TrafficLog();
    private final CredentialRevocation revocation = new CredentialRevocation();

    private CustomcrmServer server;
    private boolean started;
    private String host;

    private CustomcrmSimulator(SimulatorSettings settings) {
        this.settings = settings;
        this.faults = new FaultInjector(settings.seed());
        this.faults.settings(settings.faults());
    }

    /**
     * @return a builder; only {@link Builder#apiKey} is required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens (or creates) the database, seeds it when it is empty and a seed plan is set, and starts serving.
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
        server = CustomcrmServer.start(settings, faults, traffic, revocation, bindHost, port);
        started = true;
        host = bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
        return this;
    }

    /** Stops serving and closes the database (deleting it when it was private). Does nothing when not running. */
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
     * @return the API key clients must send
     */
    public String apiKey() {
        return settings.apiKey();
    }

    /**
     * @return the fault injector, to queue or switch faults from a test
     */
    public FaultInjector faults() {
        return faults;
    }

    /**
     * @return the switch that revokes the API key, at once or after some writes; also {@code /_sim/revoke}
     */
    public CredentialRevocation revocation() {
        return revocation;
    }

    /**
     * @return the count of requests answered
     */
    public TrafficLog traffic() {
        return traffic;
    }

    /**
     * Creates a record as one of the customer's own users would, in the CRM's own screens.
     *
     * @param type   the record type
     * @param fields the client fields, as in a {@code POST} body
     * @return the record as the API would show it
     * @throws IllegalArgumentException when the contract's rules refuse it; the message says why
     */
    public JsonNode createAsUser(RecordType type, Map<String, ?> fields) {
        return asUser(() -> records().create(type, CustomcrmJson.MAPPER.valueToTree(fields), null));
    }

    /**
     * Changes a record as one of the customer's own users would, whatever its version.
     *
     * @param type    the record type
     * @param id      the record's id
     * @param changes the fields to change, as in a merge patch: a null value removes the field
     * @return the record after the change
     * @throws IllegalArgumentException when there is no such live record or the rules refuse the change
     */
    public JsonNode editAsUser(RecordType type, String id, Map<String, ?> changes) {
        return asUser(() -> records().patch(type, id, CustomcrmJson.MAPPER.valueToTree(changes),
                OptionalLong.empty()));
    }

    /**
     * Deletes a record as one of the customer's own users would.
     *
     * @param type the record type
     * @param id   the record's id
     * @throws IllegalArgumentException when there is no such live record, or live records still refer to it
     */
    public void deleteAsUser(RecordType type, String id) {
        asUser(() -> {
            records().delete(type, id, OptionalLong.empty());
            return null;
        });
    }

    /**
     * Reads a record without going through HTTP, so that a check does not count as traffic.
     *
     * @param type the record type
     * @param id   the record's id
     * @return the record as the API shows it, a tombstone when deleted; empty when there never was one
     */
    public Optional<JsonNode> record(RecordType type, String id) {
        return records().find(type, id).map(JsonNode.class::cast);
    }

    /**
     * Counts records without going through HTTP.
     *
     * @param type the record type
     * @return how many records of the type exist, deleted ones left out
     */
    public int count(RecordType type) {
        return records().count(type);
    }

    /**
     * @return the webhook subscriptions of the running server, for tests that count deliveries
     */
    WebhookSubscriptions webhooks() {
        return running().webhooks();
    }

    private static <T> T asUser(Supplier<T> change) {
        try {
            return change.get();
        } catch (ProblemException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private CustomcrmRecords records() {
        return running().records();
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

        private Builder() {
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
                    rateWindow, faults, batch));
        }
    }
}
