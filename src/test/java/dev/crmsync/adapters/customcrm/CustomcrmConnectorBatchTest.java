package dev.crmsync.adapters.customcrm;

import static dev.crmsync.adapters.customcrm.CustomcrmConnectorTest.customer;
import static dev.crmsync.testing.Outcomes.done;
import static dev.crmsync.testing.Backoffs.assertJittered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.app.simulate.TrafficLog;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.Write;
import dev.crmsync.ports.WriteOutcome;
import dev.crmsync.testing.MutableClock;
import dev.crmsync.testing.RecordingProxy;
import dev.crmsync.testing.RecordingProxy.Exchange;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connector's bulk writes: how many requests a call costs with and without the server's {@code POST /batch},
 * that every write still gets the outcome its single route gives, and how the connector finds out, and copes, when
 * the server has no batches, takes fewer items, loses an answer or refuses a batch.
 */
class CustomcrmConnectorBatchTest {

    private static final String KEY = "customcrm-batch-key";
    /** A value Jackson cannot write; one instance, so that writes holding it are equal. */
    private static final Object UNWRITABLE = new Unwritable();

    /** A property value whose getter fails, as a value a mapping made wrongly might. */
    private static final class Unwritable {
        public String getText() {
            throw new IllegalStateException("no text");
        }
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T09:30:00Z"));
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    // ---------------------------------------------------------------- request counts

    @Test
    void shouldWriteTwelveHundredCreatesInThreeBatchesAfterOneReadOfTheContract() {
        // Given
        CustomcrmSimulator sim = simulator(CustomcrmSimulator.builder());
        CustomcrmConnector connector = connector(URI.create(sim.baseUrl()), 500);

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, creates(1, 1200));

        // Then
        assertThat(outcomes).hasSize(1200).allSatisfy(o -> assertThat(o).isInstanceOf(WriteOutcome.Done.class));
        TrafficLog.Snapshot traffic = sim.traffic().snapshot();
        assertThat(traffic.writes()).isEqualTo(3);
        assertThat(traffic.total()).isEqualTo(4);
        assertThat(traffic.byRoute()).containsEntry("POST /batch", 3L).containsEntry("GET /openapi.yaml", 1L);
        assertThat(sim.count(RecordType.CUSTOMER)).isEqualTo(1200);
        assertThat(outcomes).extracting(o -> ((WriteOutcome.Done) o).record().properties().get("name"))
                .startsWith("Customer 1", "Customer 2").endsWith("Customer 1200");

        // And when it writes again, the contract is not read again
        connector.write(Flow.ORGANISATIONS, creates(1201, 1202));
        assertThat(sim.traffic().snapshot().byRoute()).containsEntry("POST /batch", 4L)
                .containsEntry("GET /openapi.yaml", 1L);
    }

    @Test
    void shouldWriteOneRequestPerRecordWhenTheServerOffersNoBatch() {
        // Given a server run as with --no-batch
        CustomcrmSimulator sim = simulator(CustomcrmSimulator.builder().batch(false));
        CustomcrmConnector connector = connector(URI.create(sim.baseUrl()), 500);

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, creates(1, 1200));

