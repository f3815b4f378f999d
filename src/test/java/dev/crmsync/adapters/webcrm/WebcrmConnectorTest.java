package dev.crmsync.adapters.webcrm;

import static dev.crmsync.testing.Outcomes.done;
import static dev.crmsync.testing.Backoffs.assertJittered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.adapters.webcrm.internal.ChangeCursor;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.TrafficLog;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import dev.crmsync.ports.Write;
import dev.crmsync.ports.WriteOutcome;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The connector against a running webCRM simulator on a free port, over real HTTP. Time is two hand-moved clocks,
 * the simulator's and the connector's, so token expiry and overlap windows are tested without waiting; waits go
 * through a sleeper that records them and moves the connector's clock on.
 */
class WebcrmConnectorTest {

    private static final String TOKEN = "connector-test-token-7d3f";
    private static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");
    private static final Map<Flow, String> STAMPS = Map.of(Flow.ORGANISATIONS, "OrganisationCustom5",
            Flow.PERSONS, "PersonCustom5", Flow.PRODUCTS, "ProductCustom5");
    /** 10:00 UTC is 12:00 in Copenhagen (summer time). */
    private static final Instant START = Instant.parse("2025-06-15T10:00:00Z");
    private static final int PAGE_SIZE = 5;

    private final ManualClock simClock = new ManualClock(START);
    private final ManualClock connectorClock = new ManualClock(START);
    private final RecordingSleeper sleeper = new RecordingSleeper(connectorClock);
    private WebcrmSimulator sim;
    private WebcrmConnector connector;

    @BeforeEach
    void start() {
        sim = simulator(WebcrmSimulator.builder().seedPlan(new SeedPlan(0, 4, 12, 6)));
        connector = connector(sim, TOKEN);
    }

    @AfterEach
    void stop() {
        connector.close();
        sim.close();
    }

    // ---------------------------------------------------------------- login

    @Test
    void shouldLogInOnceAndReuseTheToken() {
        // When
        connector.allIds(Flow.PERSONS);
        connector.allIds(Flow.PRODUCTS);

        // Then
        assertThat(logins()).isEqualTo(1);
        assertThat(status(401)).isZero();
    }

    @Test
    void shouldLogInAgainShortlyBeforeTheTokenExpires() {
        // Given a token webCRM gave for an hour
        connector.allIds(Flow.PERSONS);

        // When the connector's clock nears the end of that hour
        connectorClock.advance(Duration.ofMinutes(56));
        connector.allIds(Flow.PERSONS);

        // Then it logged in again before webCRM had to refuse the old token
        assertThat(logins()).isEqualTo(2);
        assertThat(status(401)).isZero();
    }

