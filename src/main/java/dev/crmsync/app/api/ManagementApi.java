package dev.crmsync.app.api;

import dev.crmsync.app.docs.Document;
import dev.crmsync.app.docs.DocumentFormat;
import dev.crmsync.app.service.ServiceBusyException;
import dev.crmsync.app.service.SyncService;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of {@code crmsync run}: the management API under {@code /api/}, the dashboard at {@code /},
 * {@code /metrics} and {@code /health/*}, plus whatever extra routes the app adds (the change hooks). The API
 * needs the service token (see {@link ApiAuth}); metrics, health and the hooks do not.
 *
 * <p>This class is threadsafe.
 */
public final class ManagementApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ManagementApi.class);
    /** How long a stop waits for the open event streams to end; each ends at once, unless its page is stuck. */
    private static final Duration STREAMS_END = Duration.ofSeconds(2);

    /** The contract of this API, served at {@code /api/openapi.yaml}. */
    public static final String CONTRACT = "/contracts/crmsync-management-openapi.yaml";

    /**
     * How to serve.
     *
     * @param host        the address to bind to
     * @param port        the port; 0 for any free one
     * @param token       the service token; null leaves the API open ({@code --insecure-no-auth})
     * @param clock       the time source
     * @param metrics     renders the Prometheus text of {@code /metrics}
     * @param dataflow    makes the dataflow document of the running configuration
     * @param extraRoutes more routes, e.g. the change hooks; they are not guarded by the token
     * @param mappings    the running configuration's property tables, which say where a waiting record's
     *                    parents are and what records are called; null for the defaults
     */
    public record Settings(String host, int port, Secret token, InstantSource clock, Supplier<String> metrics,
                           Supplier<Document> dataflow, Consumer<JavalinConfig> extraRoutes,
                           Map<Flow, FlowMapping> mappings) {

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(dataflow, "dataflow");
            extraRoutes = extraRoutes == null ? cfg -> { } : extraRoutes;
            mappings = mappings == null ? UnsyncedRecords.defaultMappings() : Map.copyOf(mappings);
        }

        /**
         * Settings with the default property tables, which find the parents of waiting records and name them
         * as long as the configuration keeps the default reference and name rows.
         */
        public Settings(String host, int port, Secret token, InstantSource clock, Supplier<String> metrics,
                        Supplier<Document> dataflow, Consumer<JavalinConfig> extraRoutes) {
            this(host, port, token, clock, metrics, dataflow, extraRoutes, null);
        }
    }

    private final Javalin http;
    private final String host;
    private final Set<EventStream> streams;

    private ManagementApi(Javalin http, String host, Set<EventStream> streams) {
        this.http = http;
        this.host = host;
        this.streams = streams;
    }

    /**
     * Starts serving.
     *
     * @param service  the sync service
     * @param settings how to serve
     * @return the running server
     */
    public static ManagementApi start(SyncService service, dev.crmsync.ports.Store store, Settings settings) {
        ApiAuth auth = new ApiAuth(settings.token(), settings.clock());
        ApiRoutes routes = new ApiRoutes(service, store, settings.clock(), settings.dataflow(), settings.mappings());
        Set<EventStream> streams = ConcurrentHashMap.newKeySet();
        String contract = resource(CONTRACT);
        Javalin http = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.prefer405over404 = true;
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/dashboard";
                files.location = Location.CLASSPATH;
                files.headers = java.util.Map.of("Cache-Control", "no-cache");
            });
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
            cfg.routes.sse("/api/events", client -> {
                EventStream stream = new EventStream(routes::statusJson, routes::historyJson);
                streams.add(stream);
                try {
                    stream.serve(client, service);
                } finally {
                    streams.remove(stream);
                }
            });
            routes.install(cfg);
            cfg.routes.get("/health/live", ctx -> ctx.contentType("application/json").result("{\"status\":\"up\"}"));
            cfg.routes.get("/health/ready", routes::ready);
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(settings.metrics().get()));
            settings.extraRoutes().accept(cfg);
            cfg.routes.exception(ApiProblem.class, (e, ctx) -> e.writeTo(ctx));
            cfg.routes.exception(ServiceBusyException.class, (e, ctx) ->
                    ApiProblem.write(ctx, 503, "Busy", e.getMessage()));
            cfg.routes.exception(IllegalArgumentException.class, (e, ctx) ->
                    ApiProblem.write(ctx, 400, "Bad request", e.getMessage()));
            cfg.routes.exception(IllegalStateException.class, (e, ctx) ->
                    ApiProblem.write(ctx, 409, "Conflict", e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                // A hook's path holds its key: say only which kind of route failed.
                String path = ctx.path().startsWith("/hooks/") ? "/hooks/…" : ctx.path();
                log.atError().setCause(e).addKeyValue("path", path).log("API request failed");
                ApiProblem.write(ctx, 500, "Internal error", "the request failed; the service log has the cause");
            });
        });
        http.start(settings.host(), settings.port());
        return new ManagementApi(http, settings.host(), streams);
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
