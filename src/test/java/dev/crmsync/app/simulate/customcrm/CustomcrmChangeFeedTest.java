package dev.crmsync.app.simulate.customcrm;

import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.body;
import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CustomcrmChangeFeedTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T09:30:00Z"));
    private CustomcrmSimulator sim;
    private CustomcrmTestClient client;

    @BeforeEach
    void start() {
        sim = CustomcrmSimulator.builder().apiKey("K").clock(clock).build().start("127.0.0.1", 0);
        client = new CustomcrmTestClient(sim);
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    @Test
    void shouldPageThroughEveryChangeInOrderFollowingNext() {
        // Given
        List<String> created = createCustomers(5);

        // When
        JsonNode first = page("/customers?limit=2");
        JsonNode second = page("/customers?limit=2&since=" + first.path("next").asString());
        JsonNode third = page("/customers?limit=2&since=" + second.path("next").asString());
        JsonNode after = page("/customers?limit=2&since=" + third.path("next").asString());

        // Then
        assertThat(ids(first)).containsExactlyElementsOf(created.subList(0, 2));
        assertThat(ids(second)).containsExactlyElementsOf(created.subList(2, 4));
        assertThat(ids(third)).containsExactlyElementsOf(created.subList(4, 5));
        assertThat(List.of(first, second, third, after)).extracting(p -> p.path("has_more").asBoolean())
                .containsExactly(true, true, false, false);
        assertThat(ids(after)).isEmpty();
        assertThat(after.path("next")).isEqualTo(third.path("next"));
    }

    @Test
    void shouldStartFromTheBeginningWithoutACursorAndDefaultTo100() {
        // Given
        createCustomers(101);

        // When
        JsonNode page = page("/customers");

        // Then
        assertThat(ids(page)).hasSize(100);
        assertThat(page.path("has_more").asBoolean()).isTrue();
    }

    @Test
    void shouldShowOnlyChangesMadeAfterAStoredCursor() {
        // Given a client that read everything and kept the cursor
        List<String> created = createCustomers(3);
        String stored = page("/customers").path("next").asString();

        // When
        client.patch("/customers/" + created.get(0), body("{'phone':'+45 1'}"));
        String newer = client.create("/customers", body("{'name':'Newer ApS'}")).path("id").asString();
        JsonNode later = page("/customers?since=" + stored);

        // Then
        assertThat(ids(later)).containsExactly(created.get(0), newer);
    }

    @Test
    void shouldShowARecordEditedTwiceOnceAtItsLatestVersion() {
        // Given
        String id = createCustomers(2).get(0);

        // When
        client.patch("/customers/" + id, body("{'phone':'+45 1'}"));
        client.patch("/customers/" + id, body("{'phone':'+45 2'}"));
        JsonNode page = page("/customers");

        // Then
        assertThat(ids(page)).containsOnlyOnce(id).hasSize(2).last().isEqualTo(id);
        assertThat(page.path("items").get(1).path("version").asInt()).isEqualTo(3);
        assertThat(page.path("items").get(1).path("phone").asString()).isEqualTo("+45 2");
    }

    @Test
    void shouldShowADeletedRecordAsATombstone() {
        // Given
        String id = client.create("/customers", body("{'name':'Acme','external_ids':{'webcrm':'17'}}"))
                .path("id").asString();
        String cursor = page("/customers").path("next").asString();
        clock.advance(Duration.ofMinutes(5));

        // When
        client.delete("/customers/" + id);
        JsonNode page = page("/customers?since=" + cursor);

        // Then
        JsonNode tombstone = page.path("items").get(0);
        assertThat(tombstone.propertyNames()).containsExactly("id", "deleted", "version", "updated_at",
                "external_ids");
        assertThat(tombstone.path("id").asString()).isEqualTo(id);
        assertThat(tombstone.path("deleted").asBoolean()).isTrue();
        assertThat(tombstone.path("version").asInt()).isEqualTo(2);
        assertThat(tombstone.path("updated_at").asString()).isEqualTo("2025-03-01T09:35:00.000Z");
        assertThat(tombstone.path("external_ids").path("webcrm").asString()).isEqualTo("17");
    }

    @Test
    void shouldShowChangesMadeByTheCustomersOwnUsers() {
        // Given
        String id = sim.createAsUser(RecordType.CONTACT, Map.of("last_name", "Jensen")).path("id").asString();
        String gone = sim.createAsUser(RecordType.CONTACT, Map.of("last_name", "Hansen")).path("id").asString();
        String cursor = page("/contacts").path("next").asString();

        // When
        sim.editAsUser(RecordType.CONTACT, id, Map.of("job_title", "CFO"));
        sim.deleteAsUser(RecordType.CONTACT, gone);
        JsonNode page = page("/contacts?since=" + cursor);

        // Then
        assertThat(ids(page)).containsExactly(id, gone);
        assertThat(page.path("items").get(0).path("job_title").asString()).isEqualTo("CFO");
        assertThat(page.path("items").get(1).path("deleted").asBoolean()).isTrue();
        assertThat(sim.record(RecordType.CONTACT, gone)).hasValueSatisfying(c -> assertThat(c.path("deleted")
                .asBoolean()).isTrue());
    }

    @Test
    void shouldKeepEachTypesFeedApart() {
        // Given
        String customer = createCustomers(1).get(0);
        client.create("/contacts", body("{'last_name':'Jensen','customer_id':'" + customer + "'}"));
        String customersCursor = page("/customers").path("next").asString();

        // When
        HttpResponse<String> foreign = client.get("/contacts?since=" + customersCursor);

        // Then
        assertThat(ids(page("/customers?since=" + customersCursor))).isEmpty();
        assertThat(foreign.statusCode()).isEqualTo(400);
    }

    @Test
    void shouldRefuseACursorItDidNotIssueAndALimitOutOfRange() {
        // Given
        createCustomers(1);
        String issued = page("/customers").path("next").asString();
        String ahead = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("c1:customers:99".getBytes(StandardCharsets.UTF_8));

        // Then
        for (String query : List.of("since=nonsense", "since=", "since=" + issued + "x", "since=" + ahead,
                "limit=0", "limit=1001", "limit=ten")) {
            HttpResponse<String> answer = client.get("/customers?" + query);
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            assertThat(json(answer).path("type").asString()).endsWith("/bad-request");
        }
    }

    private List<String> createCustomers(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(client.create("/customers", body("{'name':'Customer " + i + "'}")).path("id").asString());
        }
        return ids;
    }

    private JsonNode page(String pathAndQuery) {
        HttpResponse<String> answer = client.get(pathAndQuery);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json(answer);
    }

    private static List<String> ids(JsonNode page) {
        return page.path("items").valueStream().map(item -> item.path("id").asString()).toList();
    }
}
