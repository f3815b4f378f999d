package dev.crmsync.adapters.webcrm;

import static dev.crmsync.testing.Outcomes.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.adapters.webcrm.WebcrmConnectorTest.ManualClock;
import dev.crmsync.adapters.webcrm.WebcrmConnectorTest.RecordingSleeper;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.webcrm.PatchQuirks;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.model.Flow;
import dev.crmsync.model.LinkIds;
import dev.crmsync.model.Secret;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Write;
import dev.crmsync.ports.WriteOutcome;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Bulk writes into the webCRM simulator over real HTTP: how many requests they cost, and that whatever webCRM
 * answers (ids, nothing, a lost answer, a refusal of the whole batch, a timeout) they end with what webCRM holds,
 * never with a duplicate.
 */
class WebcrmBulkWriteTest {

    private static final String TOKEN = "bulk-test-token-91c2";
    private static final Map<Flow, String> STAMPS = Map.of(Flow.ORGANISATIONS, "OrganisationCustom5",
            Flow.PERSONS, "PersonCustom5", Flow.PRODUCTS, "ProductCustom5");
    private static final Instant START = Instant.parse("2025-06-15T10:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final LinkIds linkIds = new LinkIds(clock, new Random(5));
    private WebcrmSimulator sim;
    private WebcrmConnector connector;

    @AfterEach
    void stop() {
        connector.close();
        sim.close();
    }

    private void start(PatchQuirks quirks, int writeBatchSize, Duration timeout) {
        sim = WebcrmSimulator.builder().token(TOKEN).clock(clock).seedPlan(new SeedPlan(0, 3, 6, 0))
                .patchQuirks(quirks).rateLimit(100_000, Duration.ofMinutes(1)).build().start("127.0.0.1", 0);
        connector = new WebcrmConnector(new WebcrmSettings(URI.create(sim.baseUrl()), new Secret(TOKEN),
                ZoneId.of("Europe/Copenhagen"), Duration.ofMinutes(10), 500, 100_000, timeout, writeBatchSize),
                STAMPS, clock, sleeper);
    }

    private void start(PatchQuirks quirks) {
        start(quirks, 500, Duration.ofSeconds(10));
    }

    @Test
    void shouldWriteAThousandCreatesInTwoPatchesAndConfirmEachWithOneRead() {
        // Given
        start(PatchQuirks.NONE);

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, creates(1000));

        // Then every create is done with the record exactly as webCRM holds it
        assertThat(outcomes).hasSize(1000).allMatch(WriteOutcome.Done.class::isInstance);
        SideRecord first = done(outcomes.getFirst());
        JsonNode stored = sim.record(WebcrmEntity.ORGANISATION, Integer.parseInt(first.id())).orElseThrow();
        assertThat(first.properties().get("OrganisationCreatedAt")).isEqualTo(
                stored.path("OrganisationCreatedAt").asString());
        assertThat(sim.count(WebcrmEntity.ORGANISATION)).isEqualTo(1003);
        assertThat(route("PATCH /Organisations")).isEqualTo(2);
        assertThat(route("GET /Queries")).as("one stamp read per batch").isEqualTo(2);
        assertThat(sim.traffic().snapshot().total()).as("with the login").isEqualTo(5);
    }

    @Test
    void shouldSendUpdatesWithCreatesAndReadOnlyThoseWithoutACopyAllAtOnce() {
        // Given organisations 1 and 2 with copies, 3 without
        start(PatchQuirks.NONE);
        List<SideRecord> read = new ArrayList<>();
        connector.readChanges(Flow.ORGANISATIONS, null, read::addAll);
        long readsBefore = route("GET /Queries");
        List<Write> writes = new ArrayList<>(creates(2));
        writes.add(new Write.Update("l-1", "1", find(read, "1"), Map.of("OrganisationCity", "Aarhus")));
        writes.add(new Write.Update("l-2", "2", find(read, "2"), Map.of("OrganisationCity", "Odense")));
        writes.add(new Write.Update("l-3", "3", null, Map.of("OrganisationCity", "Vejle")));

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, writes);