        // Then it learned so from the contract, and never tried a batch
        assertThat(outcomes).hasSize(1200).allSatisfy(o -> assertThat(o).isInstanceOf(WriteOutcome.Done.class));
        TrafficLog.Snapshot traffic = sim.traffic().snapshot();
        assertThat(traffic.writes()).isEqualTo(1200);
        assertThat(traffic.byRoute()).containsEntry("POST /customers", 1200L).containsEntry("GET /openapi.yaml", 1L)
                .doesNotContainKey("POST /batch");
        assertThat(sim.count(RecordType.CUSTOMER)).isEqualTo(1200);
    }

    @Test
    void shouldNeitherReadTheContractNorBatchWhenTheBatchSizeIsOne() {
        // Given
        CustomcrmSimulator sim = simulator(CustomcrmSimulator.builder());
        CustomcrmConnector connector = connector(URI.create(sim.baseUrl()), 1);

        // When
        connector.write(Flow.ORGANISATIONS, creates(1, 3));

        // Then
        assertThat(sim.traffic().snapshot().byRoute()).containsOnlyKeys("POST /customers")
                .containsEntry("POST /customers", 3L);
    }

    @Test
    void shouldSendASingleWriteOnItsOwnRouteWithoutReadingTheContract() {
        // Given
        CustomcrmSimulator sim = simulator(CustomcrmSimulator.builder());
        CustomcrmConnector connector = connector(URI.create(sim.baseUrl()), 500);

        // When
        connector.write(Flow.ORGANISATIONS, creates(1, 1));

        // Then
        assertThat(sim.traffic().snapshot().byRoute()).containsOnlyKeys("POST /customers");
    }

    // ---------------------------------------------------------------- outcomes

    @Test
    void shouldGiveEveryWriteTheOutcomeItsSingleRouteGives() {
        // Given two servers with the same records, one written to in batches and one write by write
        CustomcrmSimulator batchServer = simulator(CustomcrmSimulator.builder());
        CustomcrmSimulator singleServer = simulator(CustomcrmSimulator.builder());
        CustomcrmConnector batching = connector(URI.create(batchServer.baseUrl()), 500);
        CustomcrmConnector single = connector(URI.create(singleServer.baseUrl()), 1);
        List<Write> writes = mixedWrites(batchServer, batching);
        assertThat(mixedWrites(singleServer, single)).isEqualTo(writes);

        // When
        List<WriteOutcome> batched = batching.write(Flow.ORGANISATIONS, writes);
        List<WriteOutcome> oneByOne = single.write(Flow.ORGANISATIONS, writes);

        // Then the outcomes are the same, write for write
        assertThat(batched).isEqualTo(oneByOne);
        assertThat(batched).extracting(o -> o.getClass().getSimpleName()).containsExactly(
                "Done", "Rejected", "Rejected", "Done", "Retry", "Done", "Retry", "Done", "Done", "Rejected",
                "Rejected");
        assertThat(((WriteOutcome.Rejected) batched.get(1)).reason())
                .contains("address.country_code: must be an ISO 3166-1");
        assertThat(((WriteOutcome.Rejected) batched.get(2)).reason()).contains("cannot be written as JSON");
        assertThat(batched.get(3)).isInstanceOfSatisfying(WriteOutcome.Done.class, done ->
                assertThat(done.record().properties()).containsEntry("name", "Taken over").containsEntry("version", 2));
        assertThat(batched.get(4)).isEqualTo(new WriteOutcome.Retry("changed on Customcrm since it was read"));
        assertThat(((WriteOutcome.Retry) batched.get(6)).reason()).contains("still referred to by 1 contacts");
        assertThat(((WriteOutcome.Rejected) batched.get(9)).reason()).startsWith("409 ");
        assertThat(((WriteOutcome.Rejected) batched.get(10)).reason()).startsWith("410 ");
        // and the batching side spent one batch, plus the single requests of the create that took its record over
        assertThat(batchServer.traffic().snapshot().byRoute()).containsEntry("POST /batch", 1L)
                .containsEntry("GET /customers/by-external-id/{key}/{value}", 2L)
                .containsEntry("PATCH /customers/{id}", 1L);
    }

    @Test
    void shouldReplayACreateOfALostBatchWithoutASecondRecord() {
        // Given a customer read earlier, and a server that will lose the answer to the next write it carries out
        CustomcrmSimulator sim = simulator(CustomcrmSimulator.builder());
        CustomcrmConnector connector = connector(URI.create(sim.baseUrl()), 500);
        String acme = sim.createAsUser(RecordType.CUSTOMER, Map.of("name", "Acme",
                "external_ids", Map.of("crmsync", "L-acme"))).path("id").asString();
        SideRecord read = connector.findByStamp(Flow.ORGANISATIONS, "L-acme").orElseThrow();
        sim.faults().loseNextWriteAnswers(1);
        List<Write> writes = new ArrayList<>(creates(1, 3));
        writes.add(new Write.Update("L-acme", acme, read, Map.of("phone", "+45 1")));

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, writes);

        // Then the batch was sent twice, the creates were made once and answered, and the patch, which the first
        // sending made, now meets its own version change and is read again by the engine
        assertJittered(sleeper.sleeps(), Duration.ofSeconds(1));
        assertThat(sim.count(RecordType.CUSTOMER)).isEqualTo(4);
        assertThat(outcomes.subList(0, 3)).allSatisfy(o -> assertThat(o).isInstanceOf(WriteOutcome.Done.class))
                .extracting(o -> ((WriteOutcome.Done) o).record().id()).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(sim.record(RecordType.CUSTOMER, id)).get()
                        .satisfies(r -> assertThat(r.path("version").asInt()).isEqualTo(1)));
        assertThat(outcomes.get(3)).isEqualTo(new WriteOutcome.Retry("changed on Customcrm since it was read"));
        assertThat(sim.record(RecordType.CUSTOMER, acme).orElseThrow().path("phone").asString()).isEqualTo("+45 1");
    }

    @Test
    void shouldAskForARetryOfEveryWriteWhenTheBatchKeepsFailing() {
        // Given
        CustomcrmSimulator sim = simulator(CustomcrmSimulator.builder());
        CustomcrmConnector connector = connector(URI.create(sim.baseUrl()), 500);
        connector.write(Flow.ORGANISATIONS, creates(1, 2));
        sim.faults().failNext(6, 503, Duration.ofSeconds(2));

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, creates(3, 5));

        // Then
        assertThat(outcomes).hasSize(3).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(WriteOutcome.Retry.class,
                retry -> assertThat(retry.reason()).contains("POST /batch failed after 6 attempts: 503")));
        assertThat(sim.count(RecordType.CUSTOMER)).isEqualTo(2);
        assertThat(sim.traffic().snapshot().byRoute()).containsEntry("POST /batch", 7L);
    }

    @Test
    void shouldRefuseAWrongKeyOnABatchWithoutShowingIt() {
        // Given
        CustomcrmSimulator sim = simulator(CustomcrmSimulator.builder());
        String wrongKey = "wrong-key-0123456789";
        CustomcrmConnector intruder = connector(URI.create(sim.baseUrl()), 500, wrongKey);

        // When, Then
        assertThatThrownBy(() -> intruder.write(Flow.ORGANISATIONS, creates(1, 2)))
                .isInstanceOf(PermanentCrmException.class)
                .hasMessageContaining("Customcrm refused the API key (401 on POST /batch)")
                .hasMessageNotContaining(wrongKey);
        assertThat(sim.count(RecordType.CUSTOMER)).isZero();
    }

    // ---------------------------------------------------------------- servers that differ

    @Test
    void shouldFallBackToSingleRoutesForGoodWhenABatchIsAnswered404() throws IOException {
        // Given a server whose contract lists batches but whose POST /batch is not there
        CustomcrmSimulator sim = simulator(CustomcrmSimulator.builder());
        RecordingProxy proxy = proxy(sim);
        proxy.refuse("POST", BatchEndpoint.PATH, body -> true, 404);
        CustomcrmConnector connector = connector(proxy.url(), 500);

        // When it writes twice
        List<WriteOutcome> first = connector.write(Flow.ORGANISATIONS, creates(1, 5));
        List<WriteOutcome> second = connector.write(Flow.ORGANISATIONS, creates(6, 10));

        // Then one batch was tried, and every write went on its own route
        assertThat(first).hasSize(5).allSatisfy(o -> assertThat(o).isInstanceOf(WriteOutcome.Done.class));
        assertThat(second).hasSize(5).allSatisfy(o -> assertThat(o).isInstanceOf(WriteOutcome.Done.class));
        assertThat(routes(proxy)).containsExactly(List.of("GET /openapi.yaml", "POST /batch"),
                List.of("POST /customers", 10L));
        assertThat(sim.count(RecordType.CUSTOMER)).isEqualTo(10);
    }

    @Test
    void shouldSendNoMoreItemsThanTheServedContractAllows() throws IOException {
        // Given a server whose contract says it takes four items a batch
        CustomcrmSimulator sim = simulator(CustomcrmSimulator.builder());
        RecordingProxy proxy = proxy(sim);
        proxy.rewrite(BatchEndpoint.CONTRACT_PATH, "maxItems: 1000", "maxItems: 4");
        CustomcrmConnector connector = connector(proxy.url(), 500);

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, creates(1, 10));

        // Then
        assertThat(outcomes).hasSize(10).allSatisfy(o -> assertThat(o).isInstanceOf(WriteOutcome.Done.class));
        assertThat(batchSizes(proxy)).containsExactly(4, 4, 2);
    }

    @Test
    void shouldHalveABatchThatIsRefusedAsTooLarge() throws IOException {
        // Given a server that takes no more than two items, though its contract says a thousand
        CustomcrmSimulator sim = simulator(CustomcrmSimulator.builder());
        RecordingProxy proxy = proxy(sim);
        proxy.refuse("POST", BatchEndpoint.PATH, body -> RecordJson.MAPPER.readTree(body).path("items").size() > 2,
                413);
        CustomcrmConnector connector = connector(proxy.url(), 500);

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, creates(1, 10));
        connector.write(Flow.ORGANISATIONS, creates(11, 12));

        // Then ten, then five were refused, and from then on batches of two went through
        assertThat(outcomes).extracting(o -> ((WriteOutcome.Done) o).record().properties().get("name"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 10).mapToObj(i -> "Customer " + i).toList());
        assertThat(batchSizes(proxy)).containsExactly(10, 5, 2, 2, 2, 2, 2, 2);
        assertThat(sim.count(RecordType.CUSTOMER)).isEqualTo(12);
    }

    @Test
    void shouldSendTheWritesOneByOneWhenABatchIsRefusedAsAWhole() {
        // Given a server whose own rules refuse every write for now
        CustomcrmSimulator sim = simulator(CustomcrmSimulator.builder());
        CustomcrmConnector connector = connector(URI.create(sim.baseUrl()), 500);
        sim.faults().failWrites(422);

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, creates(1, 3));

        // Then each write has its own route's outcome
        assertThat(outcomes).hasSize(3).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(
                WriteOutcome.Rejected.class, rejected -> assertThat(rejected.reason()).contains("422")));
        assertThat(sim.traffic().snapshot().byRoute()).containsEntry("POST /batch", 1L)
                .containsEntry("POST /customers", 3L);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Gives a server what the mixed writes need, through the connector so that both servers get the same, and
     * returns the writes: a create, two that cannot be made, a create that must take over its record, a stale and a
     * fresh update, deletes of a referred-to, a deleted and an unknown customer, a create whose external id another
     * record holds, and an update of a deleted record.
     */
    private List<Write> mixedWrites(CustomcrmSimulator sim, CustomcrmConnector connector) {
        SideRecord parent = done(connector.write(Flow.ORGANISATIONS,
                List.of(new Write.Create("L-parent", customer("Parent", "L-parent")))).getFirst());
        sim.createAsUser(RecordType.CONTACT, Map.of("customer_id", parent.id(), "last_name", "Child"));
        SideRecord stale = done(connector.write(Flow.ORGANISATIONS,
                List.of(new Write.Create("L-stale", customer("Stale", "L-stale")))).getFirst());
        sim.editAsUser(RecordType.CUSTOMER, stale.id(), Map.of("phone", "+45 2"));
        SideRecord fresh = done(connector.write(Flow.ORGANISATIONS,
                List.of(new Write.Create("L-fresh", customer("Fresh", "L-fresh")))).getFirst());
        done(connector.write(Flow.ORGANISATIONS,
                List.of(new Write.Create("L-again", customer("Made before", "L-again")))).getFirst());
        String gone = sim.createAsUser(RecordType.CUSTOMER, Map.of("name", "Gone")).path("id").asString();
        sim.deleteAsUser(RecordType.CUSTOMER, gone);
        sim.createAsUser(RecordType.CUSTOMER, Map.of("name", "Holder", "external_ids", Map.of("webcrm", "17")));
        Map<String, Object> invalid = customer("Nowhere", "L-bad");
        invalid.put("address", Map.of("country_code", "XX"));
        Map<String, Object> unwritable = customer("Odd", "L-odd");
        unwritable.put("notes", UNWRITABLE);
        Map<String, Object> taken = customer("Twin", "L-twin");
        taken.put("external_ids", Map.of("crmsync", "L-twin", "webcrm", "17"));
        return List.of(
                new Write.Create("L-new", customer("New", "L-new")),
                new Write.Create("L-bad", invalid),
                new Write.Create("L-odd", unwritable),
                new Write.Create("L-again", customer("Taken over", "L-again")),
                new Write.Update("L-stale", stale.id(), stale, Map.of("name", "Stale 2")),
                new Write.Update("L-fresh", fresh.id(), fresh, Map.of("name", "Fresh 2")),
                new Write.Delete("L-parent", parent.id()),
                new Write.Delete("L-gone", gone),
                new Write.Delete("L-ghost", "cus_999"),
                new Write.Create("L-twin", taken),
                new Write.Update("L-gone", gone, null, Map.of("name", "Back")));
    }

    private CustomcrmSimulator simulator(CustomcrmSimulator.Builder builder) {
        CustomcrmSimulator sim = builder.apiKey(KEY).clock(clock).build().start("127.0.0.1", 0);
        open.add(sim);
        return sim;
    }

    private RecordingProxy proxy(CustomcrmSimulator sim) throws IOException {
        RecordingProxy proxy = new RecordingProxy(sim.baseUrl());
        open.add(proxy);
        return proxy;
    }

    private CustomcrmConnector connector(URI url, int writeBatchSize) {
        return connector(url, writeBatchSize, KEY);
    }

    private CustomcrmConnector connector(URI url, int writeBatchSize, String key) {
        CustomcrmConnector connector = new CustomcrmConnector(new CustomcrmSettings(url, new Secret(key), 100,
                Duration.ofSeconds(30), writeBatchSize), clock, sleeper);
        open.add(connector);
        return connector;
    }

    private static List<Write> creates(int first, int last) {
        return IntStream.rangeClosed(first, last).mapToObj(i -> (Write) new Write.Create("L-" + i,
                customer("Customer " + i, "L-" + i))).toList();
    }

    /** The requests the proxy saw: the distinct routes other than creates in order, then the count of creates. */
    private static List<List<Object>> routes(RecordingProxy proxy) {
        List<Object> others = proxy.exchanges().stream().map(e -> e.method() + " " + e.path())
                .filter(route -> !route.equals("POST /customers")).map(Object.class::cast).toList();
        long creates = proxy.exchanges().stream().filter(e -> (e.method() + " " + e.path()).equals("POST /customers"))
                .count();
        return List.of(others, List.of("POST /customers", creates));
    }

    private static List<Integer> batchSizes(RecordingProxy proxy) {
        return proxy.exchanges().stream().filter(e -> e.path().equals(BatchEndpoint.PATH))
                .map(Exchange::requestBody).map(body -> RecordJson.MAPPER.readTree(body).path("items").size())
                .toList();
    }
}
