package dev.crmsync.testing;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.RunningService;
import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Both simulators and {@code crmsync run}, in-process on random loopback ports, with real time: what a person
 * gets from {@code crmsync demo}, for API and browser tests. Flows poll every second and reconcile every five,
 * so a test waits for a condition (Awaitility, Playwright) rather than for a cycle.
 *
 * <p>The simulators can be edited as a user would ({@code webcrm().editAsUser(...)},
 * {@code customcrm().editAsUser(...)}); {@link #api} calls the management API with the token.
 *
 * <p>Not threadsafe.
 */
public final class ServiceHarness implements AutoCloseable {

    /** The service token. */
    public static final String TOKEN = "service-harness-token-0123456789";
    /** The webCRM simulator's application token. */
    public static final String WEBCRM_TOKEN = "harness-webcrm-token";
    /** The Customcrm simulator's API key. */
    public static final String CUSTOMCRM_KEY = "harness-customcrm-key";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One answer of the management API. */
    public record Response(int status, String body, String contentType, HttpHeaders headers) {

        /**
         * @return the body as JSON
         */
        public JsonNode json() {
            return JSON.readTree(body);
        }

        /**
         * @param name a header's name, in any letter case
         * @return its first value, or empty when the answer has none
         */
        public java.util.Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    private final WebcrmSimulator webcrm;
    private CustomcrmSimulator customcrm;
    private final int customcrmPort;
    private final Path dir;
    private RunningService service;
    private final String extraYaml;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ApiClient client = new ApiClient(this::baseUrl, TOKEN);

    private final boolean hooks;
    private final String systemYaml;
    private final InstantSource clock;

    private ServiceHarness(SeedPlan webcrmPlan, SeedPlan customcrmPlan, String extraYaml, boolean hooks,
                           String systemYaml, InstantSource clock) {
        this.hooks = hooks;
        this.clock = clock;
        this.extraYaml = extraYaml;
        this.systemYaml = systemYaml;
        try {
            dir = Files.createTempDirectory("crmsync-service-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        webcrm = WebcrmSimulator.builder().token(WEBCRM_TOKEN).seed(11).seedPlan(webcrmPlan).build()
                .start("127.0.0.1", 0);
        customcrm = CustomcrmSimulator.builder().apiKey(CUSTOMCRM_KEY).seed(11).seedPlan(customcrmPlan)
                .database(dir.resolve("customcrm.db")).build().start("127.0.0.1", 0);
        customcrmPort = customcrm.port();
        try {
            service = RunningService.start(config(extraYaml), false, clock, Sleeper.SYSTEM);
        } catch (RuntimeException e) {
            webcrm.close();
            customcrm.close();
            throw e;
        }
    }

    /**
     * @return a service over two small seeded systems that share some companies
     */
    public static ServiceHarness start() {
        return start("");
    }

    /**
     * @param extraYaml configuration added to the harness's own, e.g. {@code sync: { conflict-policy: manual }};
     *                  a {@code sync:} section here replaces the harness's intervals
     * @return a service over two small seeded systems
     */
    public static ServiceHarness start(String extraYaml) {
        return new ServiceHarness(new SeedPlan(0, 4, 6, 3), new SeedPlan(2, 4, 6, 3), extraYaml, false, "",
                InstantSource.system());
    }

    /**
     * @param clock the service's time source, e.g. a {@link MutableClock}, for what the service times itself
     *              (sessions, the wait after wrong tokens); flows are due by it too, so with a clock that does
     *              not move only the first cycle of each flow runs by itself
     * @return a service over two small seeded systems
     */
    public static ServiceHarness withClock(InstantSource clock) {
        return new ServiceHarness(new SeedPlan(0, 4, 6, 3), new SeedPlan(2, 4, 6, 3), "", false, "", clock);
    }

    /**
     * @param extraYaml more configuration, e.g. a {@code sync:} section with a long interval
     * @return a service whose {@code server.public-url} is its own address, so both simulators send it change
     *         hooks
     */
    public static ServiceHarness withHooks(String extraYaml) {
        return new ServiceHarness(new SeedPlan(0, 4, 6, 3), new SeedPlan(2, 4, 6, 3), extraYaml, true, "",
                InstantSource.system());
    }

    /**
     * @param systemYaml keys added to both the {@code webcrm} and the {@code customcrm} section, in flow style,
     *                   e.g. {@code retry-attempts: 2, circuit-open: 2s}
     * @return a service over two small seeded systems
     */
    public static ServiceHarness withSystemSettings(String systemYaml) {
        return start("", systemYaml);
    }

    /**
     * @param extraYaml  configuration added to the harness's own, as for {@link #start(String)}
     * @param systemYaml keys added to both systems' sections, as for {@link #withSystemSettings(String)}
     * @return a service over two small seeded systems
     */
    public static ServiceHarness start(String extraYaml, String systemYaml) {
        return new ServiceHarness(new SeedPlan(0, 4, 6, 3), new SeedPlan(2, 4, 6, 3), extraYaml, false, systemYaml,
                InstantSource.system());
    }

    /**
     * @param webcrmPlan    webCRM's seed
     * @param customcrmPlan Customcrm's seed
     * @param extraYaml     more configuration
     * @return a service over those systems
     */
    public static ServiceHarness start(SeedPlan webcrmPlan, SeedPlan customcrmPlan, String extraYaml) {
        return new ServiceHarness(webcrmPlan, customcrmPlan, extraYaml, false, "", InstantSource.system());
    }

    private CrmsyncConfig config(String extraYaml) {
        return new ConfigLoader(Map.of()).parse(yaml(extraYaml), dir);
    }

    /**
     * @return a configuration file for the same systems and store, for commands run beside the service
     */
    public Path configFile() {
        Path file = dir.resolve("crmsync.yaml");
        try {
            Files.writeString(file, yaml(extraYaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private String yaml(String extraYaml) {
        String sync = extraYaml.contains("sync:") ? "" : "sync: { interval: 1s, reconcile-interval: 5s }\n";
        int port = hooks ? freePort() : 0;
        String publicUrl = hooks ? ", public-url: \"http://127.0.0.1:" + port + "\"" : "";
        String more = systemYaml.isEmpty() ? "" : ", " + systemYaml;
        String yaml = """
                webcrm:    { url: %s, token: %s%s }
                customcrm: { url: %s, api-key: %s%s }
                store:     { url: "jdbc:sqlite:%s" }
                server:    { host: 127.0.0.1, port: %d, token: %s%s }
                """.formatted(webcrm.baseUrl(), WEBCRM_TOKEN, more, customcrm.baseUrl(), CUSTOMCRM_KEY, more,
                dir.resolve("crmsync.db"), port, TOKEN, publicUrl) + sync + extraYaml;
        return yaml;
    }

    /**
     * @return a loopback port free at this moment, for a service that must know its public URL before it starts
     */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the webCRM simulator
     */
    public WebcrmSimulator webcrm() {
        return webcrm;
    }

    /**
     * @return the Customcrm simulator
     */
    public CustomcrmSimulator customcrm() {
        return customcrm;
    }

    /**
     * Stops the Customcrm simulator, as an outage would; its database stays.
     */
    public void stopCustomcrm() {
        customcrm.stop();
    }

    /**
     * Starts the Customcrm simulator again on the same port and database, as after a restart.
     */
    public void startCustomcrmAgain() {
        customcrm = CustomcrmSimulator.builder().apiKey(CUSTOMCRM_KEY).seed(11).database(dir.resolve("customcrm.db"))
                .build().start("127.0.0.1", customcrmPort);
    }

    /**
     * Stops the service as SIGTERM would, without starting it again.
     *
     * @param grace how long the running cycle may take to end
     * @return whether the stop was clean
     */
    public boolean stopService(Duration grace) {
        return service.stop(grace);
    }

    /**
     * Stops the service as SIGTERM would (the running cycle ends after its batch) and starts it again on the same
     * store, as after a restart.
     */
    public void restartService() {
        service.close();
        service = RunningService.start(config(extraYaml), false, clock, Sleeper.SYSTEM);
    }

    /**
     * @return the running service
     */
    public RunningService service() {
        return service;
    }

    /**
     * @return the service's base URL, e.g. {@code http://127.0.0.1:41234}; the dashboard is at {@code /}
     */
    public String baseUrl() {
        return service.baseUrl();
    }

    /**
     * @return the service token
     */
    public String token() {
        return TOKEN;
    }

    /**
     * @return the folder of the store and Customcrm's database
     */
    public Path dir() {
        return dir;
    }

    /**
     * Calls the management API with the token.
     *
     * @param method the HTTP method
     * @param path   the path, e.g. {@code /api/status}
     * @param body   a JSON body, or null
     * @return the answer
     */
    public Response api(String method, String path, String body) {
        return call(method, path, body, TOKEN);
    }

    /**
     * Calls the management API with the token for a binary answer, such as the store backup.
     *
     * @param method the HTTP method
     * @param path   the path
     * @return the status and the body's bytes
     */
    public Download download(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + TOKEN)
                .build();
        try {
            HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Download(answer.statusCode(), answer.body(), answer.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A binary answer of the management API. */
    public record Download(int status, byte[] body, HttpHeaders headers) {
    }

    /**
     * Calls the service with any token.
     *
     * @param method the HTTP method
     * @param path   the path
     * @param body   a JSON body, or null
     * @param token  the bearer token, or null for none
     * @return the answer
     */
    public Response call(String method, String path, String body, String token) {
        return client.call(method, path, body, token);
    }

    /**
     * Holds every request made through {@link #call} so far, and its answer, to the management API's OpenAPI
     * document (see {@link ApiClient#contractViolations()}).
     *
     * @return one line per violation: the exchange and what broke the contract
     */
    public List<String> contractViolations() {
        return client.contractViolations();
    }

    /**
     * Waits until every flow has finished its first cycle.
     *
     * @param patience how long at most
     */
    public void awaitFirstCycles(Duration patience) {
        org.awaitility.Awaitility.await().atMost(patience).until(() -> {
            for (JsonNode flow : status().path("flows")) {
                if (flow.path("lastCycle").isNull()) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Reads {@code /metrics} as Prometheus scrapes it.
     *
     * @param name   a series' name, e.g. {@code crmsync_cycles_total}
     * @param labels labels its samples must all carry, e.g. {@code flow="persons"}
     * @return the sum of the samples that carry them all, 0 when none does
     */
    public double metric(String name, String... labels) {
        return client.metric(name, labels);
    }

    /**
     * @return the status document
     */
    public JsonNode status() {
        return api("GET", "/api/status", null).json();
    }

    /**
     * Ends a test class's use of the service: checks that every exchange made through {@link #call} held to the
     * management API's contract ({@link #contractViolations()}), then closes, also when the check fails.
     */
    public void closeCheckingTheContract() {
        try {
            org.assertj.core.api.Assertions.assertThat(contractViolations())
                    .as("exchanges with the management API that break its contract").isEmpty();
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } finally {
            webcrm.close();
            customcrm.close();
        }
    }
}