        // Then one read for the record without copy, one PATCH, one stamp read; nothing else
        assertThat(outcomes).allMatch(WriteOutcome.Done.class::isInstance);
        assertThat(route("GET /Queries") - readsBefore).isEqualTo(2);
        assertThat(route("PATCH /Organisations")).isEqualTo(1);
        assertThat(route("GET /Organisations/{id}")).isZero();
        assertThat(sim.record(WebcrmEntity.ORGANISATION, 3).orElseThrow().path("OrganisationCity").asString())
                .isEqualTo("Vejle");
        assertThat(sim.record(WebcrmEntity.ORGANISATION, 3).orElseThrow().path("OrganisationName").asString())
                .as("the rest of the record kept").isEqualTo(find(read, "3").properties().get("OrganisationName"));
    }

    @Test
    void shouldConfirmTheCreatesOfAPatchWhoseAnswerWasLostWithoutADuplicate() {
        // Given
        start(PatchQuirks.NONE);
        connector.allIds(Flow.PERSONS);
        sim.faults().loseNextWriteAnswers(1);

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.PERSONS, List.of(
                create("PersonOrganisationId", 1, "PersonLastName", "Ask"),
                create("PersonOrganisationId", 1, "PersonLastName", "Bo"),
                create("PersonOrganisationId", 1, "PersonFirstName", "No last name")));

        // Then what landed is done, what did not waits for the next try; nothing is sent twice
        assertThat(outcomes.subList(0, 2)).allMatch(WriteOutcome.Done.class::isInstance);
        assertThat(outcomes.get(2)).isInstanceOf(WriteOutcome.Retry.class);
        assertThat(route("PATCH /Persons")).isEqualTo(1);
        assertThat(sim.count(WebcrmEntity.PERSON)).isEqualTo(8);
        assertThat(done(outcomes.get(0)).properties()).containsEntry("PersonLastName", "Ask");
    }

    @Test
    void shouldTellOutcomesByStampsWhenTheAnswerNamesNone() {
        // Given a webCRM that answers every bulk write with an empty array
        start(new PatchQuirks(0, false, PatchQuirks.Answers.NONE, 0, Duration.ZERO));

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.PERSONS, List.of(
                create("PersonOrganisationId", 1, "PersonLastName", "Ask"),
                create("PersonOrganisationId", 1, "PersonFirstName", "No last name"),
                new Write.Update("l-2", "2", null, Map.of("PersonTitle", "CFO"))));

        // Then the create is found by its stamp; the refused create and the update cannot be told, so wait
        assertThat(outcomes.get(0)).isInstanceOf(WriteOutcome.Done.class);
        assertThat(outcomes.get(1)).isInstanceOf(WriteOutcome.Retry.class);
        assertThat(outcomes.get(2)).isInstanceOf(WriteOutcome.Retry.class);
        assertThat(sim.count(WebcrmEntity.PERSON)).isEqualTo(7);
    }

    @Test
    void shouldTakeAnAnswerWithIdsOfInsertedRecordsOnly() {
        // Given a webCRM that names the ids of inserted records and error messages, nothing for updates
        start(new PatchQuirks(0, false, PatchQuirks.Answers.INSERTED_ONLY, 0, Duration.ZERO));

        // When nothing fails
        List<WriteOutcome> outcomes = connector.write(Flow.PERSONS, List.of(
                create("PersonOrganisationId", 1, "PersonLastName", "Ask"),
                new Write.Update("l-2", "2", null, Map.of("PersonTitle", "CFO"))));

        // Then an answer that holds no error at all means the update landed too
        assertThat(outcomes).allMatch(WriteOutcome.Done.class::isInstance);
    }

    @Test
    void shouldRefuseTheBadItemWithWebcrmsMessageAndKeepTheRest() {
        // Given
        start(PatchQuirks.NONE);

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.PERSONS, List.of(
                create("PersonOrganisationId", 1, "PersonLastName", "Ask"),
                create("PersonOrganisationId", 1, "PersonFirstName", "No last name"),
                create("PersonOrganisationId", 1, "PersonLastName", "Cy")));

        // Then
        assertThat(outcomes.get(1)).isEqualTo(
                new WriteOutcome.Rejected("It is mandatory to define last name (PersonLastName)"));
        assertThat(outcomes.get(0)).isInstanceOf(WriteOutcome.Done.class);
        assertThat(outcomes.get(2)).isInstanceOf(WriteOutcome.Done.class);
        assertThat(sim.count(WebcrmEntity.PERSON)).isEqualTo(8);
        assertThat(route("PATCH /Persons")).isEqualTo(1);
    }

    @Test
    void shouldHalveABatchRefusedAsTooLargeAndKeepTheSizeThatPassed() {
        // Given a webCRM that takes at most 100 records per PATCH
        start(new PatchQuirks(100, false, PatchQuirks.Answers.PER_ITEM, 0, Duration.ZERO));

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, creates(300));

        // Then 300 and 150 were refused, then batches of 75 passed, and 75 is kept for the next call
        assertThat(outcomes).allMatch(WriteOutcome.Done.class::isInstance);
        assertThat(sim.count(WebcrmEntity.ORGANISATION)).isEqualTo(303);
        assertThat(status(413)).isEqualTo(3);
        assertThat(connector.writeBatchSize()).isEqualTo(75);

        // When
        long before = route("PATCH /Organisations");
        connector.write(Flow.ORGANISATIONS, creates(300));

        // Then
        assertThat(route("PATCH /Organisations") - before).isEqualTo(4);
        assertThat(status(413)).isEqualTo(3);
    }

    @Test
    void shouldRejectOnlyTheRecordTooLargeForWebcrmAndWriteTheOthersOfItsBatch() {
        // Given an organisation whose comment alone is over the 30,000,000 bytes webCRM's ASP.NET takes
        start(PatchQuirks.NONE);
        List<Write> writes = new ArrayList<>(creates(4));
        writes.add(2, create(Flow.ORGANISATIONS, "OrganisationName", "Huge", "OrganisationComment",
                "x".repeat(30_000_001)));

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, writes);

        // Then the batch is halved until the large record stands alone, and only it is refused, saying why
        assertThat(outcomes.get(2)).isInstanceOfSatisfying(WriteOutcome.Rejected.class, rejected ->
                assertThat(rejected.reason()).isEqualTo("the record is too large for webCRM (413): "
                        + "The request body is larger than 30000000 bytes"));
        assertThat(outcomes).filteredOn(WriteOutcome.Done.class::isInstance).hasSize(4);
        assertThat(sim.count(WebcrmEntity.ORGANISATION)).isEqualTo(3 + 4);
    }

    @Test
    void shouldFindTheOneBadItemOfABatchRefusedWholeWithoutShrinkingTheBatches() {
        // Given a webCRM that refuses a whole PATCH, naming no item, when one item is bad
        start(new PatchQuirks(0, true, PatchQuirks.Answers.PER_ITEM, 0, Duration.ZERO));
        List<Write> writes = new ArrayList<>(creates(Flow.PERSONS, 7));
        writes.add(5, create("PersonOrganisationId", 1, "PersonFirstName", "No last name"));

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.PERSONS, writes);

        // Then the bad one alone is refused, with webCRM's message; the others landed once each
        assertThat(outcomes.get(5)).isEqualTo(
                new WriteOutcome.Rejected("It is mandatory to define last name (PersonLastName)"));
        assertThat(outcomes).filteredOn(WriteOutcome.Done.class::isInstance).hasSize(7);
        assertThat(sim.count(WebcrmEntity.PERSON)).isEqualTo(13);
        assertThat(connector.writeBatchSize()).as("an item, not the size, was the problem").isEqualTo(500);
        assertThat(status(400)).as("8, 4, 2 and 1 refused").isEqualTo(4);
    }

    @Test
    void shouldConfirmABatchThatTimedOutAndWriteSmallerBatchesAfterwards() {
        // Given a webCRM that carries out a PATCH of more than 4 items but answers it after the client's timeout
        start(new PatchQuirks(0, false, PatchQuirks.Answers.PER_ITEM, 4, Duration.ofSeconds(3)), 500,
                Duration.ofSeconds(1));

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, creates(8));

        // Then the 8 that landed are found by their stamps and not sent again, and the batches halve
        assertThat(outcomes).allMatch(WriteOutcome.Done.class::isInstance);
        assertThat(sim.count(WebcrmEntity.ORGANISATION)).isEqualTo(11);
        assertThat(connector.writeBatchSize()).isEqualTo(4);
        // The simulator counts a request when its answer is out, seconds after the client gave up on it.
        await().atMost(Duration.ofSeconds(10)).until(() -> route("PATCH /Organisations") == 1);

        // When
        List<WriteOutcome> next = connector.write(Flow.ORGANISATIONS, creates(8));

        // Then
        assertThat(next).allMatch(WriteOutcome.Done.class::isInstance);
        assertThat(route("PATCH /Organisations")).isEqualTo(3);
        assertThat(sim.count(WebcrmEntity.ORGANISATION)).isEqualTo(19);
    }

    @Test
    void shouldSendSingleRequestsWhenTheBatchSizeIsOne() {
        // Given
        start(PatchQuirks.NONE, 1, Duration.ofSeconds(10));

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.PERSONS, List.of(
                create("PersonOrganisationId", 1, "PersonLastName", "Ask"),
                new Write.Update("l-2", "2", null, Map.of("PersonTitle", "CFO"))));

        // Then
        assertThat(outcomes).allMatch(WriteOutcome.Done.class::isInstance);
        assertThat(route("POST /Persons")).isEqualTo(1);
        assertThat(route("PUT /Persons/{id}")).isEqualTo(1);
        assertThat(route("PATCH /Persons")).isZero();
    }

    @Test
    void shouldFindManyStampsOfOneBatchWithOneQuery() {
        // Given 300 products created by crmsync, and three stamped by an older version with random link ids
        start(PatchQuirks.NONE);
        List<Write> made = creates(Flow.PRODUCTS, 300);
        connector.write(Flow.PRODUCTS, made);
        for (int i = 1; i <= 3; i++) {
            sim.editAsUser(WebcrmEntity.PERSON, i, Map.of("PersonCustom5", "00000000-0000-4000-8000-00000000000" + i));
        }
        long before = route("GET /Queries");
        List<String> wanted = new ArrayList<>(made.stream().map(Write::linkId).toList().subList(100, 200));

        // When
        Map<String, SideRecord> found = connector.findByStamps(Flow.PRODUCTS, wanted);
        Map<String, SideRecord> old = connector.findByStamps(Flow.PERSONS,
                List.of("00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000003", "no-such"));

        // Then
        assertThat(found).hasSize(100).containsOnlyKeys(wanted);
        assertThat(old).containsOnlyKeys("00000000-0000-4000-8000-000000000001",
                "00000000-0000-4000-8000-000000000003");
        assertThat(route("GET /Queries") - before)
                .as("one range; one equality query, and its next page as a stamp was missing").isEqualTo(3);
    }

    // ---------------------------------------------------------------- helpers

    private List<Write> creates(int count) {
        return creates(Flow.ORGANISATIONS, count);
    }

    private List<Write> creates(Flow flow, int count) {
        List<Write> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(switch (flow) {
                case ORGANISATIONS -> create(flow, "OrganisationName", "Company " + i);
                case PERSONS -> create(flow, "PersonOrganisationId", 1, "PersonLastName", "Person " + i);
                case PRODUCTS -> create(flow, "ProductOrganisationId", 1, "ProductCustom1", "Product " + i);
            });
        }
        return out;
    }

    private Write create(Object... namesAndValues) {
        return create(Flow.PERSONS, namesAndValues);
    }

    private Write create(Flow flow, Object... namesAndValues) {
        String linkId = linkIds.get();
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            properties.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        properties.put(STAMPS.get(flow), linkId);
        return new Write.Create(linkId, properties);
    }

    private static SideRecord find(List<SideRecord> records, String id) {
        return records.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private long route(String route) {
        return sim.traffic().snapshot().byRoute().getOrDefault(route, 0L);
    }

    private long status(int status) {
        return sim.traffic().snapshot().byStatus().getOrDefault(status, 0L);
    }
}
