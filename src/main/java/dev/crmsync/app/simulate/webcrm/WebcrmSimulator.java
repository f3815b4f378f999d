package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.adapters.http.SlidingWindowRateLimiter;
import dev.crmsync.app.simulate.CredentialRevocation;
import dev.crmsync.app.simulate.FaultFilter;
import dev.crmsync.app.simulate.FaultInjector;
import dev.crmsync.app.simulate.FaultSettings;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SimulatorControl;
import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.app.simulate.SimulatorServers;
import dev.crmsync.app.simulate.TrafficLog;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A webCRM tenant behind a real HTTP server, faithful to webCRM REST API v1 as {@code API-NOTES.md} describes it,
 * quirks included: form login for a one-hour bearer token, bare-array paging, full-replace PUT, PATCH bulk upsert
 * with per-item result strings, DELETE for products only, {@code /Queries}, offset-less Copenhagen timestamps, and
 * a sliding-window rate limit per application token, and hooks ({@code /Organisations/Hooks} etc.) that are told
 * of every change, the {@code …AsUser} ones included ({@code WebcrmHooks}). Faults are injected through
 * {@link #faults()} or the {@code /_sim} control routes; {@code docs/simulators/webcrm.md} lists every endpoint and
 * convention.
 *
 * <pre>{@code
 * try (WebcrmSimulator sim = WebcrmSimulator.builder().token("T").seedPlan(new SeedPlan(0, 60, 150, 80)).build()) {
 *     sim.start("127.0.0.1", 0);
 *     // point a client at sim.baseUrl() and log in with authCode=T
 * }
 * }</pre>
 *
 * <p>Besides the API, the {@code …AsUser} methods change data the way a person in webCRM's user interface does:
 * the stamps name {@link Builder#userName the user}, and organisations and persons can be deleted, which the API
 * cannot do.
 *
 * <p>This class is threadsafe. Configure it with the {@link Builder}; {@link #start} it once.
 */
public final class WebcrmSimulator implements AutoCloseable {

    /** Logging in changes no tenant data, so the traffic log does not count it as a write. */
    private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    /**
     * The largest request body taken. webCRM documents no limit; it runs on ASP.NET, whose servers (Kestrel's
     * {@code MaxRequestBodySize}, IIS's {@code maxAllowedContentLength}) take 30,000,000 bytes unless told
     * otherwise. Javalin's own default, 1 MB, would refuse a memo field webCRM keeps.
     */
    static final long MAX_REQUEST_BYTES = 30_000_000;

    private final WebcrmRecords records;
    private final WebcrmHooks hooks;
    private final FaultInjector faults;
    private final CredentialRevocation revocation = new CredentialRevocation();
    private final TrafficLog traffic = new TrafficLog();
    private final String userName;
    private final AtomicReference<PatchQuirks> patchQuirks;
    private final Javalin server;
    private volatile String host = "127.0.0.1";

    private WebcrmSimulator(Builder b) {
        this.records = new WebcrmRecords(b.clock);
        this.userName = b.userName;
        this.patchQuirks = new AtomicReference<>(b.patchQuirks);
        this.faults = new FaultInjector(b.seed);
        faults.settings(b.faults);
        WebcrmSeeder.seed(records, b.seedPlan, b.seed, WebcrmTimestamps.now(b.clock), b.userName);
        this.hooks = new WebcrmHooks(b.clock);
        records.onChange(hooks::changed);
        WebcrmAccessControl access = new WebcrmAccessControl(new WebcrmAuth(b.tokens, b.clock),
                new SlidingWindowRateLimiter(b.rateLimit, b.rateWindow, b.clock), b.rateWindow, revocation,
                WRITE_METHODS);
        this.server = SimulatorServers.create(cfg -> {
            cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
            // A declared length over the limit is refused in webCRM's error shape before the body is read.
            cfg.routes.before(ctx -> {
                if (ctx.contentLength() > MAX_REQUEST_BYTES) {
                    throw WebcrmApiException.tooLarge("The request body is larger than " + MAX_REQUEST_BYTES
                            + " bytes");
                }
            });
            // Faults first, so an injected failure is answered before a token is checked or counted.
            BiPredicate<String, String> isWrite =
                    (method, route) -> WRITE_METHODS.contains(method) && !route.startsWith("/Auth/");
            FaultFilter.install(cfg, faults, access::writeFault, isWrite);
            SimulatorControl.install(cfg, faults, traffic, isWrite);
            revocation.install(cfg);
            access.install(cfg);
            // Before the entity routes, which would take GET /Organisations/Hooks for a record id.
            new WebcrmHookRoutes(hooks).install(cfg);
            new WebcrmEntityRoutes(records, b.emptyOrganisationPostBody, patchQuirks::get).install(cfg);
            installPatchControl(cfg);
            new WebcrmReadRoutes(records).install(cfg);
            cfg.routes.exception(WebcrmApiException.class, (e, ctx) -> WebcrmErrors.write(ctx, e));
        });
    }

    /**
     * @return a builder with the defaults described on its methods
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts serving.
     *
     * @param host the address to bind, e.g. {@code 127.0.0.1}
     * @param port the port, or 0 for any free one
     * @return this simulator
     */
    public WebcrmSimulator start(String host, int port) {
        server.start(host, port);
        // A wildcard bind is reachable on loopback; any other address is where the server listens.
        this.host = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return this;
    }

    /**
     * @return the port the server listens on
     */
    public int port() {
        return server.port();
    }

    /**
     * @return e.g. {@code http://127.0.0.1:8081}, without a trailing slash
     */
    public String baseUrl() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /**
     * @return the fault injector, to queue or switch faults from a test
     */
    public FaultInjector faults() {
        return faults;
    }

    /**
     * @return the switch that revokes the tenant's tokens, at once or after some writes; also {@code /_sim/revoke}
     */
    public CredentialRevocation revocation() {
        return revocation;
    }

    /**
     * Changes how bulk {@code PATCH} behaves from the next request on; also {@code PUT /_sim/patch}.
     *
     * @param quirks the behaviour; {@link PatchQuirks#NONE} for what webCRM documents
     */
    public void patchQuirks(PatchQuirks quirks) {
        patchQuirks.set(Objects.requireNonNull(quirks, "quirks"));
    }

    /**
     * {@code GET /_sim/patch} and {@code PUT /_sim/patch} with
     * {@code {"maxItems":0,"badItemFailsBatch":false,"answers":"per-item","slowAboveItems":0,"slowMillis":0}}:
     * the {@link PatchQuirks} over HTTP, like the other control routes never faulted or rate limited.
     */
    private void installPatchControl(JavalinConfig cfg) {
        cfg.routes.get("/_sim/patch", ctx -> ctx.json(describe(patchQuirks.get())));
        cfg.routes.put("/_sim/patch", ctx -> {
            JsonNode body = SimulatorJson.mapper().readTree(ctx.body().isBlank() ? "{}" : ctx.body());
            try {
                patchQuirks.set(new PatchQuirks(body.path("maxItems").asInt(0),
                        body.path("badItemFailsBatch").asBoolean(false),
                        PatchQuirks.Answers.of(body.path("answers").asString("per-item")),
                        body.path("slowAboveItems").asInt(0),
                        Duration.ofMillis(body.path("slowMillis").asLong(0))));
            } catch (IllegalArgumentException e) {
                throw new BadRequestResponse(e.getMessage());
            }
            ctx.json(describe(patchQuirks.get()));
        });
    }

    private static Map<String, Object> describe(PatchQuirks quirks) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("maxItems", quirks.maxItems());
        out.put("badItemFailsBatch", quirks.badItemFailsBatch());
        out.put("answers", quirks.answers().text());
        out.put("slowAboveItems", quirks.slowAboveItems());
        out.put("slowMillis", quirks.slowDelay().toMillis());
        return out;
    }

    /**
     * @return the counts of requests answered
     */
    public TrafficLog traffic() {
        return traffic;
    }

    /** Stops serving and delivering hooks; the data stays readable through {@link #record}. */
    public void stop() {
        server.stop();
        hooks.close();
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Creates a record as a user in webCRM's interface would.
     *
     * @param entity the record kind
     * @param values property values; names and value forms as in the DTO
     * @return the new id
     * @throws WebcrmApiException when webCRM would refuse the values
     */
    public int createAsUser(WebcrmEntity entity, Map<String, ?> values) {
        return records.create(entity, SimulatorJson.mapper().valueToTree(values), userName);
    }

    /**
     * Changes some properties of a record as a user in webCRM's interface would: the others keep their values,
     * and the updated stamps move to now and the user.
     *
     * @param entity  the record kind
     * @param id      the record's id
     * @param changes the properties to change; a null value clears one
     * @throws WebcrmApiException a 404 for an unknown id, a 400 when webCRM would refuse the values
     */
    public void editAsUser(WebcrmEntity entity, int id, Map<String, ?> changes) {
        ObjectNode edited = record(entity, id).map(ObjectNode.class::cast)
                .orElseThrow(() -> WebcrmApiException.notFound(entity, id));
        edited.setAll((ObjectNode) SimulatorJson.mapper().valueToTree(changes));
        records.replace(entity, id, edited, userName);
    }

    /**
     * Changes some properties of a record behind the change feed's back, as a bulk import or a restore of webCRM's
     * data that keeps the old updated stamps would: no {@code UpdatedAt} query and no hook reports it; only a
     * full read finds it (a resync).
     *
     * @param entity  the record kind
     * @param id      the record's id
     * @param changes the properties to change; a null value clears one
     * @throws WebcrmApiException a 404 for an unknown id, a 400 when webCRM would refuse the values
     */
    public void editUnreported(WebcrmEntity entity, int id, Map<String, ?> changes) {
        ObjectNode edited = record(entity, id).map(ObjectNode.class::cast)
                .orElseThrow(() -> WebcrmApiException.notFound(entity, id));
        edited.setAll((ObjectNode) SimulatorJson.mapper().valueToTree(changes));
        records.replaceUnstamped(entity, id, edited);
    }

    /**
     * Deletes a record as a user in webCRM's interface would; the only way to delete organisations and persons.
     * An organisation takes its persons and products with it.
     *
     * @param entity the record kind
     * @param id     the record's id
     * @throws WebcrmApiException a 404 for an unknown id
     */
    public void deleteAsUser(WebcrmEntity entity, int id) {
        records.delete(entity, id, userName);
    }

    /**
     * @param entity the record kind
     * @param id     the record's id
     * @return the record as {@code GET /{Entity}/{id}} serves it, or empty
     */
    public Optional<JsonNode> record(WebcrmEntity entity, int id) {
        return records.find(entity, id).map(r -> WebcrmDtoWriter.toDto(entity, r));
    }

    /**
     * @param entity the record kind
     * @return how many records of that kind exist
     */
    public int count(WebcrmEntity entity) {
        return records.all(entity).size();
    }

    /**
     * Configures a {@link WebcrmSimulator}.
     *
     * <p>This class is not threadsafe.
     */
    public static final class Builder {
        private final Set<String> tokens = new LinkedHashSet<>();
        private long seed = 42;
        private SeedPlan seedPlan = new SeedPlan(0, 0, 0, 0);
        private InstantSource clock = InstantSource.system();
        private int rateLimit = 250;
        private Duration rateWindow = Duration.ofMinutes(1);
        private FaultSettings faults = FaultSettings.NONE;
        private boolean emptyOrganisationPostBody;
        private PatchQuirks patchQuirks = PatchQuirks.NONE;
        private String userName = "Sim User";

        private Builder() {
        }

        /**
         * Adds an application token that {@code /Auth/ApiLogin} accepts. Call it again for more tokens; each has
         * its own rate-limit quota. At least one is required.
         *
         * @param applicationToken the token, e.g. a GUID
         * @return this builder
         */
        public Builder token(String applicationToken) {
            if (applicationToken == null || applicationToken.isBlank()) {
                throw new IllegalArgumentException("token must not be blank");
            }
            tokens.add(applicationToken);
            return this;
        }

        /**
         * @param seed seeds the data and the random fault choices (default 42)
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param plan which records to start with (default none)
         * @return this builder
         */
        public Builder seedPlan(SeedPlan plan) {
            this.seedPlan = Objects.requireNonNull(plan, "plan");
            return this;
        }

        /**
         * @param clock the time source for stamps, token expiry and the rate limit (default the system clock)
         * @return this builder
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param limit  requests per window and application token (default 250, webCRM's)
         * @param window the sliding window (default one minute)
         * @return this builder
         */
        public Builder rateLimit(int limit, Duration window) {
            if (limit < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("rate limit must be >= 1 per positive window");
            }
            this.rateLimit = limit;
            this.rateWindow = window;
            return this;
        }

        /**
         * @param settings the standing faults to start with (default none)
         * @return this builder
         */
        public Builder faults(FaultSettings settings) {
            this.faults = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * @param empty true to answer {@code POST /Organisations} with 200 and an empty body, which webCRM's
         *              Swagger document allows, so a client's fallback lookup can be tested (default false)
         * @return this builder
         */
        public Builder emptyOrganisationPostBody(boolean empty) {
            this.emptyOrganisationPostBody = empty;
            return this;
        }

        /**
         * @param quirks how bulk {@code PATCH} behaves where webCRM documents nothing (default
         *               {@link PatchQuirks#NONE})
         * @return this builder
         */
        public Builder patchQuirks(PatchQuirks quirks) {
            this.patchQuirks = Objects.requireNonNull(quirks, "quirks");
            return this;
        }

        /**
         * @param name the webCRM user the {@code …AsUser} methods and the seed act as (default "Sim User")
         * @return this builder
         */
        public Builder userName(String name) {
            this.userName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @return a simulator, seeded but not yet started
         * @throws IllegalStateException when no token was given
         */
        public WebcrmSimulator build() {
            if (tokens.isEmpty()) {
                throw new IllegalStateException("at least one application token is required");
            }
            return new WebcrmSimulator(this);
        }
    }
}
