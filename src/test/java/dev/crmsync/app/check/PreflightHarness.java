package dev.crmsync.app.check;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crmsync.adapters.customcrm.CustomcrmSettings;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.adapters.webcrm.WebcrmSettings;
import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.mapping.DefaultMappings;
import dev.crmsync.mapping.FieldMapping;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.testing.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Both simulators, seeded with overlapping companies, and configurations over them for a {@link Preflight}: the
 * default mappings, or copies of them with one mistake made on purpose. Waits of the connectors move a shared
 * clock instead of sleeping, so even an unreachable system is reported at once.
 *
 * <p>Not threadsafe.
 */
final class PreflightHarness implements AutoCloseable {

    static final String TOKEN = "preflight-token-5e1c";
    static final String KEY = "preflight-key-93ab";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T09:00:00Z"));
    final WebcrmSimulator webcrm;
    final CustomcrmSimulator customcrm;
    private final Path dir;
    private final List<HttpServer> proxies = new ArrayList<>();

    /** Both systems seeded with twelve companies each, six of them on both sides. */
    PreflightHarness() {
        this(new SeedPlan(0, 12, 24, 12), new SeedPlan(6, 12, 24, 12));
    }

    PreflightHarness(SeedPlan webcrmPlan, SeedPlan customcrmPlan) {
        try {
            this.dir = Files.createTempDirectory("crmsync-check-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.webcrm = WebcrmSimulator.builder().token(TOKEN).seed(7).seedPlan(webcrmPlan).clock(clock).build()
                .start("127.0.0.1", 0);
        this.customcrm = CustomcrmSimulator.builder().apiKey(KEY).seed(7).seedPlan(customcrmPlan).clock(clock)
                .build().start("127.0.0.1", 0);
    }

    /**
     * @return the configuration a user would write, with the default mappings
     */
    CrmsyncConfig config() {
        return new ConfigLoader(Map.of()).parse(yaml(TOKEN, ""), dir);
    }

    /**
     * @param token the webCRM token to write into the file
     * @param extra configuration added to the minimal file, e.g. a {@code sync:} section
     * @return a configuration file as a user would write it
     */
    Path configFile(String token, String extra) throws IOException {
        Path file = Files.createTempFile(dir, "crmsync-", ".yaml");
        Files.writeString(file, yaml(token, extra));
        return file;
    }

    private String yaml(String token, String extra) {
        return """
                webcrm:    { url: %s, token: %s }
                customcrm: { url: %s, api-key: %s }
                store:     { url: "jdbc:sqlite:%s" }
                """.formatted(webcrm.baseUrl(), token, customcrm.baseUrl(), KEY, dir.resolve("crmsync.db")) + extra;
    }

    /**
     * @param flow    the flow to change
     * @param changed makes the flow's mapping wrong, from the default one
     * @return the default configuration with that one flow's mapping changed
     */
    CrmsyncConfig configWith(Flow flow, UnaryOperator<FlowMapping> changed) {
        CrmsyncConfig base = config();
        Map<Flow, FlowMapping> mappings = new EnumMap<>(Flow.class);
        mappings.putAll(DefaultMappings.all(Locale.ENGLISH));
        mappings.put(flow, changed.apply(mappings.get(flow)));
        return new CrmsyncConfig(base.webcrm(), base.customcrm(), base.store(), base.sync(), mappings);
    }

    /**
     * @param webcrmToken    the webCRM token to use
     * @param customcrmUrl   where Customcrm is
     * @param customcrmKey   the Customcrm key to use
     * @return the default configuration with other credentials or another Customcrm
     */
    CrmsyncConfig configReaching(String webcrmToken, URI customcrmUrl, String customcrmKey) {
        CrmsyncConfig base = config();
        WebcrmSettings w = base.webcrm();
        CustomcrmSettings c = base.customcrm();
        return new CrmsyncConfig(new WebcrmSettings(w.url(), new Secret(webcrmToken), w.timeZone(), w.overlap(),
                w.pageSize(), w.requestsPerMinute(), w.timeout()),
                new CustomcrmSettings(customcrmUrl, new Secret(customcrmKey), c.pageSize(), c.timeout()),
                base.store(), base.sync(), base.mappings());
    }

    /**
     * @return a preflight of the configuration on the harness clock
     */
    PreflightReport check(CrmsyncConfig config) {
        Sleeper advance = clock::advance;
        return new Preflight(config, clock, advance).run();
    }

    /**
     * @param mapping a mapping
     * @param fields  the rows to keep, changed as wanted
     * @return the mapping with those rows, its match key, stamp field and stamp key kept
     */
    static FlowMapping withFields(FlowMapping mapping, List<FieldMapping> fields) {
        return new FlowMapping(mapping.flow(), fields, mapping.matchKey(), mapping.webcrmStampProperty(),
                mapping.customcrmStampKey());
    }

    /**
     * @param mapping a mapping
     * @param field   the canonical field whose row to replace
     * @param row     the new row
     * @return the mapping with that row replaced
     */
    static FlowMapping replacing(FlowMapping mapping, String field, FieldMapping row) {
        return withFields(mapping, mapping.fields().stream().map(f -> f.field().equals(field) ? row : f).toList());
    }

    /**
     * @param mapping a mapping
     * @param field   the canonical field whose row to drop
     * @return the mapping without that row
     */
    static FlowMapping without(FlowMapping mapping, String field) {
        return withFields(mapping, mapping.fields().stream().filter(f -> !f.field().equals(field)).toList());
    }

    /**
     * Stands a proxy in front of Customcrm that passes everything through except the contract, which it answers
     * 404, as a Customcrm that does not publish its contract would.
     *
     * @return the proxy's base URL
     */
    URI customcrmWithoutContract() throws IOException {
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpClient client = HttpClient.newHttpClient();
        proxy.createContext("/", exchange -> forward(client, exchange));
        proxy.start();
        proxies.add(proxy);
        return URI.create("http://127.0.0.1:" + proxy.getAddress().getPort());
    }

    private void forward(HttpClient client, HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            if (uri.getPath().equals(Preflight.CONTRACT_PATH)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(customcrm.baseUrl() + uri));
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                request.header("Authorization", auth);
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            request.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().firstValue("Content-Type")
                    .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        proxies.forEach(p -> p.stop(0));
        webcrm.stop();
        customcrm.stop();
    }
}
