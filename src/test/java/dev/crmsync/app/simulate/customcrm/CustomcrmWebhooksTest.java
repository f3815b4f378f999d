package dev.crmsync.app.simulate.customcrm;

import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.body;
import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.testing.HookReceiver;
import dev.crmsync.testing.MutableClock;
import dev.crmsync.testing.OpenApiContract;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CustomcrmWebhooksTest {

    private static final String SECRET = "test-webhook-secret-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiContract.validator(OpenApiContract.CUSTOMCRM);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T09:30:00Z"));
    private final List<CustomcrmTestClient.Exchange> exchanges = new ArrayList<>();
    private CustomcrmSimulator sim;
    private CustomcrmTestClient client;
    private HookReceiver receiver;

    @BeforeEach
    void start() {
        sim = CustomcrmSimulator.builder().apiKey("K").clock(clock).seedPlan(new SeedPlan(0, 2, 2, 0)).build()
                .start("127.0.0.1", 0);
        client = new CustomcrmTestClient(sim).onExchange(exchanges::add);
        receiver = new HookReceiver();
    }

    @AfterEach
    void stop() {
        sim.stop();
        receiver.close();
    }

    @Test
    void shouldSubscribeListAndEndASubscriptionWithoutEverShowingTheSecret() {
        // When
        HttpResponse<String> created = client.post("/webhooks", subscription(receiver.url("/in"),
                "['customers','contacts']"));
        HttpResponse<String> listed = client.get("/webhooks");

        // Then
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode webhook = json(created);
        String id = webhook.path("id").asString();
        assertThat(created.headers().firstValue("Location")).hasValue("/webhooks/" + id);
        assertThat(webhook.propertyNames()).containsExactly("id", "url", "types", "created_at");
        assertThat(webhook.path("url").asString()).isEqualTo(receiver.url("/in"));
        assertThat(webhook.path("types")).extracting(JsonNode::asString).containsExactly("customers", "contacts");
        assertThat(webhook.path("created_at").asString()).isEqualTo("2025-03-01T09:30:00.000Z");
        assertThat(json(listed).path("items")).containsExactly(webhook);
        assertThat(created.body() + listed.body()).doesNotContain(SECRET);

        // When it is ended, it is gone, and ending it again is a 404
        assertThat(client.delete("/webhooks/" + id).statusCode()).isEqualTo(204);
        assertThat(client.delete("/webhooks/" + id).statusCode()).isEqualTo(404);
        assertThat(json(client.get("/webhooks")).path("items")).isEmpty();
        assertThat(client.withKey(null).get("/webhooks").statusCode()).isEqualTo(401);
        assertConformToTheContract();
    }

    @Test
    void shouldRefuseASubscriptionThatCannotBeDeliveredOrSigned() {
        // When
        HttpResponse<String> answer = client.post("/webhooks",
                body("{'url':'/relative','secret':'short','types':['customers','orders']}"));

        // Then
        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(json(answer).path("errors")).extracting(e -> e.path("field").asString())
                .containsExactly("url", "secret", "types");
        assertThat(answer.body()).doesNotContain("short");
        assertThat(json(client.get("/webhooks")).path("items")).isEmpty();
    }

    @Test
    void shouldSignEachDeliverySoThatTheReceiverCanCheckIt() throws Exception {
        // Given
        client.post("/webhooks", subscription(receiver.url("/in"), "['customers']"));

        // When a user edits a customer
        sim.editAsUser(RecordType.CUSTOMER, "cus_1", Map.of("phone", "+45 70 10 20 30"));

        // Then the receiver gets the change, signed with the secret over the time and the exact body
        await().atMost(WAIT).until(() -> receiver.deliveries().size() == 1);
        HookReceiver.Delivery delivery = receiver.deliveries().getFirst();
        JsonNode event = CustomcrmJson.MAPPER.readTree(delivery.body());
        assertThat(event.propertyNames()).containsExactly("type", "id", "event", "version", "occurred_at");
        assertThat(event.path("type").asString()).isEqualTo("customers");
        assertThat(event.path("id").asString()).isEqualTo("cus_1");
        assertThat(event.path("event").asString()).isEqualTo("updated");
        assertThat(event.path("version").asLong()).isEqualTo(2);
        assertThat(event.path("occurred_at").asString()).isEqualTo("2025-03-01T09:30:00.000Z");
        String signature = delivery.header("Customcrm-Signature");
        assertThat(signature).matches("t=[0-9]+,v1=[0-9a-f]{64}");
        long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
        assertThat(t).isEqualTo(clock.instant().getEpochSecond());
        assertThat(signature.substring(signature.indexOf("v1=") + 3)).isEqualTo(hmac(SECRET, t + "." + delivery.body()));
    }

    @Test
    void shouldDeliverOnlyRealChangesOfTheSubscribedTypes() {
        // Given a subscription to contacts only
        client.post("/webhooks", subscription(receiver.url("/contacts"), "['contacts']"));
        WebhookSubscriptions webhooks = sim.webhooks();

        // When a customer changes, a contact is written without a change, then one is created (twice under one
        // key) and deleted
        sim.editAsUser(RecordType.CUSTOMER, "cus_1", Map.of("phone", "+45 1"));
        String email = sim.record(RecordType.CONTACT, "con_1").orElseThrow().path("email").asString();
        sim.editAsUser(RecordType.CONTACT, "con_1", Map.of("email", email));
        String create = body("{'customer_id':'cus_1','last_name':'Holm'}");
        String id = json(client.post("/contacts", create, "Idempotency-Key", "k-1")).path("id").asString();
        client.post("/contacts", create, "Idempotency-Key", "k-1");
        client.delete("/contacts/" + id);

        // Then only the create and the delete were sent
        assertThat(webhooks.dispatched()).isEqualTo(2);
        await().atMost(WAIT).until(() -> webhooks.completed() == 2);
        assertThat(receiver.deliveries()).extracting(d -> CustomcrmJson.MAPPER.readTree(d.body()))
                .extracting(e -> e.path("id").asString() + " " + e.path("event").asString() + " "
                        + e.path("version").asLong())
                .containsExactlyInAnyOrder(id + " created 1", id + " deleted 2");
    }

    private static String subscription(String url, String types) {
        return body("{'url':'" + url + "','secret':'" + SECRET + "','types':" + types + "}");
    }

    private static String hmac(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    private void assertConformToTheContract() {
        assertThat(exchanges).isNotEmpty();
        for (CustomcrmTestClient.Exchange exchange : exchanges) {
            SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.request().method(),
                    exchange.request().uri().getRawPath());
            exchange.request().headers().map().forEach(request::withHeader);
            if (exchange.requestBody() != null) {
                request.withBody(exchange.requestBody());
            }
            SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.response().statusCode());
            exchange.response().headers().map().forEach(response::withHeader);
            if (!exchange.response().body().isEmpty()) {
                response.withBody(exchange.response().body());
            }
            ValidationReport report = VALIDATOR.validate(request.build(), response.build());
            boolean expectedBreach = exchange.request().headers().firstValue("Authorization").isEmpty();
            List<String> errors = report.getMessages().stream()
                    .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .filter(m -> !expectedBreach || !m.getKey().equals("validation.request.security.missing"))
                    .map(m -> m.getKey() + ": " + m.getMessage()).toList();
            assertThat(errors).as("%s %s -> %d", exchange.request().method(), exchange.request().uri().getPath(),
                    exchange.response().statusCode()).isEmpty();
        }
    }
}
