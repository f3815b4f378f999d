package dev.crmsync.app.simulate.customcrm;

import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.body;
import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.cli.SimulateCustomcrmCommand;
import dev.crmsync.app.simulate.TrafficLog;
import dev.crmsync.testing.HookReceiver;
import dev.crmsync.testing.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /batch}: each item answers what its single route answers, items apply in order and on their own, the
 * whole request is refused only when it is no batch, and a batch is one request to the rate limit, the traffic
 * count and the fault knobs, but one change per item to the feed and the webhooks.
 */
class CustomcrmBatchTest {

    private static final Instant START = Instant.parse("2025-03-01T09:30:00Z");

    /** One write, as a request on its single route and as the batch item that stands for it. */
    private record Step(String method, String path, String body, List<String> headers, String item) {

        static Step of(String method, String path, String body, String item, String... headers) {
            return new Step(method, path, body == null ? null : CustomcrmTestClient.body(body), List.of(headers),
                    CustomcrmTestClient.body(item));
        }
    }

    private final List<CustomcrmSimulator> sims = new ArrayList<>();
    private CustomcrmSimulator sim;
    private CustomcrmTestClient client;

    @BeforeEach
    void start() {
        sim = start(CustomcrmSimulator.builder());
        client = new CustomcrmTestClient(sim);
    }

    @AfterEach
    void stop() {
        sims.forEach(CustomcrmSimulator::stop);
    }

    @Test
    void shouldAnswerEachItemExactlyAsItsSingleRouteWould() {
        // Given two servers holding the same records, and writes that meet every rule of the write routes
        CustomcrmSimulator single = start(CustomcrmSimulator.builder());
        family(sim);
        family(single);
        String acme = "{'name':'Acme A/S','address':{'country_code':'DK'},'external_ids':{'crmsync':'L-1'}}";
        List<Step> steps = List.of(
                Step.of("POST", "/customers", acme, "{'op':'create','type':'customers','idempotency_key':'k-1',"
                        + "'body':" + acme + "}", "Idempotency-Key", "k-1"),
                Step.of("POST", "/customers", acme, "{'op':'create','type':'customers','idempotency_key':'k-1',"
                        + "'body':" + acme + "}", "Idempotency-Key", "k-1"),
                Step.of("POST", "/customers", "{'name':'Other'}", "{'op':'create','type':'customers',"
                        + "'idempotency_key':'k-1','body':{'name':'Other'}}", "Idempotency-Key", "k-1"),
                Step.of("POST", "/customers", "{'address':{'country_code':'XX'}}", "{'op':'create',"
                        + "'type':'customers','body':{'address':{'country_code':'XX'}}}"),
                Step.of("POST", "/customers", "{'name':'Twin','external_ids':{'crmsync':'L-1'}}", "{'op':'create',"
                        + "'type':'customers','body':{'name':'Twin','external_ids':{'crmsync':'L-1'}}}"),
                Step.of("POST", "/contacts", "{'customer_id':'cus_999'}", "{'op':'create','type':'contacts',"
                        + "'body':{'customer_id':'cus_999'}}"),
                Step.of("POST", "/contacts", "'not an object'", "{'op':'create','type':'contacts',"
                        + "'body':'not an object'}"),
                Step.of("POST", "/customers", "{'name':'Keyed'}", "{'op':'create','type':'customers',"
                        + "'idempotency_key':'" + "k".repeat(256) + "','body':{'name':'Keyed'}}",
                        "Idempotency-Key", "k".repeat(256)),
                Step.of("PATCH", "/customers/cus_2", "{'phone':'+45 1'}", "{'op':'patch','type':'customers',"
                        + "'id':'cus_2','if_match':'1','body':{'phone':'+45 1'}}", "If-Match", "1"),
                Step.of("PATCH", "/customers/cus_2", "{'phone':'+45 2'}", "{'op':'patch','type':'customers',"
                        + "'id':'cus_2','if_match':'\\\"1\\\"','body':{'phone':'+45 2'}}", "If-Match", "\"1\""),
                Step.of("PATCH", "/customers/cus_2", "{'phone':'+45 2'}", "{'op':'patch','type':'customers',"
                        + "'id':'cus_2','if_match':'version two','body':{'phone':'+45 2'}}", "If-Match", "version two"),
                Step.of("PATCH", "/customers/cus_2", "{'phone':'+45 1'}", "{'op':'patch','type':'customers',"
                        + "'id':'cus_2','body':{'phone':'+45 1'}}"),
                Step.of("PATCH", "/contacts/con_1", "{'email':'not-an-email','middle_name':null}", "{'op':'patch',"
                        + "'type':'contacts','id':'con_1','body':{'email':'not-an-email','middle_name':null}}"),
                Step.of("PATCH", "/customers/cus_404", "{'phone':'+45 3'}", "{'op':'patch','type':'customers',"
                        + "'id':'cus_404','body':{'phone':'+45 3'}}"),
                Step.of("DELETE", "/customers/cus_1", null, "{'op':'delete','type':'customers','id':'cus_1'}"),
                Step.of("DELETE", "/products/prd_1", null, "{'op':'delete','type':'products','id':'prd_1',"
                        + "'if_match':'2'}", "If-Match", "2"),
                Step.of("DELETE", "/products/prd_1", null, "{'op':'delete','type':'products','id':'prd_1',"
                        + "'if_match':'*'}", "If-Match", "*"),
                Step.of("DELETE", "/products/prd_1", null, "{'op':'delete','type':'products','id':'prd_1'}"),
                Step.of("PATCH", "/products/prd_1", "{'name':'Back'}", "{'op':'patch','type':'products',"
                        + "'id':'prd_1','body':{'name':'Back'}}"));

        // When one server takes them one by one on their routes, the other in one batch
        CustomcrmTestClient singleClient = new CustomcrmTestClient(single);
        List<HttpResponse<String>> answers = steps.stream().map(step -> send(singleClient, step)).toList();
        HttpResponse<String> batch = client.post("/batch",
                "{\"items\":[" + String.join(",", steps.stream().map(Step::item).toList()) + "]}");

        // Then every item answered what its route answered, record or problem, and both servers hold the same
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        JsonNode results = json(batch).path("items");
        assertThat(results).hasSize(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            HttpResponse<String> answer = answers.get(i);
            JsonNode result = results.get(i);
            String step = steps.get(i).method() + " " + steps.get(i).path() + " -> " + answer.body();
            assertThat(result.path("status").asInt()).as(step).isEqualTo(answer.statusCode());
            if (answer.statusCode() == 204) {
                assertThat(result.propertyNames()).as(step).containsExactly("status");
            } else {
                String member = answer.statusCode() < 300 ? "record" : "problem";
                assertThat(result.get(member)).as(step).isEqualTo(json(answer));
            }
        }
        assertThat(results).extracting(r -> r.path("status").asInt()).containsExactly(
                201, 201, 422, 422, 409, 422, 400, 400, 200, 412, 400, 200, 422, 404, 409, 204, 410, 410, 410);
        for (String collection : List.of("/customers", "/contacts", "/products")) {
            assertThat(json(client.get(collection))).isEqualTo(json(singleClient.get(collection)));
        }
    }

