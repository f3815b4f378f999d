package dev.crmsync.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.adapters.store.SqliteStore;
import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11: a record waiting for a parent was invisible. These tests hold {@link UnsyncedRecords} to finding each
 * waiting record's parents in a real store and saying where each stands, above all when it is a dead letter.
 */
class UnsyncedRecordsTest {

    private static final Instant READ = Instant.parse("2026-03-02T08:00:00Z");
    private static final Instant NOW = READ.plus(Duration.ofHours(3).plusMinutes(5));
    private static final String REFUSAL = "Customcrm refused the create: 422 name must not be empty";

    @TempDir
    Path dir;

    private Store store;
    private UnsyncedRecords unsynced;

    @BeforeEach
    void openStore() {
        store = SqliteStore.open("jdbc:sqlite:" + dir.resolve("crmsync.db"));
        unsynced = new UnsyncedRecords(store, UnsyncedRecords.defaultMappings(), InstantSource.fixed(NOW));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void shouldNameTheDeadLetterParentThatAWebcrmPersonWaitsFor() {
        // Given webCRM organisation 17, refused by Customcrm, and person 152 of it, waiting
        store.observe(List.of(
                record(Side.WEBCRM, Flow.ORGANISATIONS, "17", Map.of("OrganisationName", "Fynsk Tømrer ApS"),
                        RecordStatus.DEAD, REFUSAL),
                record(Side.WEBCRM, Flow.PERSONS, "152", Map.of("PersonFirstName", "Anna", "PersonLastName", "Berg",
                        "PersonOrganisationId", 17), RecordStatus.WAITING, "waits for Organisation 17 to be linked")));

        // When
        List<WaitingRecord> waiting = unsynced.waiting();

        // Then
        assertThat(waiting).singleElement().satisfies(w -> {
            assertThat(w.flow()).isEqualTo(Flow.PERSONS);
            assertThat(w.side()).isEqualTo(Side.WEBCRM);
            assertThat(w.recordId()).isEqualTo("152");
            assertThat(w.title()).isEqualTo("Anna Berg");
            assertThat(w.reason()).isEqualTo("waits for Organisation 17 to be linked");
            assertThat(w.waited()).isEqualTo(Duration.ofMinutes(185));
            assertThat(w.isBlockedByDeadLetter()).isTrue();
            assertThat(w.explanation()).isEqualTo("waits for Organisation 17, which is a dead letter: " + REFUSAL);
            assertThat(w.parents()).singleElement().satisfies(p -> {
                assertThat(p.flow()).isEqualTo(Flow.ORGANISATIONS);
                assertThat(p.recordId()).isEqualTo("17");
                assertThat(p.title()).isEqualTo("Fynsk Tømrer ApS");
                assertThat(p.standing()).isEqualTo(WaitingRecord.Standing.DEAD);
                assertThat(p.linkId()).isNull();
            });
        });
        assertThat(unsynced.waitingCounts()).containsExactly(Map.entry(Flow.PERSONS, 1L));
    }

    @Test
    void shouldSayWhereEachParentOfAProductStandsWhenItsCreateWasRefused() {
        // Given a Customcrm product whose customer's create on webCRM was refused (its link is pending, without
        // a webCRM id) and whose contact waits itself
        store.saveLink(new Link("L-c1", Flow.ORGANISATIONS, null, "c1", FieldValues.of(Map.of("name", "Øst AB")),
                null, "h", LinkState.PENDING, READ));
        store.observe(List.of(
                record(Side.CUSTOMCRM, Flow.ORGANISATIONS, "c1", Map.of("name", "Øst AB"), RecordStatus.DEAD,
                        "webCRM refused the create: 422 OrganisationName is mandatory"),
                record(Side.CUSTOMCRM, Flow.PERSONS, "k1", Map.of("first_name", "Per", "customer_id", "c9"),
                        RecordStatus.WAITING, "waits for Customer c9 to be linked"),
                record(Side.CUSTOMCRM, Flow.PRODUCTS, "p1", Map.of("name", "Pallet", "customer_id", "c1",
                        "contact_id", "k1"), RecordStatus.WAITING,
                        "customer points at a Organisation that does not exist on webCRM yet")));

        // When
        WaitingRecord product = unsynced.waiting().stream().filter(w -> w.recordId().equals("p1")).findFirst()
                .orElseThrow();
        WaitingRecord contact = unsynced.waiting().stream().filter(w -> w.recordId().equals("k1")).findFirst()
                .orElseThrow();

        // Then
        assertThat(product.title()).isEqualTo("Pallet");
        assertThat(product.parents()).extracting(WaitingRecord.Parent::standing)
                .containsExactly(WaitingRecord.Standing.DEAD, WaitingRecord.Standing.WAITING);
        assertThat(product.parents().get(0).linkId()).isEqualTo("L-c1");
        assertThat(product.explanation()).isEqualTo("waits for Customer c1, which is a dead letter: webCRM refused "
                + "the create: 422 OrganisationName is mandatory; and for Contact k1, which waits itself: waits for "
                + "Customer c9 to be linked");
        assertThat(contact.parents()).singleElement().satisfies(p -> {
            assertThat(p.standing()).isEqualTo(WaitingRecord.Standing.UNREAD);
            assertThat(p.title()).isEqualTo("Customer c9");
        });
        assertThat(contact.explanation()).isEqualTo("waits for Customer c9, which has not been read by crmsync");
    }

    @Test
    void shouldTellAParentBeingCreatedFromOneNotLinkedAndLeaveOutParentsLinkedOnBothSides() {
        // Given three webCRM persons: of an organisation whose create is being retried, of one read but not
        // linked, and of one linked on both sides (that person waits for the delete circuit breaker)
        store.saveLink(new Link("L-30", Flow.ORGANISATIONS, "30", null, FieldValues.empty(), "h", null,
                LinkState.PENDING, READ));
        store.saveLink(new Link("L-32", Flow.ORGANISATIONS, "32", "c32", FieldValues.empty(), "h", "h",
                LinkState.ACTIVE, READ));
        store.observe(List.of(
                record(Side.WEBCRM, Flow.ORGANISATIONS, "30", Map.of("OrganisationName", "Retry A/S"),
                        RecordStatus.DIRTY, "503 Service Unavailable"),
                record(Side.WEBCRM, Flow.ORGANISATIONS, "31", Map.of("OrganisationName", "Outside A/S"),
                        RecordStatus.SETTLED, null),
                record(Side.WEBCRM, Flow.ORGANISATIONS, "32", Map.of("OrganisationName", "Linked A/S"),
                        RecordStatus.SETTLED, null),
                record(Side.WEBCRM, Flow.PERSONS, "160", Map.of("PersonOrganisationId", 30), RecordStatus.WAITING,
                        "customer points at a Customer that does not exist on Customcrm yet"),
                record(Side.WEBCRM, Flow.PERSONS, "161", Map.of("PersonOrganisationId", 31), RecordStatus.WAITING,
                        "waits for Organisation 31 to be linked"),
                record(Side.WEBCRM, Flow.PERSONS, "162", Map.of("PersonOrganisationId", 32), RecordStatus.WAITING,
                        "held by the delete circuit breaker")));

        // When
        Map<String, WaitingRecord> byId = new java.util.HashMap<>();
        unsynced.waiting().forEach(w -> byId.put(w.recordId(), w));

        // Then
        assertThat(byId.get("160").explanation()).isEqualTo("waits for Organisation 30, which is not created on "
                + "Customcrm yet: 503 Service Unavailable");
        assertThat(byId.get("161").explanation()).isEqualTo("waits for Organisation 31, which is not linked");
        assertThat(byId.get("162").parents()).isEmpty();
        assertThat(byId.get("162").explanation()).isEqualTo("held by the delete circuit breaker");
        assertThat(byId.get("162").title()).as("no name: entity and id").isEqualTo("Person 162");
    }

    @Test
    void shouldGiveTheSameJsonForTheCommandLineAsTheApiDoes() {
        // Given
        store.observe(List.of(
                record(Side.WEBCRM, Flow.ORGANISATIONS, "17", Map.of("OrganisationName", "Fynsk Tømrer ApS"),
                        RecordStatus.DEAD, REFUSAL),
                record(Side.WEBCRM, Flow.PERSONS, "152", Map.of("PersonFirstName", "Anna", "PersonLastName", "Berg",
                        "PersonOrganisationId", 17), RecordStatus.WAITING, "waits for Organisation 17 to be linked")));

        // When
        JsonNode both = unsynced.json();

        // Then
        assertThat(both.path("deadLetters")).isEqualTo(unsynced.deadLettersJson());
        assertThat(both.path("waiting")).isEqualTo(unsynced.waitingJson());
        JsonNode dead = both.path("deadLetters").get(0);
        assertThat(dead.path("recordId").asString()).isEqualTo("17");
        assertThat(dead.path("title").asString()).as("named by its own values").isEqualTo("Fynsk Tømrer ApS");
        JsonNode waiting = both.path("waiting").get(0);
        assertThat(waiting.path("recordId").asString()).isEqualTo("152");
        assertThat(waiting.path("title").asString()).isEqualTo("Anna Berg");
        assertThat(waiting.path("observedAt").asString()).isEqualTo(READ.toString());
        assertThat(waiting.path("waitingSeconds").asLong()).isEqualTo(185 * 60);
        assertThat(waiting.path("explanation").asString()).startsWith("waits for Organisation 17, which is a dead");
        JsonNode parent = waiting.path("parents").get(0);
        assertThat(parent.path("status").asString()).isEqualTo("dead");
        assertThat(parent.path("reason").asString()).isEqualTo(REFUSAL);
        assertThat(parent.has("linkId")).isTrue();
        assertThat(parent.path("linkId").isNull()).isTrue();
    }

    private static ObservedRecord record(Side side, Flow flow, String id, Map<String, Object> properties,
                                         RecordStatus status, String reason) {
        return new ObservedRecord(new SideRecord(side, flow, id, properties, READ, false), null, null, status,
                reason, status == RecordStatus.DEAD ? 1 : 0, null, READ);
    }
}
