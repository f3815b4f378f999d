package dev.crmsync.app.simulate.customcrm;

import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.body;
import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CustomcrmWriteTest {

    private static final String ACME = body("{'name':'Acme A/S','vat_number':'DK12345678',"
            + "'address':{'street':'Havnegade 1','city':'Aarhus C','country_code':'DK'},'external_ids':{'webcrm':'17'}}");

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
    void shouldCreateReadReplacePatchAndDeleteACustomer() {
        // When created
        HttpResponse<String> created = client.post("/customers", ACME);

        // Then
        JsonNode customer = json(created);
        String id = customer.path("id").asString();
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/customers/" + id);
        assertThat(created.headers().firstValue("ETag")).contains("\"1\"");
        assertThat(customer.path("version").asInt()).isEqualTo(1);
        assertThat(customer.path("deleted").asBoolean()).isFalse();
        assertThat(customer.path("created_at").asString()).isEqualTo("2025-03-01T09:30:00.000Z");
        assertThat(customer.path("address").path("city").asString()).isEqualTo("Aarhus C");
        assertThat(json(client.get("/customers/" + id))).isEqualTo(customer);

        // When replaced an hour later: fields left out lose their value, external ids left out are kept
        clock.advance(Duration.ofHours(1));
        JsonNode replaced = json(client.put("/customers/" + id, body("{'name':'Acme Holding A/S'}")));

        // Then
        assertThat(replaced.path("version").asInt()).isEqualTo(2);
        assertThat(replaced.path("updated_at").asString()).isEqualTo("2025-03-01T10:30:00.000Z");
        assertThat(replaced.has("vat_number")).isFalse();
        assertThat(replaced.path("external_ids").path("webcrm").asString()).isEqualTo("17");

        // When patched: nested objects merge, null removes
        client.patch("/customers/" + id, body("{'address':{'city':'Vejle'},'external_ids':{'crmsync':'L-1'}}"));
        JsonNode patched = json(client.patch("/customers/" + id,
                body("{'address':{'street':'Torvet 2'},'external_ids':{'webcrm':null}}")));

        // Then
        assertThat(patched.path("version").asInt()).isEqualTo(4);
        assertThat(patched.path("address")).isEqualTo(parse("{'city':'Vejle','street':'Torvet 2'}"));
        assertThat(patched.path("external_ids")).isEqualTo(parse("{'crmsync':'L-1'}"));

        // When deleted
        HttpResponse<String> deleted = client.delete("/customers/" + id);

        // Then
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(client.get("/customers/" + id).statusCode()).isEqualTo(410);
        assertThat(client.put("/customers/" + id, ACME).statusCode()).isEqualTo(410);
        assertThat(client.delete("/customers/" + id).statusCode()).isEqualTo(410);
    }

    @Test
    void shouldRefuseAWriteWithAStaleVersionAndNameTheCurrentOne() {
        // Given a customer changed since version 1 was read
        String id = client.create("/customers", ACME).path("id").asString();
        client.patch("/customers/" + id, body("{'phone':'+45 12 34 56 78'}"));

        // When
        HttpResponse<String> stale = client.patch("/customers/" + id, body("{'phone':'+45 99'}"), "If-Match", "\"1\"");
        HttpResponse<String> staleDelete = client.delete("/customers/" + id, "If-Match", "1");
        HttpResponse<String> current = client.patch("/customers/" + id, body("{'phone':'+45 99'}"), "If-Match", "2");

        // Then
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(stale.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
        assertThat(json(stale).path("current_version").asInt()).isEqualTo(2);
        assertThat(staleDelete.statusCode()).isEqualTo(412);
        assertThat(current.statusCode()).isEqualTo(200);
        assertThat(current.headers().firstValue("ETag")).contains("\"3\"");
    }

    @Test
    void shouldNotCountAWriteThatChangesNothing() {
        // Given
        JsonNode created = client.create("/customers", ACME);
        String id = created.path("id").asString();

        // When the same values are written back, as a sync writing its own echo would
        JsonNode rewritten = json(client.put("/customers/" + id, ACME));

        // Then
        assertThat(rewritten).isEqualTo(created);
        assertThat(json(client.get("/customers?since=" + cursorAfterFirstPage())).path("items")).isEmpty();
    }

    @Test
    void shouldIgnoreUnknownPropertiesAndServerSetFields() {
        // When
        JsonNode created = client.create("/customers",
                body("{'name':'Acme A/S','id':'mine','version':99,'deleted':true,'colour':'red'}"));

        // Then
        assertThat(created.path("id").asString()).startsWith("cus_").isNotEqualTo("mine");
        assertThat(created.path("version").asInt()).isEqualTo(1);
        assertThat(created.path("deleted").asBoolean()).isFalse();
        assertThat(created.has("colour")).isFalse();
    }

    @Test
    void shouldReplayACreateForARepeatedIdempotencyKeyWithoutCreatingASecondRecord() {
        // When the same create is sent twice under one key, as after a lost answer
        HttpResponse<String> first = client.post("/customers", ACME, "Idempotency-Key", "create-acme-1");
        HttpResponse<String> retry = client.post("/customers", ACME, "Idempotency-Key", "create-acme-1");

        // Then
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(json(retry)).isEqualTo(json(first));
        assertThat(retry.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(json(client.get("/customers")).path("items")).hasSize(1);
    }

    @Test
    void shouldRefuseAnIdempotencyKeyReusedForADifferentBody() {
        // Given
        client.post("/customers", ACME, "Idempotency-Key", "create-acme-1");

        // When
        HttpResponse<String> reused = client.post("/customers", body("{'name':'Other ApS'}"),
                "Idempotency-Key", "create-acme-1");

        // Then
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(json(reused).path("type").asString()).endsWith("/idempotency-key-reused");
        assertThat(json(client.get("/customers")).path("items")).hasSize(1);
    }

    @Test
    void shouldCreateOneRecordWhenIdempotentRetriesRace() throws Exception {
        // When sixteen retries of one create arrive at once
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> client.post("/customers", ACME, "Idempotency-Key", "race")));
            }
        }

        // Then
        for (Future<HttpResponse<String>> answer : answers) {
            assertThat(answer.get().statusCode()).isEqualTo(201);
            assertThat(json(answer.get()).path("id")).isEqualTo(json(answers.getFirst().get()).path("id"));
        }
        assertThat(json(client.get("/customers")).path("items")).hasSize(1);
    }

    @Test
    void shouldFindALiveRecordByItsExternalId() {
        // Given
        String id = client.create("/customers", ACME).path("id").asString();

        // When
        HttpResponse<String> found = client.get("/customers/by-external-id/webcrm/17");
        HttpResponse<String> unknown = client.get("/customers/by-external-id/webcrm/18");
        client.delete("/customers/" + id);
        HttpResponse<String> afterDelete = client.get("/customers/by-external-id/webcrm/17");

        // Then
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(json(found).path("id").asString()).isEqualTo(id);
        assertThat(found.headers().firstValue("ETag")).contains("\"1\"");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(afterDelete.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldRefuseASecondLiveRecordWithTheSameExternalId() {
        // Given
        String id = client.create("/customers", ACME).path("id").asString();

        // When
        HttpResponse<String> duplicate = client.post("/customers", body("{'name':'Acme','external_ids':{'webcrm':'17'}}"));

        // Then
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(json(duplicate).path("type").asString()).endsWith("/external-id-taken");
        assertThat(json(duplicate).path("existing_id").asString()).isEqualTo(id);
    }

    @Test
    void shouldRefuseToDeleteACustomerThatAContactStillRefersTo() {
        // Given
        String customer = client.create("/customers", ACME).path("id").asString();
        String contact = client.create("/contacts", body("{'last_name':'Jensen','customer_id':'" + customer + "'}"))
                .path("id").asString();

        // When
        HttpResponse<String> refused = client.delete("/customers/" + customer);
        client.delete("/contacts/" + contact);
        HttpResponse<String> allowed = client.delete("/customers/" + customer);

        // Then
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused).path("referenced_by")).isEqualTo(parse("{'contacts':1}"));
        assertThat(allowed.statusCode()).isEqualTo(204);
    }

    @Test
    void shouldLetAContactMoveToAnotherCustomer() {
        // Given
        String first = client.create("/customers", ACME).path("id").asString();
        String second = client.create("/customers", body("{'name':'Beta ApS'}")).path("id").asString();
        String contact = client.create("/contacts", body("{'last_name':'Jensen','customer_id':'" + first + "'}"))
                .path("id").asString();

        // When
        HttpResponse<String> moved = client.patch("/contacts/" + contact, body("{'customer_id':'" + second + "'}"));

        // Then
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(json(moved).path("customer_id").asString()).isEqualTo(second);
        assertThat(client.delete("/customers/" + first).statusCode()).isEqualTo(204);
    }

    private String cursorAfterFirstPage() {
        return json(client.get("/customers")).path("next").asString();
    }

    private static JsonNode parse(String singleQuoted) {
        return SimulatorJson.mapper().readTree(body(singleQuoted));
    }
}