    @Test
    void shouldApplyItemsInOrderSoThatALaterItemSeesAnEarlierOne() {
        // Given
        family(sim);

        // When a patch raises the version, a delete names the new one, and a create takes the freed external id
        HttpResponse<String> answer = client.post("/batch", body("{'items':["
                + "{'op':'patch','type':'customers','id':'cus_2','if_match':'1','body':{'phone':'+45 1'}},"
                + "{'op':'delete','type':'customers','id':'cus_2','if_match':'2'},"
                + "{'op':'create','type':'customers','body':{'name':'Heir','external_ids':{'crmsync':'L-lonely'}}}]}"));

        // Then
        JsonNode results = json(answer).path("items");
        assertThat(results).extracting(r -> r.path("status").asInt()).containsExactly(200, 204, 201);
        assertThat(results.get(2).path("record").path("external_ids").path("crmsync").asString()).isEqualTo("L-lonely");
    }

    @Test
    void shouldApplyTheOtherItemsWhenOneFails() {
        // When the middle item is refused
        HttpResponse<String> answer = client.post("/batch", body("{'items':["
                + "{'op':'create','type':'customers','body':{'name':'First'}},"
                + "{'op':'create','type':'customers','body':{'name':' '}},"
                + "{'op':'create','type':'customers','body':{'name':'Third'}}]}"));

        // Then it alone was not applied, and says why
        JsonNode results = json(answer).path("items");
        assertThat(results).extracting(r -> r.path("status").asInt()).containsExactly(201, 422, 201);
        assertThat(results.get(1).path("problem").path("type").asString()).endsWith("/validation-failed");
        assertThat(results.get(1).path("problem").path("errors").get(0).path("field").asString()).isEqualTo("name");
        assertThat(sim.count(RecordType.CUSTOMER)).isEqualTo(2);
    }

