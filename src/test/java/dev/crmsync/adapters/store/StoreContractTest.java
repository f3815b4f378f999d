package dev.crmsync.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Ref;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.CreateIntent;
import dev.crmsync.ports.FieldConflict;
import dev.crmsync.ports.HeldRemoval;
import dev.crmsync.ports.CycleLog;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.PendingUpdate;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.StaleClaimException;
import dev.crmsync.ports.Store;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} must have, written once and run against each implementation: a subclass
 * supplies the store through {@link #openStore()}.
 */
public abstract class StoreContractTest {

    /** Nanoseconds on purpose: a store must give instants back exactly. */
    protected static final Instant T0 = Instant.parse("2025-03-01T09:00:00.123456789Z");

    protected static final FieldValues BASE = FieldValues.of(Map.of(
            "name", "Ærøskøbing Tømrer ApS – 東京支店",
            "price", new BigDecimal("1234567890.0625"),
            "year", 2024L,
            "active", true,
            "founded", LocalDate.of(1990, 4, 1),
            "customer", new Ref(Flow.ORGANISATIONS, "L-parent")));

    protected Store store;

    /**
     * Opens a store on this test's database. The first call in a test sees an empty database; later calls in the
     * same test (after the previous store was closed) see what was written before.
     *
     * @return an open store
     */
    protected abstract Store openStore();

    @BeforeEach
    void openTheStore() {
        store = openStore();
    }

    @AfterEach
    void closeTheStore() {
        store.close();
    }

    // ---------------------------------------------------------------- fixtures

    protected static Link link(String id, Flow flow, String webcrmId, String customcrmId) {
        return new Link(id, flow, webcrmId, customcrmId, BASE, "wh-" + id, "ch-" + id, LinkState.ACTIVE, T0);
    }

    protected static SideRecord record(Side side, Flow flow, String id, Map<String, Object> properties) {
        return new SideRecord(side, flow, id, properties, T0.minusSeconds(60), false);
    }

    protected static ObservedRecord observed(Side side, Flow flow, String id, String matchKey, Instant observedAt) {
        return ObservedRecord.dirty(record(side, flow, id, Map.of("id", id)), matchKey, null, observedAt);
    }

    protected static Conflict conflict(String id, String linkId, Instant detectedAt, Instant resolvedAt) {
        List<FieldConflict> fields = List.of(
                new FieldConflict("price", new BigDecimal("10.00"), new BigDecimal("12.50"), new BigDecimal("11"),
                        resolvedAt == null ? null : Side.WEBCRM),
                new FieldConflict("customer", null, new Ref(Flow.ORGANISATIONS, "L-a:b"), null, null));
        return new Conflict(id, Flow.PRODUCTS, linkId, fields, BASE.with("price", new BigDecimal("12.5")),
                BASE.with("price", new BigDecimal("11")), resolvedAt == null ? "manual" : "newest-wins", detectedAt,
                resolvedAt, resolvedAt == null ? null : "newest-wins");
    }

    protected static HistoryEntry history(String linkId, String action, Map<String, HistoryEntry.Change> changes) {
        return new HistoryEntry(linkId, Flow.ORGANISATIONS, T0, Side.CUSTOMCRM, action, "a sentence for people",
                changes);
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    /**
     * Closes the store and opens a new one on the same database, as a restart would.
     */
    protected void reopen() {
        store.close();
        store = openStore();
    }

    // ---------------------------------------------------------------- links

    @Test
    void shouldGiveBackASavedLinkExactly() {
        // Given
        Link saved = link("L-1", Flow.ORGANISATIONS, "101", "c-1");

        // When
        store.saveLink(saved);

        // Then
        assertThat(store.link("L-1")).contains(saved);
        assertThat(store.link("L-1").orElseThrow().base().hash()).isEqualTo(BASE.hash());
        assertThat(store.link("L-unknown")).isEmpty();
    }

    @Test
    void shouldReplaceTheLinkWithTheSameId() {
        // Given
        store.saveLink(new Link("L-1", Flow.PERSONS, null, "c-1", FieldValues.empty(), null, "h1",
                LinkState.PENDING, T0));
        Link replacement = new Link("L-1", Flow.PERSONS, "201", "c-1", BASE, "h2", "h1", LinkState.ACTIVE, at(5));

        // When
        store.saveLink(replacement);

        // Then
        assertThat(store.link("L-1")).contains(replacement);
        assertThat(store.countLinks(null, null)).isEqualTo(1);
        assertThat(store.linkOf(Flow.PERSONS, Side.WEBCRM, "201")).contains(replacement);
    }

    @Test
    void shouldFindALinkByTheRecordIdOnEachSide() {
        // Given
        Link saved = link("L-1", Flow.ORGANISATIONS, "101", "c-1");
        store.saveLink(saved);

        // When / Then
        assertThat(store.linkOf(Flow.ORGANISATIONS, Side.WEBCRM, "101")).contains(saved);
        assertThat(store.linkOf(Flow.ORGANISATIONS, Side.CUSTOMCRM, "c-1")).contains(saved);
        assertThat(store.linkOf(Flow.ORGANISATIONS, Side.WEBCRM, "c-1")).isEmpty();
        assertThat(store.linkOf(Flow.ORGANISATIONS, Side.CUSTOMCRM, "101")).isEmpty();
        assertThat(store.linkOf(Flow.PERSONS, Side.WEBCRM, "101")).isEmpty();
    }

    @Test
    void shouldRefuseASecondLinkClaimingTheSameWebcrmRecord() {
        // Given
        Link first = link("L-1", Flow.ORGANISATIONS, "101", "c-1");
        store.saveLink(first);

        // When / Then
        assertThatThrownBy(() -> store.saveLink(link("L-2", Flow.ORGANISATIONS, "101", "c-2")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("L-2")
                .hasMessageContaining("101")
                .hasMessageContaining("L-1");
        assertThat(store.link("L-2")).isEmpty();
        assertThat(store.linkOf(Flow.ORGANISATIONS, Side.WEBCRM, "101")).contains(first);
    }

    @Test
    void shouldRefuseASecondLinkClaimingTheSameCustomcrmRecord() {
        // Given
        store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));

        // When / Then
        assertThatThrownBy(() -> store.saveLink(link("L-2", Flow.ORGANISATIONS, "102", "c-1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("c-1");
        assertThat(store.countLinks(null, null)).isEqualTo(1);
    }

    @Test
    void shouldRefuseMovingALinkOntoARecordAnotherLinkHolds() {
        // Given
        store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));
        store.saveLink(link("L-2", Flow.ORGANISATIONS, "102", "c-2"));

        // When / Then
        assertThatThrownBy(() -> store.saveLink(link("L-2", Flow.ORGANISATIONS, "101", "c-2")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.link("L-2").orElseThrow().webcrmId()).isEqualTo("102");
    }

    @Test
    void shouldAllowTheSameRecordIdInDifferentFlows() {
        // Given
        store.saveLink(link("L-1", Flow.ORGANISATIONS, "7", "c-7"));

        // When
        store.saveLink(link("L-2", Flow.PERSONS, "7", "c-7"));

        // Then
        assertThat(store.linkOf(Flow.PERSONS, Side.WEBCRM, "7").map(Link::id)).contains("L-2");
        assertThat(store.linkOf(Flow.ORGANISATIONS, Side.WEBCRM, "7").map(Link::id)).contains("L-1");
    }

    @Test
    void shouldAllowManyPendingLinksWithoutARecordOnTheSameSide() {
        // Given
        store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", null).with(BASE, LinkState.PENDING, T0));

        // When
        store.saveLink(link("L-2", Flow.ORGANISATIONS, "102", null).with(BASE, LinkState.PENDING, T0));
        store.saveLink(link("L-3", Flow.ORGANISATIONS, null, "c-3").with(BASE, LinkState.PENDING, T0));
        store.saveLink(link("L-4", Flow.ORGANISATIONS, null, "c-4").with(BASE, LinkState.PENDING, T0));

        // Then
        assertThat(store.countLinks(Flow.ORGANISATIONS, LinkState.PENDING)).isEqualTo(4);
        assertThat(store.link("L-2").orElseThrow().customcrmId()).isNull();
    }

    @Test
    void shouldCountLinksByFlowAndState() {
        // Given
        store.saveLink(link("L-1", Flow.ORGANISATIONS, "1", "c-1"));
        store.saveLink(link("L-2", Flow.ORGANISATIONS, "2", "c-2").with(BASE, LinkState.CONFLICT, T0));
        store.saveLink(link("L-3", Flow.PERSONS, "3", "c-3"));
        store.saveLink(link("L-4", Flow.PRODUCTS, "4", null).with(BASE, LinkState.PENDING, T0));
        store.saveLink(link("L-5", Flow.PRODUCTS, "5", "c-5").with(BASE, LinkState.RETIRED, T0));

        // When / Then
        assertThat(store.countLinks(null, null)).isEqualTo(5);
        assertThat(store.countLinks(Flow.ORGANISATIONS, null)).isEqualTo(2);
        assertThat(store.countLinks(null, LinkState.ACTIVE)).isEqualTo(2);
        assertThat(store.countLinks(Flow.PRODUCTS, LinkState.PENDING)).isEqualTo(1);
        assertThat(store.countLinks(Flow.PERSONS, LinkState.RETIRED)).isZero();
    }

    @Test
    void shouldPageLinksInCreationOrderWhateverTheirIdsAndTimes() {
        // Given: ids out of alphabetical order, all saved at the same instant (a fake clock does that)
        List<String> created = List.of("L-c", "L-a", "L-e", "L-b", "L-d");
        for (int i = 0; i < created.size(); i++) {
            store.saveLink(link(created.get(i), Flow.ORGANISATIONS, "w" + i, "c" + i));
        }
        store.saveLink(link("L-p", Flow.PERSONS, "w9", "c9"));
        // replacing a link later does not move it
        store.saveLink(link("L-c", Flow.ORGANISATIONS, "w0", "c0").with(BASE, LinkState.CONFLICT, at(9)));

        // When
        List<String> pages = new ArrayList<>();
        for (int offset = 0; offset < 6; offset += 2) {
            store.links(Flow.ORGANISATIONS, offset, 2).forEach(l -> pages.add(l.id()));
        }

        // Then
        assertThat(pages).isEqualTo(created);
        assertThat(store.links(null, 0, 10)).extracting(Link::id)
                .containsExactly("L-c", "L-a", "L-e", "L-b", "L-d", "L-p");
        assertThat(store.links(null, 5, 10)).extracting(Link::id).containsExactly("L-p");
        assertThat(store.links(null, 6, 10)).isEmpty();
        assertThat(store.links(null, 0, 0)).isEmpty();
    }

    @Test
    void shouldRefuseANegativePage() {
        // When / Then
        assertThatThrownBy(() -> store.links(null, -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.links(null, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- observed records

    @Test
    void shouldGiveBackARecordsPropertiesWithTypesAndNullsIntact() {
        // Given
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("street", "Nørregade 1");
        address.put("state", null);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("OrganisationName", "Acme \"Ltd\" \\ 東京 🚀\n");
        properties.put("OrganisationId", 42);
        properties.put("big", 9_000_000_000L);
        properties.put("ProductPrice", new BigDecimal("12.50"));
        properties.put("tiny", new BigDecimal("0.000000001"));
        properties.put("active", true);
        properties.put("comment", null);
        properties.put("address", address);
        properties.put("tags", Arrays.asList("a", 1, null, new BigDecimal("2.0")));
        ObservedRecord written = new ObservedRecord(record(Side.WEBCRM, Flow.ORGANISATIONS, "101", properties),
                "DK12345678", "L-1", RecordStatus.DIRTY, null, 0, null, T0);

        // When
        store.observe(List.of(written));

        // Then
        ObservedRecord read = store.observed(Flow.ORGANISATIONS, Side.WEBCRM, "101").orElseThrow();
        assertThat(read).isEqualTo(written);
        assertThat(read.record().properties()).containsExactlyEntriesOf(properties);
        assertThat((BigDecimal) read.record().properties().get("ProductPrice")).hasScaleOf(2);
        assertThat(read.record().properties().get("OrganisationId")).isInstanceOf(Integer.class);
        assertThat(read.record().properties().get("big")).isInstanceOf(Long.class);
        assertThat(store.observed(Flow.ORGANISATIONS, Side.CUSTOMCRM, "101")).isEmpty();
    }

    @Test
    void shouldReplaceTheEarlierCopyOfTheSameRecord() {
        // Given
        store.observe(List.of(observed(Side.CUSTOMCRM, Flow.PERSONS, "c-1", "a@example.com", at(0))));
        ObservedRecord newer = new ObservedRecord(
                record(Side.CUSTOMCRM, Flow.PERSONS, "c-1", Map.of("email", "b@example.com")),
                "b@example.com", "L-9", RecordStatus.WAITING, "parent organisation not linked yet", 3, at(60),
                at(1));

        // When
        store.observe(List.of(newer));

        // Then
        assertThat(store.observed(Flow.PERSONS, Side.CUSTOMCRM, "c-1")).contains(newer);
        assertThat(store.observedIds(Flow.PERSONS, Side.CUSTOMCRM)).containsExactly("c-1");
    }

    @Test
    void shouldKeepTheLastCopyWhenOneBatchHoldsARecordTwice() {
        // Given
        ObservedRecord first = observed(Side.WEBCRM, Flow.ORGANISATIONS, "1", "K", at(0));
        ObservedRecord second = first.with(RecordStatus.SETTLED, null, 0, null);

        // When
        store.observe(List.of(first, second));

        // Then
        assertThat(store.observed(Flow.ORGANISATIONS, Side.WEBCRM, "1")).contains(second);
    }

    @Test
    void shouldGiveBackATombstone() {
        // Given
        ObservedRecord tombstone = ObservedRecord.dirty(
                SideRecord.deletion(Side.CUSTOMCRM, Flow.PRODUCTS, "p-1", at(3)), null, null, at(4));

        // When
        store.observe(List.of(tombstone));
        store.observe(List.of());

        // Then
        assertThat(store.observed(Flow.PRODUCTS, Side.CUSTOMCRM, "p-1")).contains(tombstone);
    }

    @Test
    void shouldLookUpManyRecordsAtOnceLeavingOutUnknownIdsAndOtherSides() {
        // Given more records than one query of the store takes
        List<ObservedRecord> many = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) {
            many.add(observed(Side.WEBCRM, Flow.PERSONS, Integer.toString(i), null, at(1)));
        }
        store.observe(many);
        store.observe(List.of(observed(Side.CUSTOMCRM, Flow.PERSONS, "c-7", null, at(1)),
                observed(Side.WEBCRM, Flow.ORGANISATIONS, "7", null, at(1))));
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 1_234; i += 3) {
            asked.add(Integer.toString(i));
        }
        asked.addAll(List.of("unknown", "c-7", "7", "7"));

        // When
        Map<String, ObservedRecord> found = store.observed(Flow.PERSONS, Side.WEBCRM, asked);

        // Then
        assertThat(found).as("every third id and 7").hasSize(413);
        assertThat(found.get("1233")).isEqualTo(many.get(1233));
        assertThat(found.get("7")).isEqualTo(many.get(7));
        assertThat(found).doesNotContainKeys("unknown", "c-7", "1");
        assertThat(store.observed(Flow.PERSONS, Side.WEBCRM, List.of())).isEmpty();
    }

    @Test
    void shouldListDueRecordsOldestObservationFirst() {
        // Given
        ObservedRecord third = observed(Side.WEBCRM, Flow.PERSONS, "3", null, at(3));
        ObservedRecord first = observed(Side.CUSTOMCRM, Flow.PERSONS, "c-1", null, at(1));
        ObservedRecord second = observed(Side.WEBCRM, Flow.PERSONS, "2", null, at(2))
                .with(RecordStatus.WAITING, "parent not linked", 1, null);
        ObservedRecord settled = observed(Side.WEBCRM, Flow.PERSONS, "4", null, at(0))
                .with(RecordStatus.SETTLED, null, 0, null);
        ObservedRecord dead = observed(Side.WEBCRM, Flow.PERSONS, "5", null, at(0))
                .with(RecordStatus.DEAD, "400 Bad Request", 5, null);
        ObservedRecord otherFlow = observed(Side.WEBCRM, Flow.ORGANISATIONS, "6", null, at(0));
        store.observe(List.of(third, first, second, settled, dead, otherFlow));

        // When
        List<ObservedRecord> due = store.due(Flow.PERSONS, at(10), 10);

        // Then
        assertThat(due).containsExactly(first, second, third);
    }

    @Test
    void shouldLeaveOutRecordsWhoseNextAttemptLiesAfterNow() {
        // Given
        Instant now = at(100);
        ObservedRecord later = observed(Side.WEBCRM, Flow.PRODUCTS, "later", null, at(1))
                .with(RecordStatus.DIRTY, "503 from Customcrm", 2, now.plusNanos(1));
        ObservedRecord exactlyNow = observed(Side.WEBCRM, Flow.PRODUCTS, "now", null, at(2))
                .with(RecordStatus.DIRTY, "503 from Customcrm", 2, now);
        ObservedRecord earlier = observed(Side.WEBCRM, Flow.PRODUCTS, "earlier", null, at(3))
                .with(RecordStatus.WAITING, "parent not linked", 1, now.minusSeconds(1));
        ObservedRecord atOnce = observed(Side.WEBCRM, Flow.PRODUCTS, "at-once", null, at(4));
        store.observe(List.of(later, exactlyNow, earlier, atOnce));

        // When
        List<ObservedRecord> due = store.due(Flow.PRODUCTS, now, 10);

        // Then
        assertThat(due).extracting(ObservedRecord::id).containsExactly("now", "earlier", "at-once");
    }

    @Test
    void shouldMakeRecordsThatWaitOutABackoffDueAtOnceKeepingTheirAttempts() {
        // Given
        Instant now = at(100);
        ObservedRecord backedOff = observed(Side.WEBCRM, Flow.PRODUCTS, "later", null, at(1))
                .with(RecordStatus.DIRTY, "503 from Customcrm", 2, now.plusSeconds(60));
        ObservedRecord waitingForParent = observed(Side.WEBCRM, Flow.PRODUCTS, "child", null, at(2))
                .with(RecordStatus.WAITING, "waits for Organisation 7", 1, now.plusSeconds(60));
        store.observe(List.of(backedOff, waitingForParent));

        // When
        int made = store.retryNow();

        // Then only the failed write is due now, still on its second attempt
        assertThat(made).isEqualTo(1);
        assertThat(store.due(Flow.PRODUCTS, now, 10)).extracting(ObservedRecord::id).containsExactly("later");
        assertThat(store.observed(Flow.PRODUCTS, Side.WEBCRM, "later")).hasValueSatisfying(r -> {
            assertThat(r.attempts()).isEqualTo(2);
            assertThat(r.nextAttemptAt()).isNull();
        });
    }

    @Test
    void shouldReturnAtMostLimitDueRecords() {
        // Given
        List<ObservedRecord> records = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            records.add(observed(Side.CUSTOMCRM, Flow.ORGANISATIONS, "c-" + i, null, at(i)));
        }
        store.observe(records);

        // When
        List<ObservedRecord> due = store.due(Flow.ORGANISATIONS, at(100), 3);

        // Then
        assertThat(due).extracting(ObservedRecord::id).containsExactly("c-0", "c-1", "c-2");
        assertThat(store.due(Flow.ORGANISATIONS, at(100), 0)).isEmpty();
    }

    @Test
    void shouldFindRecordsByMatchKeyButNotDeletedOnes() {
        // Given
        ObservedRecord one = observed(Side.WEBCRM, Flow.ORGANISATIONS, "1", "DK123", at(0));
        ObservedRecord two = observed(Side.WEBCRM, Flow.ORGANISATIONS, "2", "DK123", at(1))
                .with(RecordStatus.SETTLED, null, 0, null);
        ObservedRecord deleted = ObservedRecord.dirty(
                new SideRecord(Side.WEBCRM, Flow.ORGANISATIONS, "3", Map.of(), at(2), true), "DK123", null, at(2));
        ObservedRecord otherSide = observed(Side.CUSTOMCRM, Flow.ORGANISATIONS, "c-1", "DK123", at(0));
        ObservedRecord otherKey = observed(Side.WEBCRM, Flow.ORGANISATIONS, "4", "DK999", at(0));
        store.observe(List.of(one, two, deleted, otherSide, otherKey));

        // When
        List<ObservedRecord> matches = store.byMatchKey(Flow.ORGANISATIONS, Side.WEBCRM, "DK123");

        // Then
        assertThat(matches).containsExactlyInAnyOrder(one, two);
        assertThat(store.byMatchKey(Flow.PERSONS, Side.WEBCRM, "DK123")).isEmpty();
    }

    @Test
    void shouldFindRecordsByManyMatchKeysAtOnceButNotDeletedOnes() {
        // Given
        ObservedRecord one = observed(Side.WEBCRM, Flow.ORGANISATIONS, "1", "DK123", at(0));
        ObservedRecord two = observed(Side.WEBCRM, Flow.ORGANISATIONS, "2", "DK123", at(1));
        ObservedRecord deleted = ObservedRecord.dirty(
                new SideRecord(Side.WEBCRM, Flow.ORGANISATIONS, "3", Map.of(), at(2), true), "DK777", null, at(2));
        ObservedRecord otherSide = observed(Side.CUSTOMCRM, Flow.ORGANISATIONS, "c-1", "DK123", at(0));
        ObservedRecord otherKey = observed(Side.WEBCRM, Flow.ORGANISATIONS, "4", "DK999", at(0));
        store.observe(List.of(one, two, deleted, otherSide, otherKey));

        // When
        Map<String, List<ObservedRecord>> matches = store.byMatchKeys(Flow.ORGANISATIONS, Side.WEBCRM,
                List.of("DK123", "DK777", "DK999", "DK000"));

        // Then
        assertThat(matches).containsOnlyKeys("DK123", "DK999");
        assertThat(matches.get("DK123")).containsExactly(one, two);
        assertThat(matches.get("DK999")).containsExactly(otherKey);
        assertThat(store.byMatchKeys(Flow.ORGANISATIONS, Side.WEBCRM, List.of())).isEmpty();
    }

    @Test
    void shouldFindTheLinksOfManyRecordsAtOnce() {
        // Given
        Link first = link("L-1", Flow.ORGANISATIONS, "101", "c-1");
        Link second = link("L-2", Flow.ORGANISATIONS, "102", "c-2");
        store.saveLink(first);
        store.saveLink(second);
        store.saveLink(link("L-3", Flow.PERSONS, "101", "c-3"));

        // When
        Map<String, Link> byWebcrm = store.linksOf(Flow.ORGANISATIONS, Side.WEBCRM, List.of("101", "102", "103"));
        Map<String, Link> byCustomcrm = store.linksOf(Flow.ORGANISATIONS, Side.CUSTOMCRM, List.of("c-2", "101"));

        // Then
        assertThat(byWebcrm).containsOnlyKeys("101", "102").containsEntry("101", first);
        assertThat(byCustomcrm).containsOnlyKeys("c-2").containsEntry("c-2", second);
    }

    @Test
    void shouldListTheIdsOfNonDeletedRecordsOfOneSide() {
        // Given
        store.observe(List.of(
                observed(Side.WEBCRM, Flow.PERSONS, "2", null, at(0)),
                observed(Side.WEBCRM, Flow.PERSONS, "1", null, at(0)),
                ObservedRecord.dirty(SideRecord.deletion(Side.WEBCRM, Flow.PERSONS, "3", at(0)), null, null,
                        at(0)),
                observed(Side.CUSTOMCRM, Flow.PERSONS, "c-1", null, at(0)),
                observed(Side.WEBCRM, Flow.ORGANISATIONS, "9", null, at(0))));

        // When
        List<String> ids = store.observedIds(Flow.PERSONS, Side.WEBCRM);

        // Then
        assertThat(ids).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void shouldListDeadLettersAcrossFlows() {
        // Given
        ObservedRecord deadPerson = observed(Side.WEBCRM, Flow.PERSONS, "1", null, at(1))
                .with(RecordStatus.DEAD, "PersonLastName is mandatory", 5, null);
        ObservedRecord deadProduct = observed(Side.CUSTOMCRM, Flow.PRODUCTS, "p-1", null, at(2))
                .with(RecordStatus.DEAD, "422 price must be >= 0", 5, null);
        store.observe(List.of(deadProduct, deadPerson,
                observed(Side.WEBCRM, Flow.PERSONS, "2", null, at(0))));

        // When
        List<ObservedRecord> dead = store.withStatus(RecordStatus.DEAD);

        // Then
        assertThat(dead).containsExactly(deadPerson, deadProduct);
        assertThat(store.withStatus(RecordStatus.SETTLED)).isEmpty();
        assertThat(store.countWithStatus(RecordStatus.DEAD)).containsOnly(Map.entry(Flow.PERSONS, 1L),
                Map.entry(Flow.PRODUCTS, 1L));
        assertThat(store.countWithStatus(RecordStatus.DIRTY)).containsOnly(Map.entry(Flow.PERSONS, 1L));
        assertThat(store.countWithStatus(RecordStatus.SETTLED)).isEmpty();
    }

    // ---------------------------------------------------------------- cursors

    @Test
    void shouldHaveNoCursorBeforeTheFirstRead() {
        // When / Then
        assertThat(store.cursor(Flow.ORGANISATIONS, Side.WEBCRM)).isEmpty();
    }

    @Test
    void shouldMoveEachCursorOnItsOwn() {
        // Given
        store.saveCursor(Flow.ORGANISATIONS, Side.WEBCRM, "2025-03-01 09:00:00");
        store.saveCursor(Flow.ORGANISATIONS, Side.CUSTOMCRM, "opaque-17");
        store.saveCursor(Flow.PERSONS, Side.WEBCRM, "2025-02-01 00:00:00");

        // When
        store.saveCursor(Flow.ORGANISATIONS, Side.WEBCRM, "2025-03-01 10:00:00");

        // Then
        assertThat(store.cursor(Flow.ORGANISATIONS, Side.WEBCRM)).contains("2025-03-01 10:00:00");
        assertThat(store.cursor(Flow.ORGANISATIONS, Side.CUSTOMCRM)).contains("opaque-17");
        assertThat(store.cursor(Flow.PERSONS, Side.WEBCRM)).contains("2025-02-01 00:00:00");
        assertThat(store.cursor(Flow.PERSONS, Side.CUSTOMCRM)).isEmpty();
    }

    // ---------------------------------------------------------------- claims

    @Test
    void shouldGrowTheEpochAtEveryClaim() {
        assertThat(store.claim("node-a", T0)).isEqualTo(1);
        assertThat(store.claim("node-b", at(1))).isEqualTo(2);
        assertThat(store.claim("node-a", at(2))).isEqualTo(3);
    }

    @Test
    void shouldRefuseEveryWriteOfAStoreFencedWithAnEpochThatWasTakenOverAndWriteNothingOfIt() {
        // Given node A synced under epoch 1, then node B took the claim over
        store.fenceWith(store.claim("node-a", T0));
        store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));
        Store nodeB = openStore();
        try {
            long epochB = nodeB.claim("node-b", at(1));
            nodeB.fenceWith(epochB);

            // When A writes again, alone and in a transaction
            // Then the database refuses both, and nothing of them lands
            assertThatThrownBy(() -> store.saveLink(link("L-2", Flow.ORGANISATIONS, "102", "c-2")))
                    .isInstanceOf(StaleClaimException.class)
                    .hasMessageContaining("now epoch 2").hasMessageContaining("holds epoch 1");
            assertThatThrownBy(() -> store.inTransaction(() -> {
                store.saveCursor(Flow.ORGANISATIONS, Side.WEBCRM, "stale");
                store.addIntent(new CreateIntent("L-1", Flow.ORGANISATIONS, Side.CUSTOMCRM, at(2)));
                return null;
            })).isInstanceOf(StaleClaimException.class);
            assertThat(nodeB.link("L-2")).isEmpty();
            assertThat(nodeB.cursor(Flow.ORGANISATIONS, Side.WEBCRM)).isEmpty();
            assertThat(nodeB.intents()).isEmpty();
            // and B, the claim's holder, writes as usual; A may still read
            nodeB.saveLink(link("L-3", Flow.ORGANISATIONS, "103", "c-3"));
            assertThat(store.link("L-3")).isPresent();
        } finally {
            nodeB.close();
        }
    }

    // ---------------------------------------------------------------- outbox

    @Test
    void shouldListIntentsOldestFirstUntilTheyAreRemoved() {
        // Given
        store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", null));
        store.saveLink(link("L-2", Flow.PERSONS, null, "c-2"));
        CreateIntent later = new CreateIntent("L-1", Flow.ORGANISATIONS, Side.CUSTOMCRM, at(2));
        CreateIntent earlier = new CreateIntent("L-2", Flow.PERSONS, Side.WEBCRM, at(1));
        store.addIntent(later);
        store.addIntent(earlier);

        // When
        List<CreateIntent> before = store.intents();
        store.removeIntent("L-2", Side.WEBCRM);
        store.removeIntent("L-1", Side.WEBCRM);

        // Then
        assertThat(before).containsExactly(earlier, later);
        assertThat(store.intents()).containsExactly(later);
    }

    @Test
    void shouldKeepTheFirstIntentWhenTheSameCreateIsWrittenAgain() {
        // Given
        store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", null));
        CreateIntent first = new CreateIntent("L-1", Flow.ORGANISATIONS, Side.CUSTOMCRM, at(1));
        store.addIntent(first);

        // When
        store.addIntent(new CreateIntent("L-1", Flow.ORGANISATIONS, Side.CUSTOMCRM, at(5)));

        // Then
        assertThat(store.intents()).containsExactly(first);
    }

    @Test
    void shouldKeepTheLatestPendingUpdateOfEachLinkPerFlowUntilItIsRemoved() {
        // Given updates sent for two product links and one organisation link, the first product link twice
        FieldValues newer = FieldValues.of(Map.of("name", "Forklift", "price", new BigDecimal("39990")));
        store.addPendingUpdates(List.of(
                new PendingUpdate("L-1", Flow.PRODUCTS, Set.of(Side.WEBCRM), BASE, at(1)),
                new PendingUpdate("L-2", Flow.PRODUCTS, Set.of(Side.WEBCRM, Side.CUSTOMCRM), BASE, at(1)),
                new PendingUpdate("L-3", Flow.ORGANISATIONS, Set.of(Side.CUSTOMCRM), BASE, at(1))));
        PendingUpdate latest = new PendingUpdate("L-1", Flow.PRODUCTS, Set.of(Side.CUSTOMCRM), newer, at(2));
        store.addPendingUpdates(List.of(latest));

        // When
        Map<String, PendingUpdate> before = store.pendingUpdates(Flow.PRODUCTS);
        store.removePendingUpdates(List.of("L-1", "L-unknown"));

        // Then
        assertThat(before).containsOnlyKeys("L-1", "L-2");
        assertThat(before.get("L-1")).isEqualTo(latest);
        assertThat(before.get("L-2").targets()).containsExactlyInAnyOrder(Side.WEBCRM, Side.CUSTOMCRM);
        assertThat(before.get("L-2").values()).isEqualTo(BASE);
        assertThat(store.pendingUpdates(Flow.PRODUCTS)).containsOnlyKeys("L-2");
        assertThat(store.pendingUpdates(Flow.ORGANISATIONS)).containsOnlyKeys("L-3");
    }

    @Test
    void shouldRefuseAnIntentForALinkThatDoesNotExist() {
        // When / Then
        assertThatThrownBy(() -> store.addIntent(
                new CreateIntent("L-nowhere", Flow.ORGANISATIONS, Side.CUSTOMCRM, T0)))
                .isInstanceOf(RuntimeException.class);
        assertThat(store.intents()).isEmpty();
    }

    @Test
    void shouldAcceptAnIntentWrittenBeforeItsLinkInOneTransaction() {
        // Given
        CreateIntent intent = new CreateIntent("L-1", Flow.ORGANISATIONS, Side.CUSTOMCRM, T0);

        // When: the order inside a transaction is free; only the end state must hold together
        store.inTransaction(() -> {
            store.addIntent(intent);
            store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", null).with(BASE, LinkState.PENDING, T0));
            return null;
        });

        // Then
        assertThat(store.intents()).containsExactly(intent);
    }

    // ---------------------------------------------------------------- conflicts

    private void givenProductLinks() {
        store.saveLink(link("L-1", Flow.PRODUCTS, "1", "p-1"));
        store.saveLink(link("L-2", Flow.PRODUCTS, "2", "p-2"));
        store.saveLink(link("L-3", Flow.PRODUCTS, "3", "p-3"));
    }

    @Test
    void shouldGiveBackAConflictExactly() {
        // Given
        givenProductLinks();
        Conflict open = conflict("X-1", "L-1", at(1), null);

        // When
        store.saveConflict(open);

        // Then
        Conflict read = store.conflicts(false).getFirst();
        assertThat(read).isEqualTo(open);
        assertThat((BigDecimal) read.fields().getFirst().base()).hasScaleOf(2);
        assertThat(read.fields().get(1).webcrm()).isEqualTo(new Ref(Flow.ORGANISATIONS, "L-a:b"));
    }

    @Test
    void shouldReplaceAConflictWithTheSameIdAndCloseIt() {
        // Given
        givenProductLinks();
        store.saveConflict(conflict("X-1", "L-1", at(1), null));
        Conflict settled = conflict("X-1", "L-1", at(1), at(50));

        // When
        store.saveConflict(settled);

        // Then
        assertThat(store.conflicts(false)).containsExactly(settled);
        assertThat(store.conflicts(true)).isEmpty();
        assertThat(store.openConflictOf("L-1")).isEmpty();
    }

    @Test
    void shouldListConflictsNewestFirstAndOpenOnesOnRequest() {
        // Given
        givenProductLinks();
        Conflict oldSettled = conflict("X-1", "L-1", at(1), at(2));
        Conflict newestOpen = conflict("X-3", "L-3", at(30), null);
        Conflict middleOpen = conflict("X-2", "L-2", at(20), null);
        store.saveConflict(oldSettled);
        store.saveConflict(newestOpen);
        store.saveConflict(middleOpen);

        // When / Then
        assertThat(store.conflicts(false)).containsExactly(newestOpen, middleOpen, oldSettled);
        assertThat(store.conflicts(true)).containsExactly(newestOpen, middleOpen);
        assertThat(store.countOpenConflicts()).containsOnly(Map.entry(Flow.PRODUCTS, 2L));
    }

    @Test
    void shouldFindTheOpenConflictOfALink() {
        // Given
        givenProductLinks();
        Conflict settled = conflict("X-1", "L-1", at(1), at(2));
        Conflict open = conflict("X-2", "L-1", at(3), null);
        store.saveConflict(settled);
        store.saveConflict(open);
        store.saveConflict(conflict("X-3", "L-2", at(4), null));

        // When / Then
        assertThat(store.openConflictOf("L-1")).contains(open);
        assertThat(store.openConflictOf("L-3")).isEmpty();
    }

    @Test
    void shouldKeepAConflictWithoutValuesOrPolicy() {
        // Given
        givenProductLinks();
        Conflict bare = new Conflict("X-9", Flow.PRODUCTS, "L-1", List.of(), null, null, null, at(1), null, null);

        // When
        store.saveConflict(bare);

        // Then
        assertThat(store.openConflictOf("L-1")).contains(bare);
    }

    // ---------------------------------------------------------------- held removals

    private static HeldRemoval held(Flow flow, String linkId, int second) {
        return new HeldRemoval(flow, linkId, Side.CUSTOMCRM, "c-" + linkId, "delete webCRM Product " + linkId,
                at(second), false);
    }

    @Test
    void shouldReplaceAFlowsHeldRemovalsKeepingWhenEachWasFirstHeldAndWhetherItWasAccepted() {
        // Given two product removals held, one accepted, and an organisation removal
        store.holdRemovals(Flow.PRODUCTS, List.of(held(Flow.PRODUCTS, "L-1", 0), held(Flow.PRODUCTS, "L-2", 0)));
        store.holdRemovals(Flow.ORGANISATIONS, List.of(held(Flow.ORGANISATIONS, "L-9", 0)));
        assertThat(store.acceptHeldRemovals(Flow.PRODUCTS)).extracting(HeldRemoval::linkId)
                .containsExactly("L-1", "L-2");
        store.holdRemovals(Flow.PRODUCTS, List.of(held(Flow.PRODUCTS, "L-1", 0)));

        // When the breaker holds L-1 again, and L-3 for the first time, later; L-2 is no longer held
        store.holdRemovals(Flow.PRODUCTS, List.of(held(Flow.PRODUCTS, "L-1", 60), held(Flow.PRODUCTS, "L-3", 60)));
        reopen();

        // Then L-1 keeps its first time and its accept, L-3 is new, L-2 is gone, other flows are untouched
        assertThat(store.heldRemovals(Flow.PRODUCTS)).containsExactly(
                new HeldRemoval(Flow.PRODUCTS, "L-1", Side.CUSTOMCRM, "c-L-1", "delete webCRM Product L-1", at(0),
                        true),
                held(Flow.PRODUCTS, "L-3", 60));
        assertThat(store.heldRemovals(null)).extracting(HeldRemoval::linkId).containsExactly("L-9", "L-1", "L-3");

        // When the flow holds nothing any more
        store.holdRemovals(Flow.PRODUCTS, List.of());

        // Then
        assertThat(store.heldRemovals(Flow.PRODUCTS)).isEmpty();
        assertThat(store.heldRemovals(null)).extracting(HeldRemoval::linkId).containsExactly("L-9");
    }

    // ---------------------------------------------------------------- history

    @Test
    void shouldCountHistoryEntriesOfSomeActionsSinceAnInstant() {
        // Given
        store.saveLink(link("L-1", Flow.PRODUCTS, "101", "c-1"));
        store.saveLink(link("L-2", Flow.PRODUCTS, "102", "c-2"));
        store.saveLink(link("L-3", Flow.ORGANISATIONS, "103", "c-3"));
        store.appendHistory(new HistoryEntry("L-1", Flow.PRODUCTS, at(0), null, "deleted", null, Map.of()));
        store.appendHistory(new HistoryEntry("L-2", Flow.PRODUCTS, at(10), null, "retired", null, Map.of()));
        store.appendHistory(new HistoryEntry("L-2", Flow.PRODUCTS, at(20), null, "updated", null, Map.of()));
        store.appendHistory(new HistoryEntry("L-3", Flow.ORGANISATIONS, at(30), null, "deleted", null, Map.of()));

        // When / Then
        Set<String> removals = Set.of("deleted", "retired");
        assertThat(store.countHistory(Flow.PRODUCTS, removals, at(0))).isEqualTo(2);
        assertThat(store.countHistory(Flow.PRODUCTS, removals, at(1))).isEqualTo(1);
        assertThat(store.countHistory(Flow.PRODUCTS, removals, at(11))).isZero();
        assertThat(store.countHistory(Flow.ORGANISATIONS, removals, at(0))).isEqualTo(1);
        assertThat(store.countHistory(Flow.PRODUCTS, Set.of(), at(0))).isZero();
    }

    @Test
    void shouldGiveBackALinksHistoryOldestFirst() {
        // Given: three entries at the same instant, so only the order of appending tells them apart
        store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));
        store.saveLink(link("L-2", Flow.ORGANISATIONS, "102", "c-2"));
        HistoryEntry linked = new HistoryEntry("L-1", Flow.ORGANISATIONS, T0, null, "linked",
                "matched on VAT number DK123", Map.of());
        HistoryEntry updated = history("L-1", "updated", Map.of(
                "price", new HistoryEntry.Change(new BigDecimal("12.50"), new BigDecimal("13")),
                "name", new HistoryEntry.Change(null, "Acme"),
                "customer", new HistoryEntry.Change(new Ref(Flow.ORGANISATIONS, "L-0"), null),
                "founded", new HistoryEntry.Change(LocalDate.of(2000, 1, 1), LocalDate.of(2000, 1, 2)),
                "active", new HistoryEntry.Change(true, false),
                "year", new HistoryEntry.Change(1999L, 2000L)));
        HistoryEntry other = history("L-2", "created", Map.of());
        HistoryEntry deleted = history("L-1", "deleted", Map.of());

        // When
        store.appendHistory(linked);
        store.appendHistory(updated);
        store.appendHistory(other);
        store.appendHistory(deleted);

        // Then
        assertThat(store.history("L-1")).containsExactly(linked, updated, deleted);
        assertThat(store.history("L-2")).containsExactly(other);
        assertThat(store.history("L-3")).isEmpty();
        Object before = store.history("L-1").get(1).changes().get("price").before();
        assertThat((BigDecimal) before).hasScaleOf(2);
    }

    @Test
    void shouldGiveTheNewestHistoryAcrossLinksFirst() {
        // Given
        store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));
        store.saveLink(link("L-2", Flow.PERSONS, "201", "c-2"));
        HistoryEntry first = new HistoryEntry("L-1", Flow.ORGANISATIONS, at(1), Side.WEBCRM, "linked", null, Map.of());
        HistoryEntry second = new HistoryEntry("L-2", Flow.PERSONS, at(2), Side.CUSTOMCRM, "created", null, Map.of());
        HistoryEntry third = new HistoryEntry("L-1", Flow.ORGANISATIONS, at(3), null, "updated", null, Map.of());
        store.appendHistory(first);
        store.appendHistory(second);
        store.appendHistory(third);

        // When / Then
        assertThat(store.recentHistory(null, 10)).containsExactly(third, second, first);
        assertThat(store.recentHistory(null, 2)).containsExactly(third, second);
        assertThat(store.recentHistory(Flow.PERSONS, 10)).containsExactly(second);
    }

    @Test
    void shouldFindLinksByAnyIdOrAPartOfAValueButNotByAPropertyName() {
        // Given
        store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));
        store.saveLink(link("L-2", Flow.PERSONS, "201", "c-2"));
        store.saveLink(link("L-3", Flow.PERSONS, "202", null));
        store.observe(List.of(
                ObservedRecord.dirty(record(Side.WEBCRM, Flow.ORGANISATIONS, "101",
                        Map.of("OrganisationName", "Nordlys Tømrer ApS")), null, null, T0),
                ObservedRecord.dirty(record(Side.CUSTOMCRM, Flow.PERSONS, "c-2",
                        Map.of("email", "Ida.Holm@example.dk", "name", "Ida Holm")), null, null, T0),
                ObservedRecord.dirty(record(Side.WEBCRM, Flow.PERSONS, "202",
                        Map.of("PersonEmail", "100%_sure@example.dk")), null, null, T0)));

        // When / Then
        assertThat(store.searchLinks(null, "tømrer", 0, 10)).extracting(Link::id).containsExactly("L-1");
        assertThat(store.searchLinks(null, "ida.holm@", 0, 10)).extracting(Link::id).containsExactly("L-2");
        assertThat(store.searchLinks(null, "c-2", 0, 10)).extracting(Link::id).containsExactly("L-2");
        assertThat(store.searchLinks(null, "L-3", 0, 10)).extracting(Link::id).containsExactly("L-3");
        assertThat(store.searchLinks(null, "100%_", 0, 10)).extracting(Link::id).containsExactly("L-3");
        assertThat(store.searchLinks(null, "0%x", 0, 10)).as("% is no wildcard").isEmpty();
        assertThat(store.searchLinks(null, "OrganisationName", 0, 10)).as("a property name is no value").isEmpty();
        assertThat(store.searchLinks(Flow.ORGANISATIONS, "example.dk", 0, 10)).isEmpty();
        assertThat(store.searchLinks(Flow.PERSONS, "example.dk", 0, 10)).extracting(Link::id)
                .containsExactly("L-2", "L-3");
        assertThat(store.searchLinks(Flow.PERSONS, "example.dk", 1, 10)).extracting(Link::id).containsExactly("L-3");
        assertThat(store.searchLinks(null, " ", 0, 10)).extracting(Link::id).containsExactly("L-1", "L-2", "L-3");
    }

    @Test
    void shouldKeepTheCycleLogAcrossARestartAndForgetOldCycles() {
        // Given
        CycleLog old = new CycleLog(Flow.ORGANISATIONS, at(0), at(1), "start", true, 10, 4, 0,
                Duration.ofMillis(1500), null);
        CycleLog recent = new CycleLog(Flow.PERSONS, at(60), at(61), "hook", false, 2, 0, 1, null,
                "Customcrm did not answer");
        store.appendCycle(old);
        store.appendCycle(recent);

        // When
        reopen();

        // Then
        assertThat(store.cycles(at(0))).containsExactly(old, recent);
        assertThat(store.cycles(at(30))).containsExactly(recent);
        store.pruneCycles(at(30));
        assertThat(store.cycles(at(-100))).containsExactly(recent);
    }

    // ---------------------------------------------------------------- transactions

    @Test
    void shouldCommitEveryWriteOfTheWorkAndReturnItsResult() {
        // When
        String result = store.inTransaction(() -> {
            store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", null));
            store.addIntent(new CreateIntent("L-1", Flow.ORGANISATIONS, Side.CUSTOMCRM, T0));
            store.saveCursor(Flow.ORGANISATIONS, Side.WEBCRM, "c1");
            return "done";
        });

        // Then
        assertThat(result).isEqualTo("done");
        assertThat(store.link("L-1")).isPresent();
        assertThat(store.intents()).hasSize(1);
        assertThat(store.cursor(Flow.ORGANISATIONS, Side.WEBCRM)).contains("c1");
    }

    @Test
    void shouldSeeItsOwnWritesInsideTheWork() {
        // When
        long seen = store.inTransaction(() -> {
            store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));
            return store.countLinks(null, null);
        });

        // Then
        assertThat(seen).isEqualTo(1);
    }

    @Test
    void shouldLeaveNoTraceOfAnyWriteWhenTheWorkThrows() {
        // Given
        store.saveLink(link("L-0", Flow.ORGANISATIONS, "100", "c-0"));
        store.saveCursor(Flow.ORGANISATIONS, Side.WEBCRM, "before");
        RuntimeException boom = new IllegalStateException("boom");

        // When
        assertThatThrownBy(() -> store.inTransaction(() -> {
            store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", null));
            store.saveLink(link("L-0", Flow.ORGANISATIONS, "100", "c-0").with(BASE, LinkState.RETIRED, at(1)));
            store.observe(List.of(observed(Side.WEBCRM, Flow.ORGANISATIONS, "101", "K", T0)));
            store.saveCursor(Flow.ORGANISATIONS, Side.WEBCRM, "after");
            store.addIntent(new CreateIntent("L-1", Flow.ORGANISATIONS, Side.CUSTOMCRM, T0));
            store.saveConflict(conflict("X-1", "L-0", T0, null));
            store.appendHistory(history("L-0", "retired", Map.of()));
            store.inTransaction(() -> {
                store.saveLink(link("L-2", Flow.PERSONS, "201", "c-201"));
                store.appendHistory(history("L-2", "linked", Map.of()));
                return null;
            });
            throw boom;
        })).isSameAs(boom);

        // Then
        assertThat(store.links(null, 0, 10)).extracting(Link::id).containsExactly("L-0");
        assertThat(store.link("L-0").orElseThrow().state()).isEqualTo(LinkState.ACTIVE);
        assertThat(store.observed(Flow.ORGANISATIONS, Side.WEBCRM, "101")).isEmpty();
        assertThat(store.cursor(Flow.ORGANISATIONS, Side.WEBCRM)).contains("before");
        assertThat(store.intents()).isEmpty();
        assertThat(store.conflicts(false)).isEmpty();
        assertThat(store.history("L-0")).isEmpty();
        assertThat(store.history("L-2")).isEmpty();
    }

    @Test
    void shouldRollBackEverythingWhenTheNestedWorkThrows() {
        // When
        assertThatThrownBy(() -> store.inTransaction(() -> {
            store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));
            return store.inTransaction(() -> {
                store.saveLink(link("L-2", Flow.ORGANISATIONS, "102", "c-2"));
                throw new UnsupportedOperationException("nested boom");
            });
        })).isInstanceOf(UnsupportedOperationException.class).hasMessage("nested boom");

        // Then
        assertThat(store.countLinks(null, null)).isZero();
    }

    @Test
    void shouldUndoOnlyTheNestedWritesWhenTheWorkCatchesTheirException() {
        // When
        store.inTransaction(() -> {
            store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));
            try {
                store.inTransaction(() -> {
                    store.saveLink(link("L-2", Flow.ORGANISATIONS, "102", "c-2"));
                    throw new IllegalStateException("nested boom");
                });
            } catch (IllegalStateException expected) {
                // the work decides to carry on without the nested part
            }
            store.saveCursor(Flow.ORGANISATIONS, Side.WEBCRM, "c1");
            return null;
        });

        // Then
        assertThat(store.links(null, 0, 10)).extracting(Link::id).containsExactly("L-1");
        assertThat(store.cursor(Flow.ORGANISATIONS, Side.WEBCRM)).contains("c1");
    }

    @Test
    void shouldLeaveNoHalfOfABatchWhenOneRecordOfItFails() {
        // Given: the second record cannot be stored (no store keeps instants past year 9999)
        ObservedRecord good = observed(Side.WEBCRM, Flow.ORGANISATIONS, "1", null, T0);
        ObservedRecord bad = observed(Side.WEBCRM, Flow.ORGANISATIONS, "2", null, Instant.MAX);

        // When / Then
        assertThatThrownBy(() -> store.observe(List.of(good, bad))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.observedIds(Flow.ORGANISATIONS, Side.WEBCRM)).isEmpty();
    }

    @Test
    void shouldRollBackTheWholeWorkWhenALinkClaimIsRefused() {
        // Given
        store.saveLink(link("L-0", Flow.ORGANISATIONS, "100", "c-0"));

        // When
        assertThatThrownBy(() -> store.inTransaction(() -> {
            store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));
            store.saveLink(link("L-2", Flow.ORGANISATIONS, "100", "c-2"));
            return null;
        })).isInstanceOf(IllegalStateException.class);

        // Then
        assertThat(store.links(null, 0, 10)).extracting(Link::id).containsExactly("L-0");
    }

    @Test
    void shouldKeepEveryWriteFromManyThreads() throws Exception {
        // Given
        int threads = 8;
        int linksEach = 25;
        List<Callable<Void>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(() -> {
                for (int i = 0; i < linksEach; i++) {
                    String id = "L-" + thread + "-" + i;
                    if (i % 2 == 0) {
                        store.saveLink(link(id, Flow.ORGANISATIONS, "w" + id, "c" + id));
                    } else {
                        store.inTransaction(() -> {
                            store.saveLink(link(id, Flow.ORGANISATIONS, "w" + id, "c" + id));
                            store.appendHistory(history(id, "linked", Map.of()));
                            return null;
                        });
                    }
                }
                return null;
            });
        }

        // When
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<Void> done : pool.invokeAll(writers)) {
                done.get();
            }
        }

        // Then
        assertThat(store.countLinks(Flow.ORGANISATIONS, null)).isEqualTo((long) threads * linksEach);
        assertThat(store.history("L-3-1")).hasSize(1);
    }

    // ---------------------------------------------------------------- life

    @Test
    void shouldKeepEverythingAfterClosingAndReopening() {
        // Given
        Link link = link("L-1", Flow.ORGANISATIONS, "101", "c-1");
        ObservedRecord record = observed(Side.WEBCRM, Flow.ORGANISATIONS, "101", "DK123", T0);
        CreateIntent intent = new CreateIntent("L-1", Flow.ORGANISATIONS, Side.WEBCRM, T0);
        Conflict conflict = conflict("X-1", "L-1", T0, null);
        HistoryEntry entry = history("L-1", "linked", Map.of("name", new HistoryEntry.Change(null, "Acme")));
        store.saveLink(link);
        store.observe(List.of(record));
        store.saveCursor(Flow.ORGANISATIONS, Side.WEBCRM, "2025-03-01 09:00:00");
        store.addIntent(intent);
        store.saveConflict(conflict);
        store.appendHistory(entry);

        // When
        reopen();

        // Then
        assertThat(store.link("L-1")).contains(link);
        assertThat(store.observed(Flow.ORGANISATIONS, Side.WEBCRM, "101")).contains(record);
        assertThat(store.cursor(Flow.ORGANISATIONS, Side.WEBCRM)).contains("2025-03-01 09:00:00");
        assertThat(store.intents()).containsExactly(intent);
        assertThat(store.conflicts(false)).containsExactly(conflict);
        assertThat(store.history("L-1")).containsExactly(entry);
    }

    @Test
    void shouldContinueCreationOrderAfterReopening() {
        // Given
        store.saveLink(link("L-b", Flow.ORGANISATIONS, "1", "c-1"));
        reopen();

        // When
        store.saveLink(link("L-a", Flow.ORGANISATIONS, "2", "c-2"));

        // Then
        assertThat(store.links(null, 0, 10)).extracting(Link::id).containsExactly("L-b", "L-a");
    }

    @Test
    void shouldRefuseCallsOnceClosed() {
        // When
        store.close();
        store.close();

        // Then
        assertThatThrownBy(() -> store.link("L-1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.inTransaction(() -> null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRefuseToCloseInsideATransaction() {
        // When / Then
        assertThatThrownBy(() -> store.inTransaction(() -> {
            store.close();
            return null;
        })).isInstanceOf(IllegalStateException.class);
        assertThat(store.countLinks(null, null)).isZero();
    }

    @Test
    void shouldStoreNanosecondInstantsAcrossTheWholeRange() {
        // Given
        Instant early = Instant.parse("0001-01-01T00:00:00Z");
        Instant late = Instant.parse("9999-12-31T23:59:59.999999999Z");
        store.observe(List.of(observed(Side.WEBCRM, Flow.ORGANISATIONS, "old", null, early),
                observed(Side.WEBCRM, Flow.ORGANISATIONS, "new", null, late)
                        .with(RecordStatus.DIRTY, null, 0, late)));

        // When
        List<ObservedRecord> due = store.due(Flow.ORGANISATIONS, late, 10);

        // Then
        assertThat(due).extracting(ObservedRecord::observedAt).containsExactly(early, late);
        assertThat(store.due(Flow.ORGANISATIONS, late.minus(Duration.ofNanos(1)), 10))
                .extracting(ObservedRecord::id).containsExactly("old");
    }
}
