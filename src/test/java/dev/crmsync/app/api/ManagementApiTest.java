package dev.crmsync.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.testing.ServiceHarness;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The management API over a running service with both simulators: every endpoint of the contract, its token,
 * and what each one changes in the two systems.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagementApiTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static ServiceHarness harness;

    @BeforeAll
    static void startService() {
        harness = ServiceHarness.start();
        awaitFirstSync();
    }

    @AfterAll
    static void stopService() {
        // Every request these tests made, and every answer, as the published contract describes them
        harness.closeCheckingTheContract();
    }

    private static void awaitFirstSync() {
        harness.awaitFirstCycles(PATIENCE);
    }

    // ---------------------------------------------------------------- tokens

    @Test
    @Order(1)
    void shouldRefuseEveryDocumentedApiRouteWithoutTheToken() throws IOException {
        // Given every operation of the contract that is not open
        List<String[]> guarded = guardedOperations();
        assertThat(guarded).hasSizeGreaterThan(15);

        List<Integer> wrongAnswers = new ArrayList<>();
        for (String[] op : guarded) {
            // When
            ServiceHarness.Response none = harness.call(op[0], op[1], op[0].equals("GET") ? null : "{}", null);
            ServiceHarness.Response wrong = harness.call(op[0], op[1], op[0].equals("GET") ? null : "{}",
                    "not-the-token-but-long-enough");

            // Then a request without a token is refused, and one with a wrong token too: at first with 401, and
            // once this address has sent a few wrong tokens, with 429 until its wait is over
            assertThat(none.status()).as(op[0] + " " + op[1] + " without a token").isEqualTo(401);
            assertThat(none.contentType()).startsWith("application/problem+json");
            assertThat(wrong.status()).as(op[0] + " " + op[1] + " with a wrong token").isIn(401, 429);
            assertThat(wrong.contentType()).startsWith("application/problem+json");
            wrongAnswers.add(wrong.status());
        }
        assertThat(wrongAnswers.subList(0, FailedTokenThrottle.FREE_FAILURES)).containsOnly(401);
        assertThat(wrongAnswers).contains(429);
        // And once the wait is over, the token is admitted again (wrong tokens in the wait do not lengthen it)
        await().atMost(PATIENCE).until(() -> harness.call("GET", "/api/status", null, ServiceHarness.TOKEN)
                .status() == 200);
    }

    @Test
    @Order(2)
    void shouldServeHealthMetricsAndTheContractWithoutTheToken() {
        // When
        ServiceHarness.Response live = harness.call("GET", "/health/live", null, null);
        ServiceHarness.Response ready = harness.call("GET", "/health/ready", null, null);
        ServiceHarness.Response metrics = harness.call("GET", "/metrics", null, null);
        ServiceHarness.Response contract = harness.call("GET", "/api/openapi.yaml", null, null);

        // Then
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().path("status").asString()).isEqualTo("up");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("checks").path("webcrm").path("up").asBoolean()).isTrue();
        assertThat(ready.json().path("checks").path("customcrm").path("up").asBoolean()).isTrue();
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("crmsync_records_read_total").contains("jvm_memory_used_bytes")
                .contains("jetty_threads_current").contains("crmsync_api_budget_remaining{system=\"webcrm\"}")
                .doesNotContain(ServiceHarness.WEBCRM_TOKEN).doesNotContain(ServiceHarness.CUSTOMCRM_KEY);
        assertThat(contract.body()).startsWith("openapi: 3.1.0");
    }

    @Test
    @Order(3)
    void shouldSignABrowserInWithTheTokenAndOutAgain() {
        // When
        ServiceHarness.Response refused = harness.call("POST", "/api/session", "{\"token\":\"guess-guess-guess\"}",
                null);
        ServiceHarness.Response accepted = harness.call("POST", "/api/session",
                "{\"token\":\"" + ServiceHarness.TOKEN + "\"}", null);

        // Then
        assertThat(refused.status()).isEqualTo(401);
        assertThat(accepted.status()).isEqualTo(204);
    }

    @Test
    @Order(4)
    void shouldNotQuoteBackATokenPastedIntoASignInThatIsNotJson() {
        // Regression (issue 11): the answer quoted the parser's message, which quoted the unreadable text
        // When a token is pasted without its quotes
        ServiceHarness.Response answer = harness.call("POST", "/api/session",
                "{\"token\": " + ServiceHarness.TOKEN + "}", null);

        // Then the sign-in is refused as not JSON, saying where, without the token
        assertThat(answer.status()).isEqualTo(400);
        // (the parser reads the token up to its first '-', and quoted that much)
        assertThat(answer.json().path("detail").asString()).isEqualTo("the body is not JSON (line 1, column 11)")
                .doesNotContain(ServiceHarness.TOKEN.substring(0, ServiceHarness.TOKEN.indexOf('-')));
    }

    // ---------------------------------------------------------------- status and history

    @Test
    @Order(10)
    void shouldReportEachFlowAndSystemAfterTheFirstSync() {
        // When
        JsonNode status = harness.status();

        // Then
        assertThat(status.path("ready").asBoolean()).isTrue();
        assertThat(status.path("flows")).hasSize(3);
        JsonNode organisations = status.path("flows").get(0);
        assertThat(organisations.path("flow").asString()).isEqualTo("organisations");
        assertThat(organisations.path("title").asString()).isEqualTo("webCRM Organisations ↔ Customcrm Customers");
        assertThat(organisations.path("links").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(organisations.path("interval").asString()).isEqualTo("1s");
        assertThat(organisations.path("lastCycle").path("read").asInt()).isGreaterThanOrEqualTo(0);
        assertThat(organisations.path("lastError").isNull()).isTrue();
        for (JsonNode system : status.path("systems")) {
            assertThat(system.path("reachable").asBoolean()).as(system.toString()).isTrue();
            assertThat(system.path("calls").asLong()).isPositive();
        }
        assertThat(status.path("systems").get(0).path("budgetLimit").asLong()).isEqualTo(240);
    }

    @Test
    @Order(11)
    void shouldShowAnEditMadeInWebcrmOnTheTimelineAndInTheLinksHistory() {
        // Given a linked organisation
        JsonNode link = harness.api("GET", "/api/links?flow=organisations&limit=1", null).json().path("items").get(0);
        int webcrmId = Integer.parseInt(link.path("webcrmId").asString());

        // When a webCRM user renames it
        harness.webcrm().editAsUser(WebcrmEntity.ORGANISATION, webcrmId, Map.of("OrganisationName", "Fjordlys Renamed A/S"));

        // Then the timeline shows the change with its origin and both values, and Customcrm has it
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode first = harness.api("GET", "/api/timeline?limit=20", null).json().get(0);
            assertThat(first.path("linkId").asString()).isEqualTo(link.path("id").asString());
            assertThat(first.path("origin").asString()).isEqualTo("webcrm");
            assertThat(first.path("changes").path("name").path("after").asString()).isEqualTo("Fjordlys Renamed A/S");
            assertThat(first.path("title").asString()).isEqualTo("Fjordlys Renamed A/S");
        });
        assertThat(harness.customcrm().record(RecordType.CUSTOMER, link.path("customcrmId").asString()).orElseThrow()
                .path("name").asString()).isEqualTo("Fjordlys Renamed A/S");
        JsonNode detail = harness.api("GET", "/api/links/" + link.path("id").asString(), null).json();
        assertThat(detail.path("base").path("name").asString()).isEqualTo("Fjordlys Renamed A/S");
        assertThat(detail.path("webcrm").path("properties").path("OrganisationName").asString())
                .isEqualTo("Fjordlys Renamed A/S");
        assertThat(detail.path("history")).anySatisfy(e -> assertThat(e.path("action").asString()).isEqualTo("update"));
        assertThat(harness.api("GET", "/api/links/no-such-link", null).status()).isEqualTo(404);
    }

    @Test
    @Order(12)
    void shouldFindLinksByNameEmailAndId() {
        // Given a person's link
        JsonNode person = harness.api("GET", "/api/links?flow=persons&limit=1", null).json().path("items").get(0);
        String email = person.path("email").asString();
        assertThat(email).contains("@");

        // When / Then
        assertThat(harness.api("GET", "/api/links?q=" + email.toUpperCase(), null).json().path("items"))
                .extracting(n -> n.path("id").asString()).contains(person.path("id").asString());
        assertThat(harness.api("GET", "/api/links?q=" + person.path("customcrmId").asString(), null).json()
                .path("items").get(0).path("id").asString()).as("a whole id comes first").isEqualTo(person.path("id")
                .asString());
        assertThat(harness.api("GET", "/api/links?q=zz-nobody-zz", null).json().path("items")).isEmpty();
        assertThat(harness.api("GET", "/api/links?limit=0", null).status()).isEqualTo(400);
        assertThat(harness.api("GET", "/api/links?flow=deals", null).status()).isEqualTo(400);
    }

    @Test
    @Order(13)
    void shouldChartWhatWasWrittenInTimeBuckets() {
        // When
        JsonNode stats = harness.api("GET", "/api/stats?hours=1&bucketMinutes=15", null).json();

        // Then
        assertThat(stats.path("bucketMinutes").asInt()).isEqualTo(15);
        assertThat(stats.path("buckets")).hasSize(4);
        long written = 0;
        for (JsonNode bucket : stats.path("buckets")) {
            written += bucket.path("flows").path("organisations").path("written").asLong();
        }
        assertThat(written).as("the first sync created organisations on both sides").isPositive();
        assertThat(harness.api("GET", "/api/stats?hours=0", null).status()).isEqualTo(400);
    }

    @Test
    @Order(14)
    void shouldServeThePropertyTablesOfTheRunningConfiguration() {
        // When
        ServiceHarness.Response html = harness.api("GET", "/api/dataflow", null);
        ServiceHarness.Response md = harness.api("GET", "/api/dataflow?format=md", null);

        // Then
        assertThat(html.contentType()).startsWith("text/html");
        assertThat(html.body()).contains("<table>").contains("OrganisationName").doesNotContain("<html");
        assertThat(md.body()).contains("| OrganisationName");
        assertThat(harness.api("GET", "/api/dataflow?format=pdf", null).status()).isEqualTo(400);
    }

    // ---------------------------------------------------------------- control

    @Test
    @Order(20)
    void shouldPauseResumeAndSyncAFlowNow() {
        // When
        JsonNode paused = harness.api("POST", "/api/flows/organisations/pause", null).json();
        awaitPaused("organisations");
        ServiceHarness.Response refused = harness.api("POST", "/api/flows/organisations/sync-now", null);
        harness.webcrm().createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Paused Lamps A/S"));

        // Then a paused flow is not synced, and cannot be synced now
        assertThat(paused.path("paused").asBoolean()).isTrue();
        assertThat(paused.path("nextCycleAt").isNull()).isTrue();
        assertThat(refused.status()).isEqualTo(409);
        assertThat(harness.api("POST", "/api/flows/deals/pause", null).status()).isEqualTo(404);

        // When resumed, the product syncs
        assertThat(harness.api("GET", "/api/links?q=Paused%20Lamps", null).json().path("items")).isEmpty();
        JsonNode resumed = harness.api("POST", "/api/flows/organisations/resume", null).json();
        assertThat(resumed.path("paused").asBoolean()).isFalse();
        await().atMost(PATIENCE).until(() -> harness.api("GET", "/api/links?q=Paused%20Lamps", null).json()
                .path("items").size() == 1);
        ServiceHarness.Response now = harness.api("POST", "/api/flows/organisations/sync-now", null);
        assertThat(now.status()).isEqualTo(202);
        assertThat(now.json().path("nextReconcileAt").asString()).isNotBlank();
        assertThat(harness.api("POST", "/api/sync-now", null).status()).isEqualTo(202);
    }

    @Test
    @Order(21)
    void shouldPlanADryRunWithoutWritingIt() {
        // Given a paused flow (its cycle under way, if any, finished) with an edit waiting
        harness.api("POST", "/api/flows/organisations/pause", null);
        awaitPaused("organisations");
        JsonNode link = harness.api("GET", "/api/links?flow=organisations&limit=1&offset=1", null).json()
                .path("items").get(0);
        harness.customcrm().editAsUser(RecordType.CUSTOMER, link.path("customcrmId").asString(),
                Map.of("name", "Dry Run Planned ApS"));
        try {
            // When
            JsonNode plan = harness.api("GET", "/api/plan", null).json();

            // Then the plan shows the update, and webCRM still has the old name
            JsonNode organisations = plan.path("flows").get(0);
            assertThat(organisations.path("flow").asString()).isEqualTo("organisations");
            assertThat(organisations.path("writes").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(organisations.path("changes").toString()).contains("update");
            assertThat(harness.webcrm().record(WebcrmEntity.ORGANISATION,
                    Integer.parseInt(link.path("webcrmId").asString())).orElseThrow()
                    .path("OrganisationName").asString()).isNotEqualTo("Dry Run Planned ApS");
        } finally {
            harness.api("POST", "/api/flows/organisations/resume", null);
        }
        await().atMost(PATIENCE).until(() -> harness.webcrm().record(WebcrmEntity.ORGANISATION,
                Integer.parseInt(link.path("webcrmId").asString())).orElseThrow()
                .path("OrganisationName").asString().equals("Dry Run Planned ApS"));
    }

    // ---------------------------------------------------------------- dead letters

    @Test
    @Order(30)
    void shouldReplayADeadLetterOnceTheSystemTakesWritesAgainAndDismissAnother() {
        // Given Customcrm refuses every write for now, so two new webCRM organisations end as dead letters
        harness.customcrm().faults().failWrites(422);
        int first = harness.webcrm().createAsUser(WebcrmEntity.ORGANISATION,
                Map.of("OrganisationName", "Replayed Kettles A/S"));
        int second = harness.webcrm().createAsUser(WebcrmEntity.ORGANISATION,
                Map.of("OrganisationName", "Dismissed Kettles A/S"));
        try {
            await().atMost(PATIENCE).until(() -> harness.api("GET", "/api/dead-letters", null).json().size() >= 2);
        } finally {
            harness.customcrm().faults().reset();
        }
        JsonNode dead = harness.api("GET", "/api/dead-letters", null).json();
        assertThat(dead).anySatisfy(d -> {
            assertThat(d.path("recordId").asString()).isEqualTo(Integer.toString(first));
            assertThat(d.path("side").asString()).isEqualTo("webcrm");
            assertThat(d.path("reason").asString()).contains("422");
        });

        // When
        ServiceHarness.Response replayed = harness.api("POST", "/api/dead-letters/organisations/webcrm/" + first + "/replay",
                null);
        ServiceHarness.Response dismissed = harness.api("DELETE", "/api/dead-letters/organisations/webcrm/" + second, null);

        // Then the replayed one syncs, the dismissed one is gone without syncing
        assertThat(replayed.json().path("replayed").asInt()).isEqualTo(1);
        assertThat(dismissed.status()).isEqualTo(204);
        await().atMost(PATIENCE).until(() -> harness.api("GET", "/api/links?q=Replayed%20Kettles", null).json()
                .path("items").size() == 1);
        assertThat(harness.api("GET", "/api/dead-letters", null).json()).isEmpty();
        assertThat(harness.api("GET", "/api/links?q=Dismissed%20Kettles", null).json().path("items"))
                .allSatisfy(l -> assertThat(l.path("customcrmId").isNull()).as("never created on Customcrm").isTrue());
        assertThat(harness.api("DELETE", "/api/dead-letters/organisations/webcrm/" + second, null).status()).isEqualTo(404);
    }

    @Test
    @Order(31)
    void shouldReplayEveryDeadLetterAtOnce() {
        // Given two dead letters
        harness.customcrm().faults().failWrites(422);
        try {
            harness.webcrm().createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "All Again One A/S"));
            harness.webcrm().createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "All Again Two A/S"));
            await().atMost(PATIENCE).until(() -> harness.api("GET", "/api/dead-letters", null).json().size() == 2);
        } finally {
            harness.customcrm().faults().reset();
        }

        // When
        JsonNode replayed = harness.api("POST", "/api/dead-letters/replay", null).json();

        // Then both sync
        assertThat(replayed.path("replayed").asInt()).isEqualTo(2);
        await().atMost(PATIENCE).until(() -> harness.api("GET", "/api/links?q=All%20Again", null).json().path("items")
                .findValuesAsString("customcrmId").stream().filter(id -> id != null && !id.isEmpty()).count() == 2);
        assertThat(harness.api("GET", "/api/dead-letters", null).json()).isEmpty();
    }

    @Test
    @Order(32)
    void shouldListAPersonWaitingForItsDeadLetterOrganisationAndFreeItWhenTheParentIsReplayed() {
        // Regression (issue 11): a child waiting for a parent that became a dead letter appeared nowhere.
        // Given Customcrm refuses every write for now, so a new webCRM organisation ends as a dead letter, and a
        // new webCRM person of that organisation waits for it
        harness.customcrm().faults().failWrites(422);
        int organisation;
        int person;
        try {
            organisation = harness.webcrm().createAsUser(WebcrmEntity.ORGANISATION,
                    Map.of("OrganisationName", "Refused Parent A/S"));
            person = harness.webcrm().createAsUser(WebcrmEntity.PERSON, Map.of("PersonFirstName", "Vera",
                    "PersonLastName", "Venter", "PersonEmail", "vera.venter@example.com",
                    "PersonOrganisationId", organisation));
            await().atMost(PATIENCE).until(() -> waitingEntry(person) != null
                    && waitingEntry(person).path("parents").path(0).path("status").asString().equals("dead"));
        } finally {
            harness.customcrm().faults().reset();
        }

        // When
        JsonNode waiting = waitingEntry(person);
        JsonNode persons = harness.status().path("flows").get(1);

        // Then the person is listed with its name, how long it has waited, and the dead letter that holds it back
        assertThat(waiting.path("flow").asString()).isEqualTo("persons");
        assertThat(waiting.path("side").asString()).isEqualTo("webcrm");
        assertThat(waiting.path("title").asString()).isEqualTo("Vera Venter");
        assertThat(waiting.path("reason").asString()).isNotBlank();
        assertThat(waiting.path("waitingSeconds").asLong()).isNotNegative();
        assertThat(waiting.path("explanation").asString())
                .startsWith("waits for Organisation " + organisation + ", which is a dead letter: ")
                .contains("Customcrm refused the create").contains("422");
        JsonNode parent = waiting.path("parents").get(0);
        assertThat(parent.path("flow").asString()).isEqualTo("organisations");
        assertThat(parent.path("side").asString()).isEqualTo("webcrm");
        assertThat(parent.path("recordId").asString()).isEqualTo(Integer.toString(organisation));
        assertThat(parent.path("title").asString()).isEqualTo("Refused Parent A/S");
        assertThat(harness.api("GET", "/api/dead-letters", null).json())
                .anySatisfy(d -> assertThat(d.path("recordId").asString()).isEqualTo(Integer.toString(organisation)));
        // And the status counts it beside the dead letters
        assertThat(persons.path("flow").asString()).isEqualTo("persons");
        assertThat(persons.path("waitingRecords").asLong()).isGreaterThanOrEqualTo(1);

        // When the parent's dead letter is replayed, Customcrm taking writes again
        harness.api("POST", "/api/dead-letters/organisations/webcrm/" + organisation + "/replay", null);

        // Then the person syncs by itself and waits no more
        await().atMost(PATIENCE).until(() -> waitingEntry(person) == null && harness.api("GET",
                "/api/links?flow=persons&q=vera.venter@example.com", null).json().path("items").path(0)
                .hasNonNull("customcrmId"));
        await().atMost(PATIENCE).until(() -> harness.status().path("flows").get(1).path("waitingRecords").asLong() == 0);
        assertThat(harness.api("GET", "/api/dead-letters", null).json()).isEmpty();
    }

    /** The waiting webCRM person with that id, from {@code GET /api/waiting}, or null. */
    private static JsonNode waitingEntry(int person) {
        for (JsonNode w : harness.api("GET", "/api/waiting", null).json()) {
            if (w.path("flow").asString().equals("persons") && w.path("side").asString().equals("webcrm")
                    && w.path("recordId").asString().equals(Integer.toString(person))) {
                return w;
            }
        }
        return null;
    }

    @Test
    @Order(40)
    void shouldStreamTheStatusAtOnceAndEachNewChangeAsServerSentEvents() throws Exception {
        // Given a page listening
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> stream = client.send(HttpRequest.newBuilder(
                        URI.create(harness.baseUrl() + "/api/events"))
                .header("Authorization", "Bearer " + ServiceHarness.TOKEN).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> stream.body().forEach(lines::add));
        try {
            await().atMost(PATIENCE).until(() -> lines.contains("event: status"));

            // When a Customcrm user edits a linked customer
            JsonNode link = harness.api("GET", "/api/links?flow=organisations&limit=1&offset=2", null).json()
                    .path("items").get(0);
            harness.customcrm().editAsUser(RecordType.CUSTOMER, link.path("customcrmId").asString(),
                    Map.of("name", "Streamed Change ApS"));

            // Then the change arrives as an event, with its origin and values
            await().atMost(PATIENCE).until(() -> lines.stream().anyMatch(l -> l.startsWith("data: ")
                    && l.contains("Streamed Change ApS") && l.contains("\"origin\":\"customcrm\"")));
            assertThat(lines).contains("event: change");
        } finally {
            reader.interrupt();
            stream.body().close();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Waits until a paused flow's cycle under way, if any, has finished. */
    private static void awaitPaused(String flow) {
        await().atMost(PATIENCE).until(() -> {
            for (JsonNode f : harness.status().path("flows")) {
                if (f.path("flow").asString().equals(flow)) {
                    return f.path("state").asString().equals("paused");
                }
            }
            return false;
        });
    }

    /** Every operation of the contract that needs the token, with path parameters filled in. */
    private static List<String[]> guardedOperations() throws IOException {
        JsonNode contract;
        try (InputStream in = ManagementApiTest.class.getResourceAsStream(ManagementApi.CONTRACT)) {
            contract = YAMLMapper.builder().build().readTree(in);
        }
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : contract.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                boolean open = op.getValue().has("security") && op.getValue().path("security").isEmpty();
                if (open || !path.getKey().startsWith("/api/")) {
                    continue;
                }
                String concrete = path.getKey().replace("{flow}", "organisations").replace("{side}", "webcrm")
                        .replace("{id}", "x").replace("{recordId}", "1");
                out.add(new String[] {op.getKey().toUpperCase(), concrete});
            }
        }
        return out;
    }
}
