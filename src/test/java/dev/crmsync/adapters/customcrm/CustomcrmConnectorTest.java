package dev.crmsync.adapters.customcrm;

import static dev.crmsync.testing.Outcomes.done;
import static dev.crmsync.testing.Backoffs.assertJittered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import dev.crmsync.ports.Write;
import dev.crmsync.ports.WriteOutcome;
import dev.crmsync.testing.MutableClock;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CustomcrmConnectorTest {

    private static final String KEY = "customcrm-test-key";
    private static final Instant START = Instant.parse("2025-03-01T09:30:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private CustomcrmSimulator sim;
    private CustomcrmConnector connector;

    @BeforeEach
    void start() {
        sim = CustomcrmSimulator.builder().apiKey(KEY).clock(clock).build().start("127.0.0.1", 0);
        connector = connector(KEY, 2);
    }

    @AfterEach
    void stop() {
        connector.close();
        sim.stop();
    }

    // ---------------------------------------------------------------- reading the change feed

    @Test
    void shouldHandPagesInOrderAndEnd() {
        // Given five customers, read two at a time
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(userCreatesCustomer("Customer " + i, Map.of()));
        }

        // When
        List<List<SideRecord>> pages = new ArrayList<>();
        String cursor = connector.readChanges(Flow.ORGANISATIONS, null, pages::add);

        // Then
        assertThat(pages).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(pages.stream().flatMap(List::stream).map(SideRecord::id)).containsExactlyElementsOf(ids);
        SideRecord first = pages.getFirst().getFirst();
        assertThat(first.properties()).containsEntry("name", "Customer 1").containsEntry("version", 1);
        assertThat(first.modifiedAt()).isEqualTo(START);
        assertThat(first.deleted()).isFalse();
        assertThat(cursor).isNotBlank();
        assertThat(sim.traffic().snapshot().byRoute()).containsEntry("GET /customers", 3L);
    }

    @Test
    void shouldReadOnlyLaterChangesFromAStoredCursor() {
        // Given a complete read, then an edit and a new customer
        String edited = userCreatesCustomer("Before", Map.of());
        userCreatesCustomer("Untouched", Map.of());
        String cursor = connector.readChanges(Flow.ORGANISATIONS, null, page -> { });
        clock.advance(Duration.ofMinutes(5));
        sim.editAsUser(RecordType.CUSTOMER, edited, Map.of("name", "After"));
        String added = userCreatesCustomer("New", Map.of());

        // When
        List<SideRecord> seen = new ArrayList<>();
        String next = connector.readChanges(Flow.ORGANISATIONS, cursor, seen::addAll);

        // Then only the later changes come, the edit at its new state
        assertThat(seen).extracting(SideRecord::id).containsExactly(edited, added);
        assertThat(seen.getFirst().properties()).containsEntry("name", "After").containsEntry("version", 2);
        assertThat(seen.getFirst().modifiedAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
        assertThat(next).isNotEqualTo(cursor);

        // And when nothing changed after that, the sink hears nothing and the cursor stays
        List<List<SideRecord>> none = new ArrayList<>();
        assertThat(connector.readChanges(Flow.ORGANISATIONS, next, none::add)).isEqualTo(next);
        assertThat(none).isEmpty();
    }

    @Test
    void shouldReadATombstoneAfterADelete() {
        // Given a customer read once, then deleted
        String id = userCreatesCustomer("Doomed", Map.of("crmsync", "L-9"));
        String cursor = connector.readChanges(Flow.ORGANISATIONS, null, page -> { });
        clock.advance(Duration.ofHours(1));
        sim.deleteAsUser(RecordType.CUSTOMER, id);

        // When
        List<SideRecord> seen = new ArrayList<>();
        connector.readChanges(Flow.ORGANISATIONS, cursor, seen::addAll);

        // Then
        assertThat(seen).containsExactly(SideRecord.deletion(Side.CUSTOMCRM, Flow.ORGANISATIONS,
                id, START.plus(Duration.ofHours(1))));
    }

    @Test
    void shouldKeepDecimalsExact() {
        // Given
        String customer = userCreatesCustomer("Holder", Map.of());

        // When
        WriteOutcome outcome = connector.write(Flow.PRODUCTS, List.of(new Write.Create("L-p",
                Map.of("name", "Support", "price", new BigDecimal("1234.10"), "customer_id", customer,
                        "external_ids", Map.of("crmsync", "L-p"))))).getFirst();

        // Then
        assertThat(done(outcome).properties().get("price")).isEqualTo(new BigDecimal("1234.10"));
        List<SideRecord> read = new ArrayList<>();
        connector.readChanges(Flow.PRODUCTS, null, read::addAll);
        assertThat(read.getFirst().properties().get("price")).isEqualTo(new BigDecimal("1234.10"));
    }

    // ---------------------------------------------------------------- stamps

    @Test
    void shouldFindAStampedRecordAndNothingElse() {
        // Given
        String id = userCreatesCustomer("Stamped", Map.of("crmsync", "L-1", "webcrm", "17"));

        // When
        Optional<SideRecord> found = connector.findByStamp(Flow.ORGANISATIONS, "L-1");
        Optional<SideRecord> missing = connector.findByStamp(Flow.ORGANISATIONS, "L-2");

        // Then
        assertThat(found).get().extracting(SideRecord::id).isEqualTo(id);
        assertThat(found.orElseThrow().properties().get("external_ids"))
                .isEqualTo(Map.of("crmsync", "L-1", "webcrm", "17"));
        assertThat(missing).isEmpty();
        assertThat(connector.findByStamp(Flow.PERSONS, "L-1")).isEmpty();
    }

    @Test
    void shouldFindByTheStampKeyTheMappingNames() {
        // Given a mapping that keeps its link ids under another key
        String id = userCreatesCustomer("Elsewhere", Map.of("sync_link", "L-3", "crmsync", "other"));
        CustomcrmConnector configured = new CustomcrmConnector(new CustomcrmSettings(URI.create(sim.baseUrl()),
                new Secret(KEY), 10, Duration.ofSeconds(10)), Map.of(Flow.ORGANISATIONS, "sync_link"), clock, sleeper);

        // When, Then
        assertThat(configured.findByStamp(Flow.ORGANISATIONS, "L-3")).get().extracting(SideRecord::id).isEqualTo(id);
        assertThat(configured.findByStamp(Flow.ORGANISATIONS, "other")).isEmpty();
    }

    // ---------------------------------------------------------------- creates

    @Test
    void shouldCreateAStampedRecordOnceThoughTheCreateIsRepeated() {
        // Given
        Write.Create create = new Write.Create("L-100", customer("Acme A/S", "L-100"));

        // When sent, and sent again as after an answer that was lost
        SideRecord first = done(connector.write(Flow.ORGANISATIONS, List.of(create)).getFirst());
        SideRecord again = done(connector.write(Flow.ORGANISATIONS, List.of(create)).getFirst());

        // Then
        assertThat(first.properties()).containsEntry("name", "Acme A/S").containsEntry("version", 1);
        assertThat(first.properties().get("external_ids")).isEqualTo(Map.of("crmsync", "L-100"));
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(liveRecords("customers")).isEqualTo(1);
    }

    @Test
    void shouldTakeOverTheStampedRecordWhenARepeatedCreateCarriesNewerValues() {
        // Given a create that landed under link L-7
        SideRecord first = done(connector.write(Flow.ORGANISATIONS,
                List.of(new Write.Create("L-7", customer("Old name", "L-7")))).getFirst());

        // When the create is repeated with values edited in the meantime
        SideRecord again = done(connector.write(Flow.ORGANISATIONS,
                List.of(new Write.Create("L-7", customer("New name", "L-7")))).getFirst());

        // Then the one record now holds the newer values
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.properties()).containsEntry("name", "New name").containsEntry("version", 2);
        assertThat(liveRecords("customers")).isEqualTo(1);
    }

    @Test
    void shouldRejectAnInvalidRecordNamingTheFieldWhileTheOthersLand() {
        // Given
        Map<String, Object> invalid = customer("Nowhere Ltd", "L-2");
        invalid.put("address", Map.of("city", "Atlantis", "country_code", "XX"));
        List<Write> writes = List.of(new Write.Create("L-1", customer("First", "L-1")),
                new Write.Create("L-2", invalid), new Write.Create("L-3", customer("Third", "L-3")));

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, writes);

        // Then
        assertThat(outcomes).hasSize(3);
        assertThat(done(outcomes.get(0)).properties()).containsEntry("name", "First");
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(WriteOutcome.Rejected.class, rejected ->
                assertThat(rejected.reason()).contains("address.country_code: must be an ISO 3166-1"));
        assertThat(done(outcomes.get(2)).properties()).containsEntry("name", "Third");
        assertThat(liveRecords("customers")).isEqualTo(2);
    }

    // ---------------------------------------------------------------- updates

    @Test
    void shouldPatchOnlyTheMappedFields() {
        // Given a customer with fields crmsync does not map and another tool's external id
        String id = userCreatesCustomer("Acme", Map.of("crmsync", "L-5", "erp", "E-1"));
        sim.editAsUser(RecordType.CUSTOMER, id, Map.of("industry", "Shipping",
                "address", Map.of("street", "Havnegade 1", "city", "Aarhus")));
        SideRecord current = connector.findByStamp(Flow.ORGANISATIONS, "L-5").orElseThrow();
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("name", "Acme Holding");
        changes.put("address", Map.of("city", "Vejle"));
        changes.put("notes", null);
        changes.put("external_ids", Map.of("crmsync", "L-5", "webcrm", "17"));

        // When
        SideRecord patched = done(connector.write(Flow.ORGANISATIONS,
                List.of(new Write.Update("L-5", current.id(), current, changes))).getFirst());

        // Then
        JsonNode stored = sim.record(RecordType.CUSTOMER, id).orElseThrow();
        assertThat(stored.path("name").asString()).isEqualTo("Acme Holding");
        assertThat(stored.path("industry").asString()).isEqualTo("Shipping");
        assertThat(stored.path("address").path("street").asString()).isEqualTo("Havnegade 1");
        assertThat(stored.path("address").path("city").asString()).isEqualTo("Vejle");
        assertThat(stored.path("external_ids").path("erp").asString()).isEqualTo("E-1");
        assertThat(stored.path("external_ids").path("webcrm").asString()).isEqualTo("17");
        assertThat(stored.path("external_ids").path("crmsync").asString()).isEqualTo("L-5");
        assertThat(patched.properties()).containsEntry("version", 3);
    }

    @Test
    void shouldAskForARetryWhenTheRecordChangedSinceItWasRead() {
        // Given a copy read before someone else's edit
        String id = userCreatesCustomer("Acme", Map.of("crmsync", "L-6"));
        SideRecord stale = connector.findByStamp(Flow.ORGANISATIONS, "L-6").orElseThrow();
        sim.editAsUser(RecordType.CUSTOMER, id, Map.of("phone", "+45 1234"));

        // When
        WriteOutcome outcome = connector.write(Flow.ORGANISATIONS,
                List.of(new Write.Update("L-6", stale.id(), stale, Map.of("name", "Acme 2")))).getFirst();

        // Then
        assertThat(outcome).isEqualTo(new WriteOutcome.Retry("changed on Customcrm since it was read"));
        assertThat(sim.record(RecordType.CUSTOMER, id).orElseThrow().path("name").asString()).isEqualTo("Acme");
    }

    @Test
    void shouldPatchWithoutIfMatchWhenNoCopyIsHeld() {
        // Given
        String id = userCreatesCustomer("Acme", Map.of("crmsync", "L-8"));

        // When
        SideRecord patched = done(connector.write(Flow.ORGANISATIONS,
                List.of(new Write.Update("L-8", id, null, Map.of("website", "acme.example")))).getFirst());

        // Then
        assertThat(patched.id()).isEqualTo(id);
        assertThat(patched.properties()).containsEntry("website", "acme.example");
    }

    // ---------------------------------------------------------------- deletes

    @Test
    void shouldDeleteAndCountAnAlreadyDeletedRecordAsDone() {
        // Given
        String id = userCreatesCustomer("Doomed", Map.of());
        clock.advance(Duration.ofMinutes(1));

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, List.of(
                new Write.Delete("L-1", id), new Write.Delete("L-1", id), new Write.Delete("L-2", "cus_404")));

        // Then
        SideRecord tombstone = SideRecord.deletion(Side.CUSTOMCRM, Flow.ORGANISATIONS, id,
                START.plus(Duration.ofMinutes(1)));
        assertThat(outcomes.get(0)).isEqualTo(new WriteOutcome.Done(tombstone));
        assertThat(outcomes.get(1)).isEqualTo(new WriteOutcome.Done(tombstone));
        assertThat(done(outcomes.get(2)).deleted()).isTrue();
        assertThat(sim.record(RecordType.CUSTOMER, id).orElseThrow().path("deleted").asBoolean()).isTrue();
    }

    @Test
    void shouldAskForARetryWhenACustomerStillHasContacts() {
        // Given
        String customer = userCreatesCustomer("Parent", Map.of());
        sim.createAsUser(RecordType.CONTACT, Map.of("customer_id", customer, "last_name", "Child"));

        // When
        WriteOutcome outcome = connector.write(Flow.ORGANISATIONS,
                List.of(new Write.Delete("L-1", customer))).getFirst();

        // Then
        assertThat(outcome).isInstanceOfSatisfying(WriteOutcome.Retry.class, retry ->
                assertThat(retry.reason()).contains("still referred to by 1 contacts"));
    }

    // ---------------------------------------------------------------- faults

    @Test
    void shouldWaitOutA429BurstForAsLongAsRetryAfterSays() {
        // Given
        userCreatesCustomer("Patient", Map.of());
        sim.faults().failNext(3, 429, Duration.ofSeconds(7));

        // When
        List<SideRecord> seen = new ArrayList<>();
        connector.readChanges(Flow.ORGANISATIONS, null, seen::addAll);

        // Then
        assertThat(seen).hasSize(1);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7),
                Duration.ofSeconds(7));
    }

    @Test
    void shouldReadAMalformedPageAgain() {
        // Given
        for (int i = 1; i <= 3; i++) {
            userCreatesCustomer("Customer " + i, Map.of());
        }
        sim.faults().malformNextPages(2);

        // When
        List<SideRecord> seen = new ArrayList<>();
        connector.readChanges(Flow.ORGANISATIONS, null, seen::addAll);

        // Then nothing was skipped
        assertThat(seen).extracting(r -> r.properties().get("name"))
                .containsExactly("Customer 1", "Customer 2", "Customer 3");
        assertJittered(sleeper.sleeps(), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void shouldStopTheReadWhenPagesStayMalformed() {
        // Given
        userCreatesCustomer("Unreachable", Map.of());
        sim.faults().malformNextPages(10);

        // When
        List<List<SideRecord>> pages = new ArrayList<>();

        // Then
        assertThatThrownBy(() -> connector.readChanges(Flow.ORGANISATIONS, null, pages::add))
                .isInstanceOf(TransientCrmException.class)
                .hasMessageContaining("failed after 6 attempts: unreadable answer (malformed change page");
        assertThat(pages).isEmpty();
    }

    @Test
    void shouldAskForARetryWhenCustomcrmKeepsFailing() {
        // Given every attempt of the create fails, and then one patch fails once
        sim.faults().failNext(6, 503, Duration.ofSeconds(2));
        Write.Create create = new Write.Create("L-1", customer("Acme", "L-1"));

        // When
        WriteOutcome outcome = connector.write(Flow.ORGANISATIONS, List.of(create)).getFirst();

        // Then
        assertThat(outcome).isInstanceOfSatisfying(WriteOutcome.Retry.class, retry ->
                assertThat(retry.reason()).contains("503"));
        assertThat(liveRecords("customers")).isZero();

        // And a patch, which has no idempotency key, is not sent twice after a 5xx, once Customcrm is tried again
        clock.advance(Duration.ofSeconds(30));
        SideRecord created = done(connector.write(Flow.ORGANISATIONS, List.of(create)).getFirst());
        sim.faults().failNext(1, 500, Duration.ZERO);
        WriteOutcome patched = connector.write(Flow.ORGANISATIONS,
                List.of(new Write.Update("L-1", created.id(), created, Map.of("name", "Acme 2")))).getFirst();
        assertThat(patched).isInstanceOfSatisfying(WriteOutcome.Retry.class, retry ->
                assertThat(retry.reason()).contains("whether it was carried out is unknown"));
    }

    @Test
    void shouldRefuseAWrongKeyWithoutShowingIt() {
        // Given
        String wrongKey = "wrong-key-0123456789";
        userCreatesCustomer("Secret", Map.of("crmsync", "L-1"));
        CustomcrmConnector intruder = connector(wrongKey, 10);

        // Then every method says so, and none shows the key
        List<Runnable> calls = List.of(
                () -> intruder.readChanges(Flow.ORGANISATIONS, null, page -> { }),
                () -> intruder.findByStamp(Flow.ORGANISATIONS, "L-1"),
                () -> intruder.write(Flow.ORGANISATIONS, List.of(new Write.Create("L-2", customer("X", "L-2")))));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(PermanentCrmException.class)
                    .hasMessageContaining("Customcrm refused the API key")
                    .hasMessageNotContaining(wrongKey)
                    .hasMessageNotContaining(KEY);
        }
        assertThat(liveRecords("customers")).isEqualTo(1);
    }

    @Test
    void shouldDescribeItself() {
        assertThat(connector.side()).isEqualTo(Side.CUSTOMCRM);
        assertThat(Flow.values()).allMatch(connector::canDelete);
        assertThat(Flow.values()).allMatch(flow -> connector.allIds(flow).isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    private CustomcrmConnector connector(String key, int pageSize) {
        return new CustomcrmConnector(new CustomcrmSettings(URI.create(sim.baseUrl()), new Secret(key), pageSize,
                Duration.ofSeconds(10)), clock, sleeper);
    }

    private String userCreatesCustomer(String name, Map<String, String> externalIds) {
        return sim.createAsUser(RecordType.CUSTOMER, Map.of("name", name, "external_ids", externalIds))
                .path("id").asString();
    }

    /** A customer as the engine writes it: name, an empty VAT number and the link id. */
    static Map<String, Object> customer(String name, String linkId) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", name);
        properties.put("vat_number", null);
        properties.put("external_ids", Map.of("crmsync", linkId));
        return properties;
    }

    /** Counts live records straight from the feed, past the connector, so the count does not trust it. */
    private long liveRecords(String collection) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                            URI.create(sim.baseUrl() + "/" + collection + "?limit=1000"))
                    .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode items = RecordJson.MAPPER.readTree(answer.body()).path("items");
            long live = 0;
            for (JsonNode item : items) {
                live += item.path("deleted").asBoolean() ? 0 : 1;
            }
            return live;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
