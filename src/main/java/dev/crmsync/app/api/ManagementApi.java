package dev.crmsync.app.api;

import dev.crmsync.app.docs.Document;
import dev.crmsync.app.docs.DocumentFormat;
import dev.crmsync.app.service.SyncService;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.ports.Store;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP server of {@code crmsync run}: the management API under {@code /api/}, the dashboard at {@code /},
 * {@code /metrics} and {@code /health/*}, plus whatever extra routes the app adds (the change hooks). The API
 * needs the service token (see {@link ApiAuth}); metrics, health and the hooks do not. A server of several
 * connections serves each one's API, events and hooks under {@code /connections/<name>/} (see
 * {@link #routePrefix}), and lists them at {@code /api/connections}. The server of a node of a cluster
 * ({@link #startNode}) serves every connection of the file there, answering for those the node holds at the moment
 * and naming the holder of the others, and lists the nodes at {@code /api/nodes}.
 *
 * <p>This class is threadsafe.
 */
public final class ManagementApi implements AutoCloseable {

    /** How long a stop waits for the open event streams to end; each ends at once, unless its page is stuck. */
    private static final Duration STREAMS_END = Duration.ofSeconds(2);

    /** The contract of this API, served at {@code /api/openapi.yaml}. */
    public static final String CONTRACT = "/contracts/crmsync-management-openapi.yaml";

    /**
     * How to serve.
     *
     * @param host    the address to bind to
     * @param port    the port; 0 for any free one
     * @param token   the service token; null leaves the API open ({@code --insecure-no-auth})
     * @param clock   the time source
     * @param metrics renders the Prometheus text of {@code /metrics}
     */
    public record Settings(String host, int port, Secret token, InstantSource clock, Supplier<String> metrics) {

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(metrics, "metrics");
        }
    }

    /**
     * One connection served: what its part of the API reads and changes.
     *
     * @param name        the connection's name
     * @param service     its sync service
     * @param store       its store
     * @param dataflow    makes the dataflow document of its configuration
     * @param extraRoutes more routes of its own, e.g. the change hooks, which start with its {@link #routePrefix};
     *                    they are not guarded by the token
     * @param mappings    its property tables, which say where a waiting record's parents are and what records are
     *                    called; null for the defaults
     */
    public record Served(String name, SyncService service, Store store, Supplier<Document> dataflow,
                         Consumer<JavalinConfig> extraRoutes, Map<Flow, FlowMapping> mappings) {

        public Served {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(dataflow, "dataflow");
            extraRoutes = extraRoutes == null ? cfg -> { } : extraRoutes;
            mappings = mappings == null ? UnsyncedRecords.defaultMappings() : Map.copyOf(mappings);
        }
    }

    /** Where the routes of each connection start when the server serves several. */
    public static final String CONNECTIONS_PATH = "/connections/";

    private final Javalin http;
    private final String host;
    private final Set<EventStream> streams;

    private ManagementApi(Javalin http, String host, Set<EventStream> streams) {
        this.http = http;
        this.host = host;
        this.streams = streams;
    }

    /**
     * Where a connection's routes start: nowhere but at the root for the one connection of a server, so that its
     * routes are those of a server of one connection; under {@code /connections/<name>} for one of several.
     *
     * @param connection the connection's name
     * @param served     how many connections the server serves
     * @return the prefix: empty, or {@code /connections/<name>} (no slash at the end)
     */
    public static String routePrefix(String connection, int served) {
        return served > 1 ? CONNECTIONS_PATH + connection : "";
    }

    /**
     * Starts serving one connection, or several: each connection's management API, events and extra routes under
     * its {@link #routePrefix}; the sign-in, the contract, {@code /api/connections}, {@code /metrics} and
     * {@code /health/*} once for all.
     *
     * @param connections the connections, at least one, names unique
     * @param settings    how to serve
     * @return the running server
     */
    public static ManagementApi start(List<Served> connections, Settings settings) {
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("there is no connection to serve");
        }
        Map<String, Place> places = new LinkedHashMap<>();
        for (Served served : connections) {
            ApiRoutes routes = new ApiRoutes(served.service(), served.store(), settings.clock(), served.dataflow(),
                    served.mappings());
            places.put(served.name(), new Place(() -> routes, served.extraRoutes()));
        }
        if (places.size() != connections.size()) {
            throw new IllegalArgumentException("two connections have the same name");
        }
        return serve(places, null, settings);
    }

    /**
     * Starts the server of a node of a cluster: every connection of the file under {@code /connections/<name>/},
     * answered while this node holds it and otherwise told which node does; {@code /api/nodes} lists the nodes.
     *
     * @param connections the names of the file's connections, at least one, unique
     * @param cluster     what this node knows of the cluster
     * @param settings    how to serve
     * @return the running server
     */
    public static ManagementApi startNode(List<String> connections, ClusterView cluster, Settings settings) {
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("there is no connection to serve");
        }
        Map<String, Place> places = new LinkedHashMap<>();
        for (String name : connections) {
            places.put(name, new Place(heldRoutes(name, cluster, settings.clock()), cfg -> { }));
        }
        if (places.size() != connections.size()) {
            throw new IllegalArgumentException("two connections have the same name");
        }
        return serve(places, cluster, settings);
    }

    /** Where a connection is served: the routes that answer now, and routes of its own beside them. */
    private record Place(Supplier<ApiRoutes> routes, Consumer<JavalinConfig> extraRoutes) {
    }

    /**
     * The routes of a connection while this node holds it, made once per hold; otherwise a 503 that names the node
     * that holds it.
     */
    private static Supplier<ApiRoutes> heldRoutes(String name, ClusterView cluster, InstantSource clock) {
        AtomicReference<Map.Entry<Served, ApiRoutes>> made = new AtomicReference<>();
        return () -> {
            Served served = cluster.held(name).orElseThrow(() -> notHeld(name, cluster));
            Map.Entry<Served, ApiRoutes> last = made.get();
            if (last != null && last.getKey() == served) {
                return last.getValue();
            }
            ApiRoutes routes = new ApiRoutes(served.service(), served.store(), clock, served.dataflow(),
                    served.mappings());
            made.set(Map.entry(served, routes));
            return routes;
        };
    }

    private static ApiProblem notHeld(String name, ClusterView cluster) {
        String where = cluster.holder(name)
                .map(n -> "node " + n.name() + " holds it: its dashboard is " + n.url() + CONNECTIONS_PATH + name + "/")
                .orElse("no node holds it at the moment; one takes it up within the take-over time");
        return new ApiProblem(503, "Not held here", "node " + cluster.node() + " does not sync connection '" + name
                + "'; " + where);
    }

    private static ManagementApi serve(Map<String, Place> places, ClusterView cluster, Settings settings) {
        ApiAuth auth = new ApiAuth(settings.token(), settings.clock());
        Set<EventStream> streams = ConcurrentHashMap.newKeySet();
        String contract = resource(CONTRACT);
        Javalin http = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.prefer405over404 = true;
            // The dashboard at / is the one connection's, or the overview of several, each of which has the same
            // dashboard under its prefix: the page finds its API relative to where it is served.
            dashboard(cfg, "/");
            cfg.routes.before(ctx -> {
                // The dashboard loads only its own files and talks only to this server; record names from the
                // CRMs are text, so even a crafted name has no script to run and nowhere to send anything.
                ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                        + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                        + "form-action 'self'");
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
                ctx.header("X-Frame-Options", "DENY");
            });
            cfg.routes.before("/api/*", ctx -> {
                String path = ctx.path();
                if (path.equals("/api/session") || path.equals("/api/openapi.yaml")) {
                    return;
                }
                auth.requireAccess(ctx);
            });
            cfg.routes.post("/api/session", ctx -> {
                String token = ApiRoutes.body(ctx).path("token").asString(null);
                auth.signIn(ctx, token);
                ctx.status(204);
            });
            cfg.routes.delete("/api/session", ctx -> {
                auth.signOut(ctx);
                ctx.status(204);
            });
            cfg.routes.get("/api/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(contract));
            cfg.routes.get("/api/connections", ctx -> json(ctx, 200, connectionsJson(places, cluster)));
            if (cluster != null) {
                cfg.routes.get("/api/nodes", ctx -> json(ctx, 200, ApiJson.nodes(cluster.node(), cluster.nodes())));
            }
            places.forEach((name, place) -> {
                // A node serves every connection under its prefix, even where the file has one: which node holds it
                // varies.
                String prefix = cluster != null ? CONNECTIONS_PATH + name : routePrefix(name, places.size());
                if (!prefix.isEmpty()) {
                    cfg.routes.before(prefix + "/api/*", auth::requireAccess);
                    dashboard(cfg, prefix);
                    // Relative links need the slash: without it the page would look for its files one level up.
                    cfg.routes.before(prefix, ctx -> {
                        if (ctx.path().equals(prefix)) {
                            ctx.redirect(prefix + "/");
                        }
                    });
                }
                cfg.routes.sse(prefix + "/api/events", client -> {
                    ApiRoutes routes;
                    try {
                        routes = place.routes().get();
                    } catch (ApiProblem notHere) {
                        client.sendComment(notHere.getMessage());
                        return;
                    }
                    EventStream stream = new EventStream(routes::statusJson, routes::historyJson);
                    streams.add(stream);
                    try {
                        stream.serve(client, routes.service());
                    } finally {
                        streams.remove(stream);
                    }
                });
                ApiRoutes.install(cfg, prefix, place.routes());
                place.extraRoutes().accept(cfg);
            });
            cfg.routes.get("/health/live", ctx -> ctx.contentType("application/json").result("{\"status\":\"up\"}"));
            if (places.size() == 1 && cluster == null) {
                Supplier<ApiRoutes> only = places.values().iterator().next().routes();
                cfg.routes.get("/health/ready", ctx -> only.get().ready(ctx));
            } else {
                cfg.routes.get("/health/ready", ctx -> {
                    ObjectNode out = readiness(places, cluster);
                    json(ctx, "up".equals(out.path("status").asString()) ? 200 : 503, out);
                });
            }
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(settings.metrics().get()));
            ApiErrors.install(cfg);
        });
        http.start(settings.host(), settings.port());
        return new ManagementApi(http, settings.host(), streams);
    }

    private static void dashboard(JavalinConfig cfg, String path) {
        cfg.staticFiles.add(files -> {
            files.hostedPath = path;
            files.directory = "/dashboard";
            files.location = Location.CLASSPATH;
            files.headers = Map.of("Cache-Control", "no-cache");
        });
    }

    /**
     * The body of {@code /api/connections}: each connection's name, where its dashboard and routes start, and its
     * health; on a node, also the node that holds it, and the health only of those this node holds.
     */
    private static ObjectNode connectionsJson(Map<String, Place> places, ClusterView cluster) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("connections");
        places.forEach((name, place) -> {
            ObjectNode item = list.addObject();
            item.put("name", name);
            if (cluster == null) {
                item.put("path", routePrefix(name, places.size()) + "/");
                item.setAll(place.routes().get().health());
                return;
            }
            Optional<ClusterView.Node> holder = cluster.holder(name);
            item.put("heldBy", holder.map(ClusterView.Node::name).orElse(null));
            if (cluster.held(name).isPresent()) {
                item.put("path", CONNECTIONS_PATH + name + "/");
                item.setAll(place.routes().get().health());
            } else {
                item.put("path", holder.map(n -> n.url() + CONNECTIONS_PATH + name + "/").orElse(null));
                item.put("status", holder.isPresent() ? "elsewhere" : "unheld");
            }
        });
        return out;
    }

    /**
     * The body of {@code /health/ready} for several connections: up only when every one is, {@code notReady} naming
     * those that are not, and each connection's own answer under its name. A node answers for the connections it
     * holds.
     */
    private static ObjectNode readiness(Map<String, Place> places, ClusterView cluster) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        ArrayNode notReady = ApiJson.MAPPER.createArrayNode();
        ObjectNode each = ApiJson.MAPPER.createObjectNode();
        places.forEach((name, place) -> {
            if (cluster != null && cluster.held(name).isEmpty()) {
                return;
            }
            ObjectNode answer = place.routes().get().readiness();
            each.set(name, answer);
            if (!"up".equals(answer.path("status").asString())) {
                notReady.add(name);
            }
        });
        out.put("status", notReady.isEmpty() ? "up" : "down");
        out.set("notReady", notReady);
        out.set("connections", each);
        return out;
    }

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    /**
     * @return the port served on
     */
    public int port() {
        return http.port();
    }

    /**
     * @return the HTTP server's thread pool, for pool metrics
     */
    public org.eclipse.jetty.util.thread.ThreadPool threadPool() {
        return http.jettyServer().threadPool();
    }

    /**
     * @return the base URL, e.g. {@code http://127.0.0.1:8080}
     */
    public String baseUrl() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port();
    }

    /** Ends the pages' event streams, then stops serving. */
    @Override
    public void close() {
        List<EventStream> open = List.copyOf(streams);
        open.forEach(EventStream::end);
        // Every stream's request ends before the server stops: one still answering when Jetty recycles its
        // response sent Javalin into a loop of errors about the recycled response, once, in a full build.
        long deadline = System.nanoTime() + STREAMS_END.toNanos();
        try {
            for (EventStream stream : open) {
                stream.awaitServed(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop();
    }

    static String resource(String path) {
        try (InputStream in = ManagementApi.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Flow flow(Context ctx, String param) {
        try {
            return Flow.fromConfigName(ctx.pathParam(param));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound(e.getMessage());
        }
    }

    static DocumentFormat format(String text) {
        return DocumentFormat.fromConfigName(text);
    }
}