    @Test
    void shouldReplayACreateUnderOneKeyWhicheverWayItWasSent() {
        // Given a create sent on its own route under a key
        String first = json(client.post("/customers", body("{'name':'Acme'}"), "Idempotency-Key", "k-7"))
                .path("id").asString();

        // When it is repeated in a batch, and the key is then used for another body
        JsonNode results = json(client.post("/batch", body("{'items':["
                + "{'op':'create','type':'customers','idempotency_key':'k-7','body':{'name':'Acme'}},"
                + "{'op':'create','type':'customers','idempotency_key':'k-7','body':{'name':'Acme 2'}},"
                + "{'op':'create','type':'contacts','idempotency_key':'k-7','body':{'name':'Acme'}}]}")))
                .path("items");

        // Then
        assertThat(results.get(0).path("status").asInt()).isEqualTo(201);
        assertThat(results.get(0).path("record").path("id").asString()).isEqualTo(first);
        assertThat(results.get(1).path("problem").path("type").asString()).endsWith("/idempotency-key-reused");
        assertThat(results.get(2).path("problem").path("type").asString()).endsWith("/idempotency-key-reused");
        assertThat(sim.count(RecordType.CUSTOMER)).isEqualTo(1);
        assertThat(sim.count(RecordType.CONTACT)).isZero();
    }

    @Test
    void shouldRefuseTheWholeBatchWhenAnItemNamesNoWrite() {
        // When one valid item comes with four that name no route
        HttpResponse<String> answer = client.post("/batch", body("{'items':["
                + "{'op':'create','type':'customers','body':{'name':'Valid'}},"
                + "{'op':'upsert','type':'customers','body':{'name':'X'}},"
                + "{'op':'create','type':'orders','body':{}},"
                + "{'op':'delete','type':'products'},"
                + "'delete everything']}"));

        // Then nothing was applied, and every member at fault is named
        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(json(answer).path("type").asString()).endsWith("/validation-failed");
        assertThat(json(answer).path("errors")).extracting(e -> e.path("field").asString())
                .containsExactly("items[1].op", "items[2].type", "items[3].id", "items[4]");
        assertThat(sim.count(RecordType.CUSTOMER)).isZero();
    }

