package dev.crmsync.testing;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.RunningService;
import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.app.simulate.webcrm.WebcrmTenant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code crmsync run} over a file of several connections, in-process on random loopback ports, with real time.
 * The connections' webCRMs are the tenants of one simulator, as webCRM serves its customers (tenant {@code k} for
 * the {@code k}th connection); each connection has a Customcrm server of its own, so that one can go down while
 * the others answer. Flows poll every second and reconcile every five.
 *
 * <p>Not threadsafe.
 */
public final class ConnectionsHarness implements AutoCloseable {

    /** The service token. */
    public static final String TOKEN = ServiceHarness.TOKEN;
    /** The webCRM simulator's application token; tenant {@code k} takes it with {@code -k} appended. */
    public static final String WEBCRM_TOKEN = "connections-webcrm-token";
    /** Each Customcrm simulator's API key. */
    public static final String CUSTOMCRM_KEY = "connections-customcrm-key";

    private static final SeedPlan WEBCRM_PLAN = new SeedPlan(0, 4, 6, 3);
    private static final SeedPlan CUSTOMCRM_PLAN = new SeedPlan(2, 4, 6, 3);

    private final List<String> names;
    private final Path dir;
    private final WebcrmSimulator webcrm;
    private final Map<String, CustomcrmSimulator> customcrms = new LinkedHashMap<>();
    private final ApiClient client;
    private final List<CrmsyncConfig> configs;
    private final RunningService service;

    private final String sync;
    private final boolean hooks;
    private final String shared;

    private ConnectionsHarness(List<String> names, String sync, boolean hooks, String shared) {
        this.names = List.copyOf(names);
        this.sync = sync;
        this.hooks = hooks;
        this.shared = shared;
        try {
            dir = Files.createTempDirectory("crmsync-connections-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        webcrm = WebcrmSimulator.builder().token(WEBCRM_TOKEN).tenants(names.size()).seed(11).seedPlan(WEBCRM_PLAN)
                .build().start("127.0.0.1", 0);
        try {
            for (String name : names) {
                customcrms.put(name, CustomcrmSimulator.builder().apiKey(CUSTOMCRM_KEY).seed(11)
                        .seedPlan(CUSTOMCRM_PLAN).database(dir.resolve("customcrm-" + name + ".db")).build()
                        .start("127.0.0.1", 0));
            }
            configs = new ConfigLoader(Map.of()).parseAll(yaml(), dir);
            service = RunningService.start(configs, false, InstantSource.system(), Sleeper.SYSTEM);
        } catch (RuntimeException e) {
            closeSimulators();
            throw e;
        }
        client = new ApiClient(service::baseUrl, TOKEN);
    }

    /**
     * @param names the connections' names, in the file's order; at least two for a service of several
     * @return a service that runs them all, each over two small seeded systems of its own
     */
    public static ConnectionsHarness start(String... names) {
        return withShared("", names);
    }

    /**
     * @param shared top-level sections the connections share, e.g. {@code notify: { url: … }}
     * @param names  the connections' names
     * @return a service that runs them all, each over two small seeded systems of its own
     */
    public static ConnectionsHarness withShared(String shared, String... names) {
        return new ConnectionsHarness(List.of(names), "{ interval: 1s, reconcile-interval: 5s }", false, shared);
    }

    /**
     * @param sync  each connection's {@code sync:} section, in flow style, e.g. {@code { interval: 1h }}
     * @param names the connections' names
     * @return a service whose {@code server.public-url} is its own address, so that every simulator sends change
     *         hooks to the routes of its connection
     */
    public static ConnectionsHarness withHooks(String sync, String... names) {
        return new ConnectionsHarness(List.of(names), sync, true, "");
    }

    private String yaml() {
        StringBuilder yaml = new StringBuilder("connections:\n");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            yaml.append("""
                      - name: %s
                        webcrm:    { url: %s, token: %s-%d }
                        customcrm: { url: %s, api-key: %s }
                        sync:      %s
                    """.formatted(name, webcrm.baseUrl(), WEBCRM_TOKEN, i + 1, customcrms.get(name).baseUrl(),
                    CUSTOMCRM_KEY, sync));
        }
        int port = hooks ? ServiceHarness.freePort() : 0;
        String publicUrl = hooks ? ", public-url: \"http://127.0.0.1:" + port + "\"" : "";
        yaml.append("""
                store:  { url: "jdbc:sqlite:%s" }
                server: { host: 127.0.0.1, port: %d, token: %s%s }
                """.formatted(dir.resolve("crmsync.db"), port, TOKEN, publicUrl)).append(shared);
        return yaml.toString();
    }

    /**
     * @param connection a connection's name
     * @return its webCRM: its tenant of the one webCRM simulator
     */
    public WebcrmTenant webcrm(String connection) {
        return webcrm.tenant(names.indexOf(connection) + 1);
    }

    /**
     * @param connection a connection's name
     * @return its Customcrm simulator
     */
    public CustomcrmSimulator customcrm(String connection) {
        return customcrms.get(connection);
    }

    /**
     * @return the connections' configurations, in the file's order
     */
    public List<CrmsyncConfig> configs() {
        return configs;
    }

    /**
     * @return the running service
     */
    public RunningService service() {
        return service;
    }

    /**
     * @return the service's base URL
     */
    public String baseUrl() {
        return service.baseUrl();
    }

    /**
     * @return the folder of the stores and the Customcrm databases
     */
    public Path dir() {
        return dir;
    }

    /**
     * Calls the service with the token.
     *
     * @param method the HTTP method
     * @param path   the path, e.g. {@code /connections/acme/api/status}
     * @param body   a JSON body, or null
     * @return the answer
     */
    public ServiceHarness.Response api(String method, String path, String body) {
        return client.call(method, path, body, TOKEN);
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
    public ServiceHarness.Response call(String method, String path, String body, String token) {
        return client.call(method, path, body, token);
    }

    /**
     * Reads {@code /metrics} as Prometheus scrapes it.
     *
     * @param name   a series' name
     * @param labels labels its samples must all carry, e.g. {@code connection="acme"}
     * @return the sum of the samples that carry them all, 0 when none does
     */
    public double metric(String name, String... labels) {
        return client.metric(name, labels);
    }

    /**
     * @return one line per exchange made through this harness that broke the management API's contract
     */
    public List<String> contractViolations() {
        return client.contractViolations();
    }

    @Override
    public void close() {
        try {
            service.close();
        } finally {
            closeSimulators();
        }
    }

    private void closeSimulators() {
        List<AutoCloseable> all = new ArrayList<>(customcrms.values());
        all.add(webcrm);
        for (AutoCloseable simulator : all) {
            try {
                simulator.close();
            } catch (Exception e) {
                // the others are closed all the same
            }
        }
    }
}
