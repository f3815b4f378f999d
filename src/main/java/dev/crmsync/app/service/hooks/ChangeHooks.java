package dev.crmsync.app.service.hooks;

import dev.crmsync.adapters.customcrm.CustomcrmConnector;
import dev.crmsync.adapters.webcrm.WebcrmConnector;
import dev.crmsync.app.SyncConnection;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Connector;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * crmsync's change hooks: registered on both systems when the service starts, removed when it stops, and received
 * on two routes of the service's own HTTP server. A hook only says "read now": it hints the flow it names, and the
 * flow's next cycle reads the changes as every poll does. A hook that never arrives costs nothing but time, since
 * polling still finds the change (issue 4).
 *
 * <ul>
 *   <li><b>webCRM</b> ({@code <public-url>/hooks/webcrm/<key>}): per flow, one hook per event type on the flow's
 *       entity ({@link WebcrmConnector#replaceHooks}). webCRM signs nothing, so a random key in the URL
 *       authenticates a delivery: compared in constant time, a wrong key answers 404. The payload is undocumented
 *       and read leniently ({@link WebcrmHookPayload}): the entity it names picks the flow, anything unreadable
 *       hints every flow. A {@code Delete} goes to the delete hint, since webCRM keeps no tombstones and only a
 *       complete id list shows a delete. A delivery carries no time and no id, so a stale or replayed one cannot
 *       be told from a fresh one; it could only come from someone who knows this start's key, and would cost one
 *       early read.</li>
 *   <li><b>Customcrm</b> ({@code <public-url>/hooks/customcrm}): one subscription for all record types
 *       ({@link CustomcrmConnector#replaceWebhooks}), signed with a random secret: the signature is checked in
 *       constant time and its time must be within 5 minutes of this clock, else 401 with a short reason. A
 *       delivery accepted before (the same signed body: the same change of the same record) is refused with 409,
 *       so a copy recorded and sent again inside those 5 minutes hints nothing ({@link DeliveryMemory}). The
 *       payload's {@code type} picks the flow.</li>
 * </ul>
 *
 * <p>The key and the secret are made afresh by every {@link #start()} (no configuration needed) and appear in no
 * log, message or status. A registration that fails is reported through {@link #problem(Side)} and logged, never
 * thrown: the service polls all the same. Hooks left behind by a start that never stopped are recognised by their
 * URL and replaced.
 *
 * <p>The routes ({@link #install}) must not sit behind the management API's token (neither system could send it)
 * and answer {@code 202} at once: the hint callbacks run on the request thread and must not block, e.g.
 * {@code SyncService::hint}. When the public URL has a path ({@code https://host/crmsync}), the routes stay at
 * {@code /hooks/…}: a proxy in front strips the prefix. A process that serves several connections gives each its
 * {@link Builder#routePrefix route prefix}, e.g. {@code /connections/acme}: its routes and the URLs registered
 * both start with it, so each connection hears only its own systems.
 *
 * <p>This class is threadsafe.
 *
 * @see WebcrmConnector#replaceHooks
 * @see CustomcrmConnector#replaceWebhooks
 */
public final class ChangeHooks {

    /** Where both routes live; the management API leaves paths under it unguarded. */
    public static final String PATH_PREFIX = "/hooks/";
    /** How far a Customcrm signature's time may be from this clock, either way; the contract's figure. */
    public static final Duration SIGNATURE_TOLERANCE = Duration.ofMinutes(5);

    static final String WEBCRM_ROUTE = "/hooks/webcrm/{key}";
    static final String CUSTOMCRM_ROUTE = "/hooks/customcrm";
    /** The answer to a Customcrm delivery accepted before. */
    static final String REPLAYED = "this delivery was received already";
    private static final int RANDOM_BYTES = 32;
    private static final Logger log = LoggerFactory.getLogger(ChangeHooks.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** This start's credentials; a delivery is checked against them. */
    private record Credentials(String key, Secret secret) {
    }

    private final String publicUrl;
    private final String routePrefix;
    private final Set<Flow> flows;
    private final Connector webcrm;
    private final Connector customcrm;
    private final Consumer<Flow> hint;
    private final Consumer<Flow> deleteHint;
    private final Consumer<Side> onReceived;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<Side, AtomicLong> received = new EnumMap<>(Side.class);
    private final Map<Side, AtomicLong> refused = new EnumMap<>(Side.class);
    private final Map<Side, String> problems = new ConcurrentHashMap<>();
    private final Set<Side> registered = ConcurrentHashMap.newKeySet();
    private final DeliveryMemory customcrmSeen = new DeliveryMemory(SIGNATURE_TOLERANCE);
    private volatile Credentials credentials;

    private ChangeHooks(Builder b) {
        this.publicUrl = b.publicUrl;
        this.routePrefix = b.routePrefix;
        this.flows = Set.copyOf(b.flows);
        this.webcrm = b.webcrm;
        this.customcrm = b.customcrm;
        this.hint = b.hint;
        this.deleteHint = b.deleteHint == null ? b.hint : b.deleteHint;
        this.onReceived = b.onReceived;
        this.clock = b.clock;
        for (Side side : Side.values()) {
            received.put(side, new AtomicLong());
            refused.put(side, new AtomicLong());
        }
    }

    /**
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param connection a connection whose configuration has {@code server.public-url}
     * @return a builder with the public URL, the configured flows and both connectors of the connection; only the
     *         hints are left to set
     * @throws IllegalArgumentException when the configuration has no public URL
     */
    public static Builder builder(SyncConnection connection) {
        URI url = connection.config().service().publicUrl();
        if (url == null) {
            throw new IllegalArgumentException("server.public-url is not set: there is nowhere to send hooks to");
        }
        return new Builder().publicUrl(url).flows(connection.config().mappings().keySet())
                .webcrm(connection.connector(Side.WEBCRM)).customcrm(connection.connector(Side.CUSTOMCRM));
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Makes a fresh key and secret, then registers the hooks on both systems, replacing any left from an earlier
     * start. Deliveries are accepted from the moment the credentials exist, so one that arrives while the other
     * system is still being registered is not lost. Failures are reported, not thrown.
     *
     * @throws IllegalStateException when already started
     */
    public synchronized void start() {
        if (credentials != null) {
            throw new IllegalStateException("the change hooks are started already");
        }
        credentials = new Credentials(randomText(), new Secret(randomText()));
        registerWebcrm(credentials.key());
        registerCustomcrm(credentials.secret());
    }

    /**
     * Stops accepting deliveries, then removes crmsync's hooks from both systems, as far as they can be reached.
     * Failures are logged, not thrown: the next start replaces what is left. Does nothing when not started.
     */
    public synchronized void stop() {
        if (credentials == null) {
            return;
        }
        credentials = null;
        registered.clear();
        if (webcrm instanceof WebcrmConnector connector) {
            for (Flow flow : flows) {
                try {
                    connector.removeHooks(flow, webcrmPrefix());
                } catch (RuntimeException e) {
                    log.atWarn().addKeyValue("flow", flow.configName()).addKeyValue("problem", e.getMessage())
                            .log("could not remove the webCRM hooks; the next start replaces them");
                }
            }
        }
        if (customcrm instanceof CustomcrmConnector connector) {
            try {
                connector.removeWebhooks(customcrmUrl());
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("problem", e.getMessage())
                        .log("could not remove the Customcrm webhook; the next start replaces it");
            }
        }
    }

    /**
     * @return whether {@link #start()} ran and {@link #stop()} did not since
     */
    public boolean isStarted() {
        return credentials != null;
    }

    // ---------------------------------------------------------------- status

    /**
     * @param side a system
     * @return whether the last start registered that system's hooks completely
     */
    public boolean isRegistered(Side side) {
        return registered.contains(side);
    }

    /**
     * @param side a system
     * @return why the last start could not register that system's hooks; empty when it could, or before a start
     */
    public Optional<String> problem(Side side) {
        return Optional.ofNullable(problems.get(side));
    }

    /**
     * @param side a system
     * @return deliveries from that system accepted since this object was made
     */
    public long received(Side side) {
        return received.get(side).get();
    }

    /**
     * @param side a system
     * @return deliveries refused since this object was made: wrong key, bad or stale signature, received
     *         already, or not started
     */
    public long refused(Side side) {
        return refused.get(side).get();
    }

    // ---------------------------------------------------------------- HTTP

    /**
     * Adds the two routes, {@code POST /hooks/webcrm/{key}} and {@code POST /hooks/customcrm}, after the route
     * prefix if any, to a server being configured. They are guarded by key and signature alone; the caller must
     * keep its own authentication off {@link #PATH_PREFIX}.
     *
     * @param cfg the Javalin configuration of the service's server
     */
    public void install(JavalinConfig cfg) {
        cfg.routes.post(routePrefix + WEBCRM_ROUTE, this::webcrmDelivery);
        cfg.routes.post(routePrefix + CUSTOMCRM_ROUTE, this::customcrmDelivery);
    }

    private void webcrmDelivery(Context ctx) {
        Credentials current = credentials;
        if (current == null || !sameText(ctx.pathParam("key"), current.key())) {
            refused.get(Side.WEBCRM).incrementAndGet();
            // Not a word about why: to a guesser, a wrong key looks like a route that does not exist.
            log.atDebug().log("refused a webCRM hook delivery with a wrong key");
            ctx.status(404).contentType("text/plain").result("not found");
            return;
        }
        accepted(Side.WEBCRM);
        WebcrmHookPayload payload = WebcrmHookPayload.read(ctx.body());
        Set<Flow> named = payload.flows().isEmpty() ? flows : intersection(payload.flows());
        log.atDebug().addKeyValue("flows", named).addKeyValue("delete", payload.delete())
                .log("webCRM hook received");
        named.forEach(flow -> hintSafely(payload.delete() ? deleteHint : hint, flow));
        ctx.status(202).result("");
    }

    private void customcrmDelivery(Context ctx) {
        Credentials current = credentials;
        byte[] body = ctx.bodyAsBytes();
        Optional<String> refusal = current == null ? Optional.of("no webhook subscription is active")
                : CustomcrmSignature.refusal(ctx.header(CustomcrmSignature.HEADER), body, current.secret(),
                        clock.instant(), SIGNATURE_TOLERANCE);
        if (refusal.isPresent()) {
            refused.get(Side.CUSTOMCRM).incrementAndGet();
            // A signed delivery that fails points at a wrong secret or clock: worth a warning. Unsigned noise is not.
            (ctx.header(CustomcrmSignature.HEADER) == null ? log.atDebug() : log.atWarn())
                    .addKeyValue("reason", refusal.get()).log("refused a Customcrm webhook delivery");
            ctx.status(401).contentType("text/plain").result(refusal.get());
            return;
        }
        if (!customcrmSeen.firstTime(body, clock.instant())) {
            refused.get(Side.CUSTOMCRM).incrementAndGet();
            // Authentic, but accepted before: a copy replayed within the signature's window, or a retry.
            log.atInfo().log("refused a Customcrm webhook delivery that was received already");
            ctx.status(409).contentType("text/plain").result(REPLAYED);
            return;
        }
        accepted(Side.CUSTOMCRM);
        Optional<Flow> named = customcrmFlow(body);
        log.atDebug().addKeyValue("flow", named.map(Flow::configName).orElse("all")).log("Customcrm webhook received");
        if (named.isEmpty()) {
            flows.forEach(flow -> hintSafely(hint, flow));
        } else if (flows.contains(named.get())) {
            // Customcrm keeps tombstones in its feed: a delete needs no more than an early read either.
            hintSafely(hint, named.get());
        }
        ctx.status(202).result("");
    }

    // ---------------------------------------------------------------- registration

    private void registerWebcrm(String key) {
        if (!(webcrm instanceof WebcrmConnector connector)) {
            failed(Side.WEBCRM, "this webCRM connector cannot register hooks");
            return;
        }
        try {
            int leftovers = 0;
            for (Flow flow : flows) {
                leftovers += connector.replaceHooks(flow, webcrmPrefix(), webcrmPrefix() + key);
            }
            succeeded(Side.WEBCRM, leftovers);
        } catch (RuntimeException e) {
            failed(Side.WEBCRM, e.getMessage());
        }
    }

    private void registerCustomcrm(Secret secret) {
        if (!(customcrm instanceof CustomcrmConnector connector)) {
            failed(Side.CUSTOMCRM, "this Customcrm connector cannot register webhooks");
            return;
        }
        try {
            connector.replaceWebhooks(customcrmUrl(), customcrmUrl(), secret);
            succeeded(Side.CUSTOMCRM, -1);
        } catch (RuntimeException e) {
            failed(Side.CUSTOMCRM, e.getMessage());
        }
    }

    private void succeeded(Side side, int leftovers) {
        problems.remove(side);
        registered.add(side);
        var line = log.atInfo().addKeyValue("system", side.label()).addKeyValue("flows", flows.size());
        if (leftovers >= 0) {
            line = line.addKeyValue("leftoversRemoved", leftovers);
        }
        line.log("change hooks registered");
    }

    private void failed(Side side, String problem) {
        String reason = problem == null || problem.isBlank() ? "unknown failure" : problem;
        problems.put(side, reason);
        registered.remove(side);
        log.atWarn().addKeyValue("system", side.label()).addKeyValue("problem", reason)
                .log("change hooks not registered; polling alone finds the changes");
    }

    // ---------------------------------------------------------------- plumbing

    private void accepted(Side side) {
        received.get(side).incrementAndGet();
        try {
            onReceived.accept(side);
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("the hook counter failed");
        }
    }

    private void hintSafely(Consumer<Flow> target, Flow flow) {
        try {
            target.accept(flow);
        } catch (RuntimeException e) {
            // A paused flow may refuse; the delivery was still good, and the poll will come.
            log.atInfo().addKeyValue("flow", flow.configName()).addKeyValue("problem", e.getMessage())
                    .log("a change hook's hint was not taken");
        }
    }

    private Set<Flow> intersection(Set<Flow> named) {
        Set<Flow> out = EnumSet.noneOf(Flow.class);
        named.stream().filter(flows::contains).forEach(out::add);
        return out;
    }

    private static Optional<Flow> customcrmFlow(byte[] body) {
        try {
            JsonNode type = JSON.readTree(body).path("type");
            for (Flow flow : Flow.values()) {
                if (type.isString() && flow.customcrmCollection().equals(type.asString())) {
                    return Optional.of(flow);
                }
            }
        } catch (JacksonException e) {
            // Authentic but unreadable: every flow is hinted.
        }
        return Optional.empty();
    }

    private String webcrmPrefix() {
        return publicUrl + routePrefix + "/hooks/webcrm/";
    }

    private String customcrmUrl() {
        return publicUrl + routePrefix + CUSTOMCRM_ROUTE;
    }

    private String randomText() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Compares in constant time, so that the answer's timing does not tell how much of a guessed key was right. */
    private static boolean sameText(String sent, String expected) {
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Configures {@link ChangeHooks}; {@link #build()} checks and copies.
     *
     * <p>This class is not threadsafe.
     */
    public static final class Builder {
        private String publicUrl;
        private String routePrefix = "";
        private Set<Flow> flows = EnumSet.allOf(Flow.class);
        private Connector webcrm;
        private Connector customcrm;
        private Consumer<Flow> hint;
        private Consumer<Flow> deleteHint;
        private Consumer<Side> onReceived = side -> { };
        private InstantSource clock = InstantSource.system();

        private Builder() {
        }

        /**
         * @param url where both systems reach the service ({@code server.public-url}), http or https
         * @return this builder
         */
        public Builder publicUrl(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new IllegalArgumentException("the public URL must be an absolute http or https URL: " + url);
            }
            String text = url.toString();
            this.publicUrl = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            return this;
        }

        /**
         * @param prefix where this connection's routes start on a server that serves several, e.g.
         *               {@code /connections/acme}; empty (the default) for the server of one connection
         * @return this builder
         */
        public Builder routePrefix(String prefix) {
            if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
                throw new IllegalArgumentException("a route prefix starts with '/' and does not end with one: "
                        + prefix);
            }
            this.routePrefix = prefix;
            return this;
        }

        /**
         * @param synced the flows to hear of and hint (default all); hooks are registered for these only
         * @return this builder
         */
        public Builder flows(Set<Flow> synced) {
            if (synced.isEmpty()) {
                throw new IllegalArgumentException("flows must not be empty");
            }
            this.flows = EnumSet.copyOf(synced);
            return this;
        }

        /**
         * @param connector the webCRM side; hooks are registered when it is a {@link WebcrmConnector}, otherwise
         *                  (or when null) {@link ChangeHooks#problem(Side)} says they cannot be
         * @return this builder
         */
        public Builder webcrm(Connector connector) {
            this.webcrm = connector;
            return this;
        }

        /**
         * @param connector the Customcrm side; webhooks are registered when it is a {@link CustomcrmConnector}
         * @return this builder
         */
        public Builder customcrm(Connector connector) {
            this.customcrm = connector;
            return this;
        }

        /**
         * @param callback told which flow a hook named; runs on the request thread, so it must not block
         *                 (required)
         * @return this builder
         */
        public Builder hint(Consumer<Flow> callback) {
            this.hint = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /**
         * @param callback told of a webCRM {@code Delete}, which only a complete id list can confirm, so a sync
         *                 with reconciliation fits, e.g. {@code SyncService::syncNow}; must not block (default:
         *                 the {@link #hint})
         * @return this builder
         */
        public Builder deleteHint(Consumer<Flow> callback) {
            this.deleteHint = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /**
         * @param counter told of each accepted delivery, e.g. {@code SystemCounters::hookReceived} (default none)
         * @return this builder
         */
        public Builder onReceived(Consumer<Side> counter) {
            this.onReceived = Objects.requireNonNull(counter, "counter");
            return this;
        }

        /**
         * @param source the clock Customcrm signature times are held against (default the system clock)
         * @return this builder
         */
        public Builder clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * @return change hooks, not started
         * @throws IllegalStateException when the public URL or the hint is missing
         */
        public ChangeHooks build() {
            if (publicUrl == null) {
                throw new IllegalStateException("publicUrl is required");
            }
            if (hint == null) {
                throw new IllegalStateException("hint is required");
            }
            return new ChangeHooks(this);
        }
    }
}
