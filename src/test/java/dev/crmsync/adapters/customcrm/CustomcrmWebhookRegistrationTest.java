package dev.crmsync.adapters.customcrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.model.Secret;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.testing.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The connector subscribing crmsync to a Customcrm's webhooks and ending the subscription, next to a subscription
 * that belongs to someone else.
 */
class CustomcrmWebhookRegistrationTest {

    private static final String KEY = "webhook-registration-key";
    private static final String PREFIX = "https://sync.example.com/hooks/customcrm";
    private static final String FOREIGN = "https://erp.example.com/customcrm-hook";
    private static final Secret SECRET = new Secret("registration-secret-0123456789");

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T09:30:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private CustomcrmSimulator sim;
    private CustomcrmConnector connector;

    @BeforeEach
    void start() {
        sim = CustomcrmSimulator.builder().apiKey(KEY).clock(clock).build().start("127.0.0.1", 0);
        connector = connector(sim.baseUrl());
    }

    @AfterEach
    void stop() {
        connector.close();
        sim.stop();
        http.close();
    }

    @Test
    void shouldReplaceASubscriptionLeftFromAnEarlierStartAndKeepEveryoneElses() throws Exception {
        // Given a subscription of a start that never stopped, and someone else's
        String old = connector.replaceWebhooks(PREFIX, PREFIX, new Secret("an-older-secret-0123456789"));
        send("POST", "/webhooks", "{\"url\":\"" + FOREIGN + "\",\"secret\":\"someone-elses-secret-0123\","
                + "\"types\":[\"customers\"]}");

        // When
        String id = connector.replaceWebhooks(PREFIX, PREFIX, SECRET);

        // Then
        List<JsonNode> subscriptions = subscriptions();
        assertThat(subscriptions).extracting(s -> s.path("id").asString()).doesNotContain(old).contains(id);
        assertThat(subscriptions).extracting(s -> s.path("url").asString()).containsExactlyInAnyOrder(FOREIGN, PREFIX);
        assertThat(subscriptions).filteredOn(s -> s.path("id").asString().equals(id)).singleElement()
                .satisfies(s -> assertThat(s.path("types")).extracting(JsonNode::asString)
                        .containsExactly("customers", "contacts", "products"));
    }

    @Test
    void shouldRemoveOnlyCrmsyncsSubscriptions() throws Exception {
        // Given
        connector.replaceWebhooks(PREFIX, PREFIX, SECRET);
        send("POST", "/webhooks", "{\"url\":\"" + FOREIGN + "\",\"secret\":\"someone-elses-secret-0123\","
                + "\"types\":[\"products\"]}");

        // When
        int removed = connector.removeWebhooks(PREFIX);
        int again = connector.removeWebhooks(PREFIX);

        // Then
        assertThat(removed).isEqualTo(1);
        assertThat(again).isZero();
        assertThat(subscriptions()).extracting(s -> s.path("url").asString()).containsExactly(FOREIGN);
    }

    @Test
    void shouldKeepTheSecretOutOfARefusal() {
        // When a secret is too short for the server
        Secret weak = new Secret("weak-secret");

        // Then the refusal says why, without the secret
        assertThatThrownBy(() -> connector.replaceWebhooks(PREFIX, PREFIX, weak))
                .isInstanceOf(PermanentCrmException.class)
                .hasMessageContaining("POST /webhooks", "secret")
                .hasMessageNotContaining("weak-secret");
    }

    @Test
    void shouldSayWhenACustomcrmOffersNoWebhooks() throws Exception {
        // Given a Customcrm that implements only the record routes
        HttpServer bare = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        bare.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        bare.start();
        try (CustomcrmConnector without = connector("http://127.0.0.1:" + bare.getAddress().getPort())) {

            // When, Then
            assertThatThrownBy(() -> without.replaceWebhooks(PREFIX, PREFIX, SECRET))
                    .isInstanceOf(PermanentCrmException.class).hasMessageContaining("offers no webhooks");
        } finally {
            bare.stop(0);
        }
    }

    private CustomcrmConnector connector(String url) {
        return new CustomcrmConnector(new CustomcrmSettings(URI.create(url), new Secret(KEY), 100,
                Duration.ofSeconds(10)), clock, clock::advance);
    }

    private List<JsonNode> subscriptions() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        SimulatorJson.mapper().readTree(send("GET", "/webhooks", null).body()).path("items").forEach(out::add);
        return out;
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .header("Authorization", "Bearer " + KEY)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isBetween(200, 299);
        return answer;
    }
}
