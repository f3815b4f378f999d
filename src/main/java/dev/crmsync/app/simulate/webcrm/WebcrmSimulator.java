package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.adapters.http.SlidingWindowRateLimiter;
import dev.crmsync.app.simulate.CredentialRevocation;
import dev.crmsync.app.simulate.FaultFilter;
import dev.crmsync.app.simulate.FaultInjector;
import dev.crmsync.app.simulate.FaultSettings;
import dev.crmsync.app.simulate.HookDelivery;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SimulatedTenant;
import dev.crmsync.app.simulate.SimulatorControl;
import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.app.simulate.SimulatorServers;
import dev.crmsync.app.simulate.SimulatorTenants;
import dev.crmsync.app.simulate.TrafficLog;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import tools.jackson.databind.JsonNode;

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
 * <p>One simulator can serve many tenants on its one port ({@link Builder#tenants}), as webCRM serves many
 * customers: tenant {@code k} has its own data, hooks, faults, traffic counts and token revocation, and is reached
 * with its own application tokens, {@code <token>-k}, each with its own rate-limit quota. {@link #tenant(int)} is a
 * test's handle on one of them; the methods on the simulator itself that act on tenant data are for a simulator of
 * one tenant.
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

    private final SimulatorTenants<WebcrmTenant> tenants;
    /** Sends every tenant's hooks: one client for all, so that a tenant costs no thread. */
    private final HookDelivery hookDelivery = new HookDelivery();
    private final AtomicReference<PatchQuirks> patchQuirks;
    private final Javalin server;
    private volatile String host = "127.0.0.1";

    private WebcrmSimulator(Builder b) {
        this.patchQuirks = new AtomicReference<>(b.patchQuirks);
        this.tenants = new SimulatorTenants<>(newTenants(b), b.tenants != null);
        Set<String> allTokens = new LinkedHashSet<>();
        tenants.all().forEach(t -> allTokens.addAll(t.applicationTokens()));
        WebcrmAccessControl access = new WebcrmAccessControl(new WebcrmAuth(allTokens, b.clock), tenants,
                new SlidingWindowRateLimiter(b.rateLimit, b.rateWindow, b.clock), b.rateWindow, WRITE_METHODS);
        this.server = SimulatorServers.create(cfg -> {
            cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
            // A declared length over the limit is refused in webCRM's error shape. The body is read (and dropped)
            // first: answering while the client still sends makes the server close the connection under it, and
            // the client, still writing, then sees a reset now and then rather than the 413.
            cfg.routes.before(ctx -> {
                if (ctx.contentLength() > MAX_REQUEST_BYTES) {
                    try (java.io.InputStream body = ctx.req().getInputStream()) {
                        body.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                    throw WebcrmApiException.tooLarge("The request body is larger than " + MAX_REQUEST_BYTES
                            + " bytes");
                }
            });
            // The tenant first, then its faults, so an injected failure is answered before a token is checked or
            // counted.
            access.installIdentification(cfg);
            BiPredicate<String, String> isWrite =
                    (method, route) -> WRITE_METHODS.contains(method) && !route.startsWith("/Auth/");
            FaultFilter.install(cfg, ctx -> tenants.attributed(ctx).map(SimulatedTenant::faults),
                    access::writeFault, isWrite);
            SimulatorControl.install(cfg, tenants, isWrite);
            access.install(cfg);
            // Before the entity routes, which would take GET /Organisations/Hooks for a record id.
            new WebcrmHookRoutes(ctx -> access.tenant(ctx).hooks()).install(cfg);
            new WebcrmEntityRoutes(ctx -> access.tenant(ctx).records(), b.emptyOrganisationPostBody,
                    patchQuirks::get).install(cfg);
            installPatchControl(cfg);
            new WebcrmReadRoutes(ctx -> access.tenant(ctx).records()).install(cfg);
            cfg.routes.exception(WebcrmApiException.class, (e, ctx) -> WebcrmErrors.write(ctx, e));
        });
    }

    /** Seeds each tenant from the plan with a seed of its own ({@link SimulatorTenants#seed}). */
    private List<WebcrmTenant> newTenants(Builder b) {
        List<WebcrmTenant> out = new ArrayList<>();
        int count = b.tenants == null ? 1 : b.tenants;
        for (int number = 1; number <= count; number++) {
            long seed = SimulatorTenants.seed(b.seed, number);
            WebcrmRecords records = new WebcrmRecords(b.clock);
            WebcrmSeeder.seed(records, b.seedPlan, seed, WebcrmTimestamps.now(b.clock), b.userName);
            WebcrmHooks hooks = new WebcrmHooks(b.clock, hookDelivery.sharingClient());
            records.onChange(hooks::changed);
            FaultInjector faults = new FaultInjector(seed);
            faults.settings(b.faults);
            int k = number;
            List<String> tokens = b.tokens.stream()
                    .map(token -> SimulatorTenants.credential(token, k, b.tenants != null)).toList();
            out.add(new WebcrmTenant(number, tokens, records, hooks, faults, b.userName));
        }
        return out;
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
     * @param number a tenant's number, from 1
     * @return that tenant, to reach its data, faults and traffic from a test
     * @throws IllegalArgumentException when the simulator has no such tenant
     */
    public WebcrmTenant tenant(int number) {
        return tenants.get(number);
    }

    /**
     * @return every tenant, in number order
     */
    public List<WebcrmTenant> tenants() {
        return tenants.all();
    }

    /**
     * @return the counts of all requests answered: every tenant's, and those that carried no tenant's token
     */
    public TrafficLog.Snapshot totalTraffic() {
        return tenants.totalTraffic();
    }

    /**
     * @return the fault injector of the only tenant, to queue or switch faults from a test
     * @throws IllegalStateException when there are several tenants; use {@link #tenant(int)}
     */
    public FaultInjector faults() {
        return tenants.only().faults();
    }

    /**
     * @return the switch that revokes the only tenant's tokens, at once or after some writes; also
     *         {@code /_sim/revoke}
     * @throws IllegalStateException when there are several tenants; use {@link #tenant(int)}
     */
    public CredentialRevocation revocation() {
        return tenants.only().revocation();
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
     * @return the counts of the only tenant's requests answered
     * @throws IllegalStateException when there are several tenants; use {@link #tenant(int)} or
     *                               {@link #totalTraffic()}
     */
    public TrafficLog traffic() {
        return tenants.only().traffic();
    }

    /** Stops serving and delivering hooks; the data stays readable through {@link #record}. */
    public void stop() {
        server.stop();
        tenants.all().forEach(t -> t.hooks().close());
        hookDelivery.close();
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Creates a record in the only tenant as a user in webCRM's interface would.
     *
     * @see WebcrmTenant#createAsUser
     */
    public int createAsUser(WebcrmEntity entity, Map<String, ?> values) {
        return tenants.only().createAsUser(entity, values);
    }

    /**
     * Changes some properties of a record of the only tenant as a user in webCRM's interface would.
     *
     * @see WebcrmTenant#editAsUser
     */
    public void editAsUser(WebcrmEntity entity, int id, Map<String, ?> changes) {
        tenants.only().editAsUser(entity, id, changes);
    }

    /**
     * Changes some properties of a record of the only tenant behind the change feed's back.
     *
     * @see WebcrmTenant#editUnreported
     */
    public void editUnreported(WebcrmEntity entity, int id, Map<String, ?> changes) {
        tenants.only().editUnreported(entity, id, changes);
    }

    /**
     * Deletes a record of the only tenant as a user in webCRM's interface would.
     *
     * @see WebcrmTenant#deleteAsUser
     */
    public void deleteAsUser(WebcrmEntity entity, int id) {
        tenants.only().deleteAsUser(entity, id);
    }

    /**
     * @return a record of the only tenant as {@code GET /{Entity}/{id}} serves it, or empty
     * @see WebcrmTenant#record
     */
    public Optional<JsonNode> record(WebcrmEntity entity, int id) {
        return tenants.only().record(entity, id);
    }

    /**
     * @return how many records of that kind the only tenant has
     * @see WebcrmTenant#count
     */
    public int count(WebcrmEntity entity) {
        return tenants.only().count(entity);
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
        private Integer tenants;

        private Builder() {
        }

        /**
         * Serves {@code count} tenants instead of one. Tenant {@code k} accepts each {@link #token} with
         * {@code -k} appended (token {@code T} becomes {@code T-1}, {@code T-2}, …), so no token reaches two
         * tenants; each is seeded from the {@link #seedPlan} with seed {@code seed + k - 1} and starts with the
         * {@link #faults}; the {@link #rateLimit} holds per token, so per tenant. Without this call there is one
         * tenant, whose tokens are taken as given.
         *
         * @param count how many tenants, at least 1
         * @return this builder
         */
        public Builder tenants(int count) {
            this.tenants = SimulatorTenants.checkCount(count);
            return this;
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