    @Test
    void shouldRefuseABodyThatIsNoBatch() {
        // When
        HttpResponse<String> notJson = client.post("/batch", "{\"items\": [");
        HttpResponse<String> noItems = client.post("/batch", body("{'writes':[]}"));
        HttpResponse<String> notAnArray = client.post("/batch", body("{'items':{'op':'create'}}"));
        HttpResponse<String> text = client.send("POST", "/batch", "items", "text/plain");

        // Then
        assertThat(List.of(notJson, noItems, notAnArray)).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(json(answer).path("type").asString()).endsWith("/bad-request");
        });
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(json(client.post("/batch", body("{'items':[]}"))).path("items")).isEmpty();
    }

    @Test
    void shouldTakeAThousandItemsOfManyBytesButRefuseOneMore() {
        // Given a thousand creates of over a megabyte in all, and one more
        String notes = "n".repeat(1500);
        List<String> items = IntStream.rangeClosed(1, 1001).mapToObj(i -> "{'op':'create','type':'customers',"
                + "'idempotency_key':'k-" + i + "','body':{'name':'Customer " + i + "','notes':'" + notes + "'}}")
                .toList();

        String thousand = body("{'items':[" + String.join(",", items.subList(0, 1000)) + "]}");

        // When
        HttpResponse<String> tooMany = client.post("/batch", body("{'items':[" + String.join(",", items) + "]}"));
        HttpResponse<String> most = client.post("/batch", thousand);

        // Then
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(json(tooMany).path("type").asString()).endsWith("/too-large");
        assertThat(json(tooMany).path("detail").asString()).contains("at most 1000 items");
        assertThat(thousand.length()).isGreaterThan(1_500_000);
        assertThat(most.statusCode()).isEqualTo(200);
        assertThat(json(most).path("items")).hasSize(1000).allSatisfy(r -> assertThat(r.path("status").asInt())
                .isEqualTo(201));
        assertThat(sim.count(RecordType.CUSTOMER)).isEqualTo(1000);
    }

    @Test
    void shouldCountABatchAsOneWriteAndOneRequestAgainstTheRateLimit() {
        // Given a server that takes two requests a minute
        CustomcrmTestClient limited = new CustomcrmTestClient(start(CustomcrmSimulator.builder()
                .rateLimit(2, Duration.ofMinutes(1))));
        String five = body("{'items':[" + String.join(",", IntStream.rangeClosed(1, 5).mapToObj(i ->
                "{'op':'create','type':'customers','body':{'name':'C" + i + "'}}").toList()) + "]}");

        // When
        HttpResponse<String> batch = limited.post("/batch", five);
        HttpResponse<String> second = limited.get("/customers");
        HttpResponse<String> third = limited.get("/customers");

        // Then
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(json(second).path("items")).hasSize(5);
        assertThat(third.statusCode()).isEqualTo(429);
        TrafficLog.Snapshot traffic = sims.getLast().traffic().snapshot();
        assertThat(traffic.writes()).isEqualTo(1);
        assertThat(traffic.byRoute()).containsEntry("POST /batch", 1L);
    }

    @Test
    void shouldListEveryChangedItemInTheFeedAndFireItsWebhook() {
        // Given a subscriber, and a customer to change
        HookReceiver receiver = new HookReceiver();
        try (receiver) {
            String customer = sim.createAsUser(RecordType.CUSTOMER, Map.of("name", "Acme", "phone", "+45 1"))
                    .path("id").asString();
            String cursor = json(client.get("/customers")).path("next").asString();
            client.post("/webhooks", body("{'url':'" + receiver.url("/in") + "','secret':'test-webhook-secret-0123',"
                    + "'types':['customers','contacts']}"));

            // When a batch creates two, changes one, writes one back unchanged and replays a create
            JsonNode results = json(client.post("/batch", body("{'items':["
                    + "{'op':'create','type':'customers','idempotency_key':'k-1','body':{'name':'New'}},"
                    + "{'op':'create','type':'contacts','body':{'customer_id':'" + customer + "'}},"
                    + "{'op':'patch','type':'customers','id':'" + customer + "','body':{'phone':'+45 2'}},"
                    + "{'op':'patch','type':'customers','id':'" + customer + "','body':{'phone':'+45 2'}},"
                    + "{'op':'create','type':'customers','idempotency_key':'k-1','body':{'name':'New'}}]}")))
                    .path("items");

            // Then the three real changes are in the feed and were delivered, the other two are not changes
            assertThat(results).extracting(r -> r.path("status").asInt()).containsExactly(201, 201, 200, 200, 201);
            String created = results.get(0).path("record").path("id").asString();
            assertThat(json(client.get("/customers?since=" + cursor)).path("items"))
                    .extracting(r -> r.path("id").asString() + " v" + r.path("version").asInt())
                    .containsExactly(created + " v1", customer + " v2");
            assertThat(json(client.get("/contacts")).path("items")).hasSize(1);
            WebhookSubscriptions webhooks = sim.webhooks();
            await().atMost(Duration.ofSeconds(10)).until(() -> webhooks.completed() == 3);
            assertThat(webhooks.dispatched()).isEqualTo(3);
            assertThat(receiver.deliveries()).extracting(d -> CustomcrmJson.MAPPER.readTree(d.body()))
                    .extracting(e -> e.path("type").asString() + " " + e.path("event").asString())
                    .containsExactlyInAnyOrder("customers created", "contacts created", "customers updated");
        }
    }

    @Test
    void shouldCarryOutABatchWhoseAnswerIsLostAndReplayItWithoutASecondRecord() {
        // Given a customer and its product, and the answer of the next write lost on the way back
        family(sim);
        sim.faults().loseNextWriteAnswers(1);
        String batch = body("{'items':["
                + "{'op':'create','type':'customers','idempotency_key':'k-1','body':{'name':'New'}},"
                + "{'op':'patch','type':'customers','id':'cus_2','if_match':'1','body':{'phone':'+45 9'}},"
                + "{'op':'delete','type':'products','id':'prd_1'}]}");

        // When the batch is sent, and sent again as a client that lost the answer would
        assertThatThrownBy(() -> client.post("/batch", batch)).isInstanceOf(UncheckedIOException.class);
        HttpResponse<String> again = client.post("/batch", batch);

        // Then the first sending was carried out, and the second made nothing twice
        JsonNode results = json(again).path("items");
        assertThat(results).extracting(r -> r.path("status").asInt()).containsExactly(201, 412, 410);
        assertThat(results.get(1).path("problem").path("current_version").asInt()).isEqualTo(2);
        assertThat(sim.count(RecordType.CUSTOMER)).isEqualTo(3);
        assertThat(sim.record(RecordType.CUSTOMER, "cus_2").orElseThrow().path("phone").asString()).isEqualTo("+45 9");
        assertThat(json(client.get("/customers/" + results.get(0).path("record").path("id").asString()))
                .path("version").asInt()).isEqualTo(1);
    }

    @Test
    void shouldFailABatchWithAnInjectedFaultBeforeApplyingAnything() {
        // Given
        sim.faults().failNext(1, 503, Duration.ofSeconds(2));

        // When
        HttpResponse<String> answer = client.post("/batch", body("{'items':[{'op':'create','type':'customers',"
                + "'body':{'name':'Unlucky'}}]}"));

        // Then
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).contains("2");
        assertThat(sim.count(RecordType.CUSTOMER)).isZero();
    }

    @Test
    void shouldAnswer404AndLeaveTheBatchOutOfTheContractWhenRunWithoutIt() {
        // Given
        CustomcrmSimulator without = start(CustomcrmSimulator.builder().batch(false));
        CustomcrmTestClient plain = new CustomcrmTestClient(without);

        // When
        HttpResponse<String> batch = plain.post("/batch", body("{'items':[{'op':'create','type':'customers',"
                + "'body':{'name':'Nowhere'}}]}"));
        String served = plain.withKey(null).get("/openapi.yaml").body();
        String full = client.withKey(null).get("/openapi.yaml").body();

        // Then
        assertThat(batch.statusCode()).isEqualTo(404);
        assertThat(json(batch).path("type").asString()).endsWith("/not-found");
        assertThat(without.count(RecordType.CUSTOMER)).isZero();
        assertThat(full).contains("/batch:", "BatchRequest", "## Batch writes (optional)");
        assertThat(served).doesNotContain("/batch", "Batch", "TooLarge").contains("/customers/{id}", "Problem");
    }

    @Test
    void shouldRunWithoutTheBatchFromTheCommandLine() throws Exception {
        // Given the command started with --no-batch on a free port
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new SimulateCustomcrmCommand()).setOut(new PrintWriter(out));
        Thread running = Thread.ofPlatform().start(() -> cli.execute("--port", "0", "--empty", "--no-batch"));
        try {
            String baseUrl = await().atMost(Duration.ofSeconds(30)).until(() -> listeningOn(out), url -> url != null);

            // When
            HttpResponse<String> batch;
            HttpResponse<String> contract;
            try (HttpClient http = HttpClient.newHttpClient()) {
                batch = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/batch"))
                        .header("Authorization", "Bearer demo-customcrm-key")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[]}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                contract = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/openapi.yaml")).build(),
                        HttpResponse.BodyHandlers.ofString());
            }

            // Then
            assertThat(out.toString()).contains("Batch writes: off (--no-batch)");
            assertThat(batch.statusCode()).isEqualTo(404);
            assertThat(contract.statusCode()).isEqualTo(200);
            assertThat(contract.body()).doesNotContain("/batch").contains("/customers/{id}");
        } finally {
            running.interrupt();
            running.join(Duration.ofSeconds(30));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String listeningOn(StringWriter out) {
        Matcher url = Pattern.compile("listening on (http://\\S+)").matcher(out.toString());
        return url.find() ? url.group(1) : null;
    }

    private CustomcrmSimulator start(CustomcrmSimulator.Builder builder) {
        CustomcrmSimulator started = builder.apiKey("K").clock(new MutableClock(START)).build().start("127.0.0.1", 0);
        sims.add(started);
        return started;
    }

    /**
     * Gives a server customer {@code cus_1} with contact {@code con_1} and product {@code prd_1} (version 1, then 2
     * once its contact is set), and customer {@code cus_2} stamped {@code L-lonely} with nothing referring to it.
     */
    private static void family(CustomcrmSimulator server) {
        server.createAsUser(RecordType.CUSTOMER, Map.of("name", "Parent A/S"));
        server.createAsUser(RecordType.CONTACT, Map.of("customer_id", "cus_1", "first_name", "Ida",
                "middle_name", "Marie"));
        server.createAsUser(RecordType.PRODUCT, Map.of("name", "Support", "customer_id", "cus_1"));
        server.editAsUser(RecordType.PRODUCT, "prd_1", Map.of("contact_id", "con_1"));
        server.createAsUser(RecordType.CUSTOMER, Map.of("name", "Lonely ApS",
                "external_ids", Map.of("crmsync", "L-lonely")));
    }

    private static HttpResponse<String> send(CustomcrmTestClient client, Step step) {
        String contentType = step.body() == null ? null
                : step.method().equals("PATCH") ? CustomcrmTestClient.MERGE_PATCH : CustomcrmTestClient.JSON;
        return client.send(step.method(), step.path(), step.body(), contentType,
                step.headers().toArray(String[]::new));
    }
}