    @Test
    void shouldLogInAgainWhenWebcrmAnswers401() {
        // Given a token the connector believes valid but webCRM has let expire
        connector.allIds(Flow.PERSONS);
        simClock.advance(Duration.ofHours(2));

        // When
        Set<String> ids = connector.allIds(Flow.PERSONS).orElseThrow();

        // Then one 401, one new login, and the call went through
        assertThat(ids).hasSize(12);
        assertThat(status(401)).isEqualTo(1);
        assertThat(logins()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAWrongTokenWithoutNamingIt() {
        // Given
        String wrong = "wrong-token-5f1c9e2a";
        WebcrmConnector refused = connector(sim, wrong);

        // When / Then
        assertThatThrownBy(() -> refused.allIds(Flow.PERSONS))
                .isInstanceOf(PermanentCrmException.class)
                .hasMessageContaining("webCRM refused the API token")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
    }

    @Test
    void shouldRefuseALoginAnsweredWithIsErrorInA200() throws Exception {
        // Given a server that reports the failed login inside a 200, as the TokenResponseDto allows
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/Auth/ApiLogin", exchange -> {
            byte[] body = ("{\"AccessToken\":null,\"RefreshToken\":null,\"Error\":\"invalid_grant\","
                    + "\"ErrorDescription\":\"Unknown authCode " + TOKEN + "\",\"IsError\":true,\"ExpiresIn\":0,"
                    + "\"TokenType\":null}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            WebcrmConnector refused = new WebcrmConnector(settings(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()), TOKEN, PAGE_SIZE),
                    STAMPS, connectorClock, sleeper);

            // When / Then
            assertThatThrownBy(() -> refused.allIds(Flow.PERSONS))
                    .isInstanceOf(PermanentCrmException.class)
                    .hasMessageContaining("webCRM refused the API token")
                    .hasMessageContaining("invalid_grant")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        } finally {
            server.stop(0);
        }
    }

    // ---------------------------------------------------------------- reads

    @Test
    void shouldReadEveryChangePageByPageUntilAShortPage() {
        // Given 12 persons and pages of 5
        List<List<SideRecord>> pages = new ArrayList<>();

        // When
        String cursor = connector.readChanges(Flow.PERSONS, null, pages::add);

        // Then three pages, in order of change; the short third one ends the read without asking for a fourth
        assertThat(pages).extracting(List::size).containsExactly(5, 5, 2);
        List<SideRecord> all = pages.stream().flatMap(List::stream).toList();
        assertThat(all).extracting(SideRecord::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids(1, 12));
        assertThat(all).extracting(SideRecord::modifiedAt).isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(route("GET /Queries")).isEqualTo(3);
        assertThat(ChangeCursor.parse(cursor).updatedAt()).isEqualTo(all.getLast().properties().get("PersonUpdatedAt"));
    }

    @Test
    void shouldAskForTheEmptyPageWhenTheLastPageIsFull() {
        // Given 6 products and pages of 3, so the last page is full
        List<List<SideRecord>> pages = new ArrayList<>();
        WebcrmConnector threes = new WebcrmConnector(settings(URI.create(sim.baseUrl()), TOKEN, 3), STAMPS,
                connectorClock, sleeper);

        // When
        threes.readChanges(Flow.PRODUCTS, null, pages::add);

        // Then
        assertThat(pages).extracting(List::size).containsExactly(3, 3);
        assertThat(route("GET /Queries")).as("two full pages and the empty one").isEqualTo(3);
    }

    @Test
    void shouldHandEachPageToTheSinkBeforeReadingTheNext() {
        // Given
        List<Long> queriesSeenBySink = new ArrayList<>();

        // When
        connector.readChanges(Flow.PERSONS, null, page -> queriesSeenBySink.add(route("GET /Queries")));

        // Then the sink saw page n when exactly n pages had been asked for
        assertThat(queriesSeenBySink).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldKeepOnlyTheEntitysOwnPropertiesAndReadItsTimestampInCopenhagen() {
        // When
        List<SideRecord> all = readAll(Flow.PERSONS, null);

        // Then RowNumber and any other column without the Person prefix is gone
        SideRecord person = all.getFirst();
        assertThat(person.side()).isEqualTo(Side.WEBCRM);
        assertThat(person.properties()).doesNotContainKey("RowNumber")
                .containsKeys("PersonId", "PersonLastName", "PersonOrganisationId", "PersonUpdatedAt");
        assertThat(person.properties().keySet()).allMatch(name -> name.startsWith("Person"));
        assertThat(person.id()).isEqualTo(person.properties().get("PersonId").toString());
        String updatedAt = (String) person.properties().get("PersonUpdatedAt");
        assertThat(person.modifiedAt()).isEqualTo(LocalDateTime.parse(updatedAt).atZone(COPENHAGEN).toInstant());
    }

    @Test
    void shouldReadFromTheLastChangeAndTheOverlapOnlyOncePerOverlap() {
        // Given a complete first read
        String first = connector.readChanges(Flow.PERSONS, null, page -> { });

        // When person 3 is edited a day later
        bothClocksAdvance(Duration.ofDays(1));
        sim.editAsUser(WebcrmEntity.PERSON, 3, Map.of("PersonTitle", "CFO"));
        List<SideRecord> second = new ArrayList<>();
        String afterSecond = connector.readChanges(Flow.PERSONS, first, second::addAll);

        // Then a safety read: whatever changed in the overlap (an hour) before the first read comes again, with 3
        ChangeCursor firstCursor = ChangeCursor.parse(first);
        assertThat(firstCursor.safe()).isEqualTo("2025-06-15T11:00:00");
        List<String> inOverlap = readAll(Flow.PERSONS, null).stream()
                .filter(r -> !r.id().equals("3"))
                .filter(r -> ((String) r.properties().get("PersonUpdatedAt")).compareTo(firstCursor.safe()) >= 0)
                .map(SideRecord::id).toList();
        assertThat(second).extracting(SideRecord::id).containsExactlyInAnyOrderElementsOf(
                concat(inOverlap, List.of("3")));
        assertThat(ChangeCursor.parse(afterSecond).updatedAt()).isEqualTo(stampOf(WebcrmEntity.PERSON, 3))
                .isEqualTo("2025-06-16T12:00:00");

        // When person 4 is edited half an hour later
        bothClocksAdvance(Duration.ofMinutes(30));
        sim.editAsUser(WebcrmEntity.PERSON, 4, Map.of("PersonTitle", "CTO"));
        List<SideRecord> third = new ArrayList<>();
        String afterThird = connector.readChanges(Flow.PERSONS, afterSecond, third::addAll);

        // Then an ordinary read: after the last record read, so 4 alone
        assertThat(third).extracting(SideRecord::id).containsExactly("4");
        assertThat(ChangeCursor.parse(afterThird).updatedAt()).isEqualTo("2025-06-16T12:30:00");

        // When nothing changes
        List<SideRecord> idle = new ArrayList<>();
        String afterIdle = connector.readChanges(Flow.PERSONS, afterThird, idle::addAll);

        // Then within a minute of the last change a read starts at its stamp, for others edited in that second
        assertThat(idle).extracting(SideRecord::id).containsExactly("4");
        assertThat(afterIdle).isEqualTo(afterThird);

        // When nothing changes for two minutes more
        bothClocksAdvance(Duration.ofMinutes(2));
        long queriesBeforeIdle = route("GET /Queries");
        List<SideRecord> later = new ArrayList<>();
        String afterLater = connector.readChanges(Flow.PERSONS, afterIdle, later::addAll);

        // Then the read goes on after the last record read: nothing comes again, one empty page, the cursor stays
        assertThat(later).isEmpty();
        assertThat(afterLater).isEqualTo(afterIdle);
        assertThat(route("GET /Queries") - queriesBeforeIdle).as("one empty page").isEqualTo(1);

        // When person 5 is edited two hours after that
        bothClocksAdvance(Duration.ofHours(2));
        sim.editAsUser(WebcrmEntity.PERSON, 5, Map.of("PersonTitle", "CEO"));
        List<SideRecord> fourth = new ArrayList<>();
        String afterFourth = connector.readChanges(Flow.PERSONS, afterLater, fourth::addAll);

        // Then the safety read is due again: it reaches back to an hour before the last safety read
        assertThat(fourth).extracting(SideRecord::id).containsExactlyInAnyOrder("3", "4", "5");

        // When the tenant stays idle for hours
        bothClocksAdvance(Duration.ofHours(3));
        List<SideRecord> fifth = new ArrayList<>();
        String afterFifth = connector.readChanges(Flow.PERSONS, afterFourth, fifth::addAll);
        bothClocksAdvance(Duration.ofHours(3));
        List<SideRecord> sixth = new ArrayList<>();
        connector.readChanges(Flow.PERSONS, afterFifth, sixth::addAll);

        // Then one more safety read reaches back to 5, and once nothing changed for an overlap, none does: an idle
        // cycle costs the same however big the tenant
        assertThat(fifth).extracting(SideRecord::id).containsExactly("5");
        assertThat(sixth).isEmpty();
    }

    @Test
    void shouldFindAChangeStampedBeforeTheCursorAtTheNextSafetyRead() {
        // Given a read that has seen person 3's change
        String first = connector.readChanges(Flow.PERSONS, null, page -> { });
        bothClocksAdvance(Duration.ofMinutes(10));
        sim.editAsUser(WebcrmEntity.PERSON, 3, Map.of("PersonTitle", "CFO"));
        String cursor = connector.readChanges(Flow.PERSONS, first, page -> { });

        // When person 6 turns up with a stamp five minutes older, as a late commit or a server behind in time would
        simClock.advance(Duration.ofMinutes(-5));
        sim.editAsUser(WebcrmEntity.PERSON, 6, Map.of("PersonTitle", "Late"));
        simClock.advance(Duration.ofMinutes(5));
        List<SideRecord> ordinary = new ArrayList<>();
        cursor = connector.readChanges(Flow.PERSONS, cursor, ordinary::addAll);
        bothClocksAdvance(Duration.ofHours(2));
        List<SideRecord> safety = new ArrayList<>();
        connector.readChanges(Flow.PERSONS, cursor, safety::addAll);

        // Then the ordinary read missed it (it starts at 3's stamp, five minutes after 6's), and the safety read
        // an overlap later found it
        assertThat(ordinary).extracting(SideRecord::id).containsExactly("3");
        assertThat(safety).extracting(SideRecord::id).contains("6", "3");
    }

    @Test
    void shouldFindARecordEditedInTheSecondOfTheLastOneReadThoughItsIdIsLower() {
        // Given a read that ended at person 9, edited a day later
        String first = connector.readChanges(Flow.PERSONS, null, page -> { });
        bothClocksAdvance(Duration.ofDays(1));
        sim.editAsUser(WebcrmEntity.PERSON, 9, Map.of("PersonTitle", "First"));
        String cursor = connector.readChanges(Flow.PERSONS, first, page -> { });
        assertThat(ChangeCursor.parse(cursor).id()).isEqualTo(9);

        // When person 2 is edited in that same second, after the read
        sim.editAsUser(WebcrmEntity.PERSON, 2, Map.of("PersonTitle", "Second"));
        List<SideRecord> next = new ArrayList<>();
        connector.readChanges(Flow.PERSONS, cursor, next::addAll);

        // Then the next read finds it, though it sorts before the last record read
        assertThat(next).extracting(SideRecord::id).contains("2");
    }

    @Test
    void shouldTakeACursorOfAnEarlierVersionAsOneWhoseSafetyReadIsDue() {
        // Given a bare timestamp, as crmsync stored its cursor before, half an hour after person 3's change
        sim.editAsUser(WebcrmEntity.PERSON, 3, Map.of("PersonTitle", "CFO"));
        bothClocksAdvance(Duration.ofMinutes(30));
        assertThat(stampOf(WebcrmEntity.PERSON, 3)).isEqualTo("2025-06-15T12:00:00");
        String old = "2025-06-15T12:30:00";

        // When
        List<SideRecord> read = new ArrayList<>();
        String cursor = connector.readChanges(Flow.PERSONS, old, read::addAll);

        // Then it read an overlap back from it, and the cursor now has its safe point
        assertThat(read).extracting(SideRecord::id).contains("3");
        assertThat(ChangeCursor.parse(cursor).safe()).isNotNull();
    }

    @Test
    void shouldReturnThePreviousCursorWhenNothingChanged() {
        // Given a cursor after every change
        String cursor = new ChangeCursor("2030-01-01T00:00:00", 7, "2025-06-15T11:00:00").toString();

        // When
        List<SideRecord> read = new ArrayList<>();
        String next = connector.readChanges(Flow.PERSONS, cursor, read::addAll);

        // Then
        assertThat(read).isEmpty();
        assertThat(next).isEqualTo(cursor);
        assertThat(route("GET /Queries")).as("one short, empty page").isEqualTo(1);
    }

    @Test
    void shouldReadARecordEditedDuringTheReadAgainAndLetNoOtherSlipPast() {
        // Given a read that is past its first page when a person on that page is edited
        simClock.advance(Duration.ofDays(1));
        AtomicReference<SideRecord> moved = new AtomicReference<>();
        List<SideRecord> all = new ArrayList<>();

        // When
        String cursor = connector.readChanges(Flow.PERSONS, null, page -> {
            if (moved.get() == null) {
                moved.set(page.getFirst());
                sim.editAsUser(WebcrmEntity.PERSON, Integer.parseInt(page.getFirst().id()),
                        Map.of("PersonTitle", "Moved"));
            }
            all.addAll(page);
        });

        // Then it came twice, at the end with its new stamp, and every other person came: the pages are keyed by
        // the last row read, so the rows behind the moved one could not shift past a page boundary
        assertThat(all).filteredOn(r -> r.id().equals(moved.get().id())).hasSize(2);
        assertThat(all).extracting(SideRecord::id).containsAll(ids(1, 12));
        assertThat(all.getLast().id()).isEqualTo(moved.get().id());
        assertThat(ChangeCursor.parse(cursor)).satisfies(c -> {
            assertThat(c.updatedAt()).isEqualTo(stampOf(WebcrmEntity.PERSON, Integer.parseInt(moved.get().id())));
            assertThat(c.id()).isEqualTo(Long.parseLong(moved.get().id()));
        });
    }

    @Test
    void shouldListAllIds() {
        // Given a person deleted in webCRM's interface
        sim.deleteAsUser(WebcrmEntity.PERSON, 7);

        // When
        Set<String> ids = connector.allIds(Flow.PERSONS).orElseThrow();

        // Then
        assertThat(ids).containsExactlyInAnyOrderElementsOf(
                ids(1, 12).stream().filter(id -> !id.equals("7")).toList());
    }

    @Test
    void shouldListIdsBeyondOnePageOfAThousand() {
        // Given
        try (WebcrmSimulator big = simulator(WebcrmSimulator.builder().seedPlan(new SeedPlan(0, 2, 0, 1005)))) {
            WebcrmConnector reader = connector(big, TOKEN);

            // When
            Set<String> ids = reader.allIds(Flow.PRODUCTS).orElseThrow();

            // Then two full reads and the empty one that ends the listing
            assertThat(ids).hasSize(1005).containsAll(ids(1, 1005));
            assertThat(big.traffic().snapshot().byRoute()).containsEntry("GET /Queries", 3L);
        }
    }

    @Test
    void shouldFindARecordByItsStamp() {
        // Given
        sim.editAsUser(WebcrmEntity.PERSON, 3, Map.of("PersonCustom5", "link-3"));
        sim.editAsUser(WebcrmEntity.ORGANISATION, 2, Map.of("OrganisationCustom5", "o'brien-link"));

        // When / Then
        assertThat(connector.findByStamp(Flow.PERSONS, "link-3")).hasValueSatisfying(r -> {
            assertThat(r.id()).isEqualTo("3");
            assertThat(r.properties()).containsEntry("PersonCustom5", "link-3").doesNotContainKey("RowNumber");
        });
        assertThat(connector.findByStamp(Flow.ORGANISATIONS, "o'brien-link")).map(SideRecord::id).hasValue("2");
        assertThat(connector.findByStamp(Flow.PERSONS, "no-such-link")).isEmpty();
    }

    @Test
    void shouldQuoteAStampSoThatItFindsExactlyItsRecordWhateverQuotesAndBackslashesItHolds() {
        // Given stamps that would match every row, or another row, or break the script if quoted wrongly
        String injection = "' OR 'a'='a";
        String mixed = "it's \"x\" C:\\temp\\";
        sim.editAsUser(WebcrmEntity.PERSON, 1, Map.of("PersonCustom5", "it"));
        sim.editAsUser(WebcrmEntity.PERSON, 2, Map.of("PersonCustom5", "it''s \"x\" C:\\temp\\"));
        sim.editAsUser(WebcrmEntity.PERSON, 5, Map.of("PersonCustom5", mixed));
        sim.editAsUser(WebcrmEntity.PERSON, 7, Map.of("PersonCustom5", injection));

        // When
        Map<String, SideRecord> found = connector.findByStamps(Flow.PERSONS, List.of(injection, mixed, "a"));

        // Then each finds its one record: not the lowest id, not the one with the quote doubled, not none
        assertThat(found).containsOnlyKeys(injection, mixed);
        assertThat(found.get(injection).id()).isEqualTo("7");
        assertThat(found.get(mixed).id()).isEqualTo("5");
    }

    @Test
    void shouldTakeTheLowestIdWhenSeveralPersonsCarryOneStamp() {
        // Given
        sim.editAsUser(WebcrmEntity.PERSON, 9, Map.of("PersonCustom5", "twice"));
        sim.editAsUser(WebcrmEntity.PERSON, 4, Map.of("PersonCustom5", "twice"));

        // When / Then
        assertThat(connector.findByStamp(Flow.PERSONS, "twice")).map(SideRecord::id).hasValue("4");
    }

    // ---------------------------------------------------------------- writes

    @Test
    void shouldCreateAndReturnTheNewId() {
        // When
        List<WriteOutcome> outcomes = connector.write(Flow.PERSONS, List.of(new Write.Create("link-new",
                props("PersonOrganisationId", 1, "PersonLastName", "Holm", "PersonCustom5", "link-new"))));

        // Then
        SideRecord created = done(outcomes.getFirst());
        assertThat(created.id()).isEqualTo("13");
        assertThat(created.properties()).containsEntry("PersonId", 13).containsEntry("PersonLastName", "Holm");
        JsonNode stored = sim.record(WebcrmEntity.PERSON, 13).orElseThrow();
        assertThat(stored.path("PersonLastName").asString()).isEqualTo("Holm");
        assertThat(stored.path("PersonCustom5").asString()).isEqualTo("link-new");
    }

    @Test
    void shouldStampACreateWhoseStampIsMissing() {
        // When
        SideRecord created = done(connector.write(Flow.PRODUCTS, List.of(new Write.Create("link-p",
                props("ProductOrganisationId", 1, "ProductCustom1", "Widget")))).getFirst());

        // Then
        assertThat(sim.record(WebcrmEntity.PRODUCT, Integer.parseInt(created.id())).orElseThrow()
                .path("ProductCustom5").asString()).isEqualTo("link-p");
    }

    @Test
    void shouldFindTheNewOrganisationByItsStampWhenThePostAnswerIsEmpty() {
        // Given a webCRM that answers POST /Organisations with an empty body
        try (WebcrmSimulator quiet = simulator(WebcrmSimulator.builder().seedPlan(new SeedPlan(0, 4, 0, 0))
                .emptyOrganisationPostBody(true))) {
            WebcrmConnector writer = connector(quiet, TOKEN);

            // When
            List<WriteOutcome> outcomes = writer.write(Flow.ORGANISATIONS, List.of(new Write.Create("link-org",
                    props("OrganisationName", "Fjord Fisk ApS", "OrganisationCustom5", "link-org"))));

            // Then
            SideRecord created = done(outcomes.getFirst());
            assertThat(created.id()).isEqualTo("5");
            assertThat(created.properties()).containsEntry("OrganisationId", 5)
                    .containsEntry("OrganisationName", "Fjord Fisk ApS");
            assertThat(quiet.record(WebcrmEntity.ORGANISATION, 5).orElseThrow().path("OrganisationName").asString())
                    .isEqualTo("Fjord Fisk ApS");
        }
    }

    @Test
    void shouldKeepUnmappedPropertiesOnUpdate() {
        // Given person 2 as last read
        SideRecord current = readAll(Flow.PERSONS, null).stream().filter(r -> r.id().equals("2")).findFirst()
                .orElseThrow();
        ObjectNode before = (ObjectNode) sim.record(WebcrmEntity.PERSON, 2).orElseThrow();

        // When only the title is written
        List<WriteOutcome> outcomes = connector.write(Flow.PERSONS, List.of(new Write.Update("link-2", current.id(), current,
                props("PersonTitle", "CFO", "PersonCustom5", "link-2"))));

        // Then every other property survived webCRM's full-replace PUT
        SideRecord written = done(outcomes.getFirst());
        assertThat(written.id()).isEqualTo("2");
        assertThat(written.properties()).containsEntry("PersonTitle", "CFO")
                .containsEntry("PersonEmail", current.properties().get("PersonEmail"));
        ObjectNode after = (ObjectNode) sim.record(WebcrmEntity.PERSON, 2).orElseThrow();
        assertThat(after.path("PersonTitle").asString()).isEqualTo("CFO");
        assertThat(after.path("PersonCustom5").asString()).isEqualTo("link-2");
        assertThat(withoutChanged(after)).isEqualTo(withoutChanged(before));
        assertThat(before.path("PersonEmail").asString()).isNotBlank();
    }

    @Test
    void shouldReadTheRecordFirstWhenNoCopyIsHeld() {
        // Given no copy of persons 5 and 6
        ObjectNode before5 = (ObjectNode) sim.record(WebcrmEntity.PERSON, 5).orElseThrow();
        ObjectNode before6 = (ObjectNode) sim.record(WebcrmEntity.PERSON, 6).orElseThrow();

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.PERSONS, List.of(
                new Write.Update("link-5", "5", null, props("PersonTitle", "CFO")),
                new Write.Update("link-6", "6", null, props("PersonTitle", "CTO"))));

        // Then
        assertThat(outcomes).allMatch(WriteOutcome.Done.class::isInstance);
        ObjectNode after5 = (ObjectNode) sim.record(WebcrmEntity.PERSON, 5).orElseThrow();
        ObjectNode after6 = (ObjectNode) sim.record(WebcrmEntity.PERSON, 6).orElseThrow();
        assertThat(after5.path("PersonTitle").asString()).isEqualTo("CFO");
        assertThat(after6.path("PersonTitle").asString()).isEqualTo("CTO");
        assertThat(withoutChanged(after5)).isEqualTo(withoutChanged(before5));
        assertThat(withoutChanged(after6)).isEqualTo(withoutChanged(before6));
    }

    @Test
    void shouldRejectARefusedRecordAndStillWriteTheOthers() {
        // Given a person without last name between two good writes
        SideRecord current = readAll(Flow.PERSONS, null).getFirst();

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.PERSONS, List.of(
                new Write.Create("a", props("PersonOrganisationId", 1, "PersonLastName", "Ask", "PersonCustom5", "a")),
                new Write.Create("b", props("PersonOrganisationId", 1, "PersonFirstName", "Bo", "PersonCustom5", "b")),
                new Write.Update("c", current.id(), current, props("PersonTitle", "Chef", "PersonCustom5", "c"))));

        // Then
        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(0)).isInstanceOf(WriteOutcome.Done.class);
        assertThat(outcomes.get(1)).isEqualTo(
                new WriteOutcome.Rejected("It is mandatory to define last name (PersonLastName)"));
        assertThat(outcomes.get(2)).isInstanceOf(WriteOutcome.Done.class);
        assertThat(sim.count(WebcrmEntity.PERSON)).isEqualTo(13);
        assertThat(sim.record(WebcrmEntity.PERSON, Integer.parseInt(current.id())).orElseThrow()
                .path("PersonTitle").asString()).isEqualTo("Chef");
    }

    @Test
    void shouldRejectAnUpdateOfARecordThatNoLongerExists() {
        // Given
        SideRecord current = readAll(Flow.PRODUCTS, null).getFirst();
        sim.deleteAsUser(WebcrmEntity.PRODUCT, Integer.parseInt(current.id()));

        // When it is updated from the copy held, and another one known only by id
        List<WriteOutcome> outcomes = connector.write(Flow.PRODUCTS, List.of(
                new Write.Update("gone", current.id(), current, props("ProductComment", "x")),
                new Write.Update("never", "999", null, props("ProductComment", "y"))));

        // Then the first with webCRM's own answer to the bulk write, the second without a request of its own
        assertThat(outcomes).containsExactly(
                new WriteOutcome.Rejected("Product with id " + current.id() + " was not found"),
                new WriteOutcome.Rejected("Product 999 no longer exists in webCRM"));
        assertThat(route("GET /Products/{id}")).isZero();
    }

    @Test
    void shouldDeleteAProductAndCountAnAlreadyDeletedOneAsDone() {
        // When
        List<WriteOutcome> first = connector.write(Flow.PRODUCTS, List.of(new Write.Delete("link-p", "4")));
        List<WriteOutcome> again = connector.write(Flow.PRODUCTS, List.of(new Write.Delete("link-p", "4")));

        // Then
        assertThat(done(first.getFirst())).satisfies(r -> {
            assertThat(r.deleted()).isTrue();
            assertThat(r.id()).isEqualTo("4");
        });
        assertThat(done(again.getFirst()).deleted()).isTrue();
        assertThat(sim.record(WebcrmEntity.PRODUCT, 4)).isEmpty();
        assertThat(route("DELETE /Products/{id}")).isEqualTo(2);
    }

    @Test
    void shouldDeleteOnlyProducts() {
        // When
        List<WriteOutcome> outcomes = connector.write(Flow.PERSONS, List.of(new Write.Delete("link", "3")));

        // Then
        assertThat(connector.side()).isEqualTo(Side.WEBCRM);
        assertThat(Flow.values()).filteredOn(connector::canDelete).containsExactly(Flow.PRODUCTS);
        assertThat(outcomes).singleElement().isInstanceOf(WriteOutcome.Rejected.class);
        assertThat(sim.record(WebcrmEntity.PERSON, 3)).isPresent();
    }

    // ---------------------------------------------------------------- faults

    @Test
    void shouldWaitOutA429BurstForItsRetryAfter() {
        // Given
        sim.faults().failNext(3, 429, Duration.ofSeconds(14));

        // When
        Set<String> ids = connector.allIds(Flow.PERSONS).orElseThrow();

        // Then
        assertThat(ids).hasSize(12);
        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(14), Duration.ofSeconds(14),
                Duration.ofSeconds(14));
        assertThat(status(429)).isEqualTo(3);
    }

    @Test
    void shouldAskAgainForAMalformedPage() {
        // Given
        connector.allIds(Flow.PERSONS);
        sim.faults().malformNextPages(2);

        // When
        List<SideRecord> all = readAll(Flow.PERSONS, null);

        // Then
        assertThat(all).extracting(SideRecord::id).containsExactlyInAnyOrderElementsOf(ids(1, 12));
        assertJittered(sleeper.waits(), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void shouldFailTransientlyRatherThanSkipAPageThatStaysMalformed() {
        // Given a read whose second page keeps coming back cut off
        List<List<SideRecord>> pages = new ArrayList<>();

        // When / Then
        assertThatThrownBy(() -> connector.readChanges(Flow.PERSONS, null, page -> {
            pages.add(page);
            sim.faults().malformNextPages(100);
        })).isInstanceOf(TransientCrmException.class).hasMessageContaining("not a readable JSON array");
        assertThat(pages).hasSize(1);
        assertThat(route("GET /Queries")).as("the first page, then the second six times").isEqualTo(7);
    }

    @Test
    void shouldRetryDroppedConnectionsOnAGet() {
        // Given a logged-in connector, and connections that close without an answer. The JDK's client itself
        // retries a GET once when a pooled connection closes, so more drops than that are queued.
        connector.allIds(Flow.PERSONS);
        sim.faults().dropNext(3);

        // When
        List<SideRecord> all = readAll(Flow.PERSONS, null);

        // Then
        assertThat(all).hasSize(12);
        assertThat(sim.faults().pending()).isZero();
        assertThat(sleeper.waits()).isNotEmpty();
        assertJittered(sleeper.waits().subList(0, 1), Duration.ofSeconds(1));
    }

    @Test
    void shouldAnswerRetryAndSendNoMoreWritesWhileWebcrmIsDown() {
        // Given
        connector.allIds(Flow.PERSONS);
        sim.faults().failNext(1, 503, Duration.ZERO);

        // When
        List<WriteOutcome> outcomes = connector.write(Flow.PERSONS, List.of(
                new Write.Create("a", props("PersonOrganisationId", 1, "PersonLastName", "A", "PersonCustom5", "a")),
                new Write.Create("b", props("PersonOrganisationId", 1, "PersonLastName", "B", "PersonCustom5", "b"))));

        // Then the PATCH is not repeated, since it may have landed; its stamps show that it did not
        assertThat(outcomes).allMatch(WriteOutcome.Retry.class::isInstance);
        assertThat(((WriteOutcome.Retry) outcomes.get(1)).reason()).contains("503");
        assertThat(route("PATCH /Persons")).isEqualTo(1);
        assertThat(sim.count(WebcrmEntity.PERSON)).isEqualTo(12);

        // When more writes follow in the same call after webCRM failed
        sim.faults().failNext(1, 503, Duration.ZERO);
        List<WriteOutcome> more = connector.write(Flow.PRODUCTS, List.of(
                new Write.Create("p", props("ProductOrganisationId", 1, "ProductCustom5", "p")),
                new Write.Delete("d", "2")));

        // Then the delete is not sent
        assertThat(((WriteOutcome.Retry) more.get(1)).reason()).startsWith("not sent");
        assertThat(route("DELETE /Products/{id}")).isZero();
    }

    // ---------------------------------------------------------------- helpers

    private WebcrmSimulator simulator(WebcrmSimulator.Builder builder) {
        return builder.token(TOKEN).clock(simClock).build().start("127.0.0.1", 0);
    }

    private WebcrmConnector connector(WebcrmSimulator target, String token) {
        return new WebcrmConnector(settings(URI.create(target.baseUrl()), token, PAGE_SIZE), STAMPS, connectorClock,
                sleeper);
    }

    private static WebcrmSettings settings(URI url, String token, int pageSize) {
        return new WebcrmSettings(url, new Secret(token), COPENHAGEN, Duration.ofHours(1), pageSize, 250,
                Duration.ofSeconds(10));
    }

    private void bothClocksAdvance(Duration step) {
        simClock.advance(step);
        connectorClock.advance(step);
    }

    private List<SideRecord> readAll(Flow flow, String cursor) {
        List<SideRecord> all = new ArrayList<>();
        connector.readChanges(flow, cursor, all::addAll);
        return all;
    }

    private String stampOf(WebcrmEntity entity, int id) {
        return sim.record(entity, id).orElseThrow().path(entity.singular() + "UpdatedAt").asString();
    }

    private long logins() {
        return route("POST /Auth/ApiLogin");
    }

    private long route(String route) {
        return sim.traffic().snapshot().byRoute().getOrDefault(route, 0L);
    }

    private long status(int status) {
        TrafficLog.Snapshot snapshot = sim.traffic().snapshot();
        return snapshot.byStatus().getOrDefault(status, 0L);
    }

    /** A person as stored, without what a write is meant to change: title, stamp and the updated stamps. */
    private static ObjectNode withoutChanged(ObjectNode person) {
        ObjectNode copy = person.deepCopy();
        copy.remove(List.of("PersonTitle", "PersonCustom5", "PersonUpdatedAt", "PersonUpdatedBy"));
        return copy;
    }

    private static Map<String, Object> props(Object... namesAndValues) {
        Map<String, Object> out = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return out;
    }

    private static List<String> ids(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toList());
    }

    /** A clock a test moves by hand. */
    static final class ManualClock implements InstantSource {
        private final AtomicReference<Instant> now;

        ManualClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration step) {
            now.updateAndGet(t -> t.plus(step));
        }
    }

    /** Records each wait and moves the clock on by it, as real sleeping would. */
    static final class RecordingSleeper implements Sleeper {
        private final ManualClock clock;
        private final List<Duration> waits = new CopyOnWriteArrayList<>();

        RecordingSleeper(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public void sleep(Duration duration) {
            waits.add(duration);
            clock.advance(duration);
        }

        List<Duration> waits() {
            return List.copyOf(waits);
        }
    }
}
