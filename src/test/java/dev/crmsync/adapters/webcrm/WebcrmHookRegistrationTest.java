package dev.crmsync.adapters.webcrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.testing.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The connector registering and removing crmsync's own webCRM hooks against the simulator, next to a hook that
 * belongs to someone else on the same token.
 */
class WebcrmHookRegistrationTest {

    private static final String TOKEN = "hook-registration-token";
    private static final String PREFIX = "https://sync.example.com/hooks/webcrm/";
    private static final String FOREIGN = "https://erp.example.com/webcrm-hook";
    private static final Map<Flow, String> STAMPS = Map.of(Flow.ORGANISATIONS, "OrganisationCustom5",
            Flow.PERSONS, "PersonCustom5", Flow.PRODUCTS, "ProductCustom5");

    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-15T10:00:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private WebcrmSimulator sim;
    private WebcrmConnector connector;
    private String access;

    @BeforeEach
    void start() throws Exception {
        sim = WebcrmSimulator.builder().token(TOKEN).clock(clock).seedPlan(new SeedPlan(0, 1, 1, 1)).build()
                .start("127.0.0.1", 0);
        connector = new WebcrmConnector(new WebcrmSettings(URI.create(sim.baseUrl()), new Secret(TOKEN),
                ZoneId.of("Europe/Copenhagen"), Duration.ofHours(1), 100, 250, Duration.ofSeconds(10)), STAMPS,
                clock, clock::advance);
        access = SimulatorJson.mapper().readTree(send("POST", "/Auth/ApiLogin", "authCode=" + TOKEN,
                "application/x-www-form-urlencoded").body()).path("AccessToken").asString();
    }

    @AfterEach
    void stop() {
        connector.close();
        sim.close();
        http.close();
    }

    @Test
    void shouldReplaceHooksLeftFromAnEarlierStartAndKeepEveryoneElses() throws Exception {
        // Given the hooks of a start that never stopped, and someone else's hook on the same token
        connector.replaceHooks(Flow.ORGANISATIONS, PREFIX, PREFIX + "old-key");
        send("POST", "/Organisations/Hooks", "{\"Id\":0,\"TargetUrl\":\"" + FOREIGN + "\",\"IsEnabled\":true,"
                + "\"Filter\":[\"All\"],\"EventType\":\"Update\"}", "application/json");

        // When
        int removed = connector.replaceHooks(Flow.ORGANISATIONS, PREFIX, PREFIX + "new-key");

        // Then the old ones are gone, the foreign one stays, and there is one new hook per event type
        assertThat(removed).isEqualTo(3);
        List<JsonNode> hooks = hooks("/Organisations/Hooks");
        assertThat(hooks).extracting(h -> h.path("TargetUrl").asString() + " " + h.path("EventType").asString())
                .containsExactlyInAnyOrder(FOREIGN + " Update", PREFIX + "new-key Create",
                        PREFIX + "new-key Update", PREFIX + "new-key Delete");
        assertThat(hooks).filteredOn(h -> h.path("TargetUrl").asString().startsWith(PREFIX)).allSatisfy(h -> {
            assertThat(h.path("IsEnabled").asBoolean()).isTrue();
            assertThat(h.path("Filter")).extracting(JsonNode::asString).containsExactly("All");
        });
        assertThat(hooks("/Persons/Hooks")).isEmpty();
    }

    @Test
    void shouldRemoveOnlyCrmsyncsHooks() throws Exception {
        // Given
        connector.replaceHooks(Flow.PRODUCTS, PREFIX, PREFIX + "key");
        send("POST", "/Products/Hooks", "{\"Id\":0,\"TargetUrl\":\"" + FOREIGN + "\",\"IsEnabled\":true,"
                + "\"Filter\":[\"All\"],\"EventType\":\"Delete\"}", "application/json");

        // When
        int removed = connector.removeHooks(Flow.PRODUCTS, PREFIX);
        int again = connector.removeHooks(Flow.PRODUCTS, PREFIX);

        // Then
        assertThat(removed).isEqualTo(3);
        assertThat(again).isZero();
        assertThat(hooks("/Products/Hooks")).extracting(h -> h.path("TargetUrl").asString())
                .containsExactly(FOREIGN);
    }

    @Test
    void shouldKeepTheCallbackUrlOutOfARefusal() throws Exception {
        // Given a webCRM that quotes the target URL back when it refuses a hook
        HttpServer echoing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echoing.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            String answer = path.equals("/Auth/ApiLogin") ? "{\"AccessToken\":\"a\",\"ExpiresIn\":3600}"
                    : exchange.getRequestMethod().equals("GET") ? "[]"
                    : "{\"Message\":\"TargetUrl " + SimulatorJson.mapper().readTree(body).path("TargetUrl").asString()
                    + " is not allowed\"}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.startsWith("{\"Message") ? 400 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        echoing.start();
        try (WebcrmConnector refused = new WebcrmConnector(new WebcrmSettings(
                URI.create("http://127.0.0.1:" + echoing.getAddress().getPort()), new Secret(TOKEN),
                ZoneId.of("Europe/Copenhagen"), Duration.ofHours(1), 100, 250, Duration.ofSeconds(10)), STAMPS,
                clock, clock::advance)) {

            // When, Then
            assertThatThrownBy(() -> refused.replaceHooks(Flow.PERSONS, PREFIX, PREFIX + "secret-key"))
                    .isInstanceOf(PermanentCrmException.class)
                    .hasMessageContaining("POST /Persons/Hooks", "400", "is not allowed")
                    .hasMessageNotContaining("secret-key");
        } finally {
            echoing.stop(0);
        }
    }

    private List<JsonNode> hooks(String path) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        SimulatorJson.mapper().readTree(send("GET", path + "?Size=1000", null, null).body()).forEach(out::add);
        return out;
    }

    private HttpResponse<String> send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (access != null) {
            request.header("Authorization", "Bearer " + access);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(200);
        return answer;
    }
}
