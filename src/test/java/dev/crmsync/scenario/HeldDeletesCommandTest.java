package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.engine.SyncRun;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.ports.HeldRemoval;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.testing.CommandRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 11, delete safety: a run the delete circuit breaker holds is listed by {@code crmsync deletes} with what
 * each held delete would delete, and a person accepts it (the next sync carries out exactly those) or rejects it
 * (nothing is deleted, and it is not held again). Over real HTTP against both simulators, the commands through
 * the real command line on the harness's store and clock.
 */
class HeldDeletesCommandTest {

    private final SyncHarness harness = SyncHarness.empty();
    private final CommandRun run = new CommandRun(harness.clock);
    private final List<String> products = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();

    @BeforeEach
    void syncTenProductsThenDeleteHalfInCustomcrm() {
        // Given ten Customcrm products synced to webCRM, then five of them deleted in Customcrm
        String customer = harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund AB"))
                .path("id").asString();
        for (int i = 1; i <= 10; i++) {
            products.add(harness.customcrm.createAsUser(RecordType.PRODUCT, Map.of("customer_id", customer,
                    "name", "Forklift " + i, "price", 100 * i)).path("id").asString());
        }
        harness.sync();
        products.forEach(p -> links.add(harness.link(Flow.PRODUCTS, Side.CUSTOMCRM, p).orElseThrow()));
        harness.later(Duration.ofMinutes(5));
        products.subList(0, 5).forEach(p -> harness.customcrm.deleteAsUser(RecordType.PRODUCT, p));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private int crmsync(String... args) {
        run.clear();
        List<String> line = new ArrayList<>(List.of(args));
        line.addAll(List.of("--config", harness.configFile().toString()));
        return run.crmsync(line.toArray(String[]::new));
    }

    private int webcrmProduct(int index) {
        return Integer.parseInt(links.get(index).webcrmId());
    }

    private List<HeldRemoval> held() {
        return harness.store(s -> s.heldRemovals(null));
    }

    @Test
    void shouldExitNonZeroPointingToTheCommandThatListsWhatEachHeldDeleteWouldDelete() {
        // When the run is held
        int status = crmsync("sync", "--once");

        // Then sync says so and where to look, and deletes nothing
        assertThat(status).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("circuit breaker: products: this run would delete or retire 5 of 10")
                .contains("See them with 'crmsync deletes'");
        assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(10);

        // When the held deletes are listed
        assertThat(crmsync("deletes")).as(run.err()).isZero();

        // Then each names the deleted product, its name and the webCRM product the sync would delete
        List<String> rows = run.out().lines().filter(l -> l.startsWith("products ")).toList();
        assertThat(rows).hasSize(5);
        for (int i = 0; i < 5; i++) {
            int n = i;
            assertThat(rows).as("row of Forklift %d", n + 1).anySatisfy(row -> assertThat(row)
                    .contains(products.get(n)).contains("Forklift " + (n + 1) + " ")
                    .contains("delete webCRM Product " + webcrmProduct(n)));
        }
        assertThat(run.out()).contains("5 held delete(s)").doesNotContain("Forklift 6 ");

        // When they are listed as JSON
        assertThat(crmsync("deletes", "--json")).isZero();

        // Then in the management API's shape
        JsonNode listed = JsonMapper.builder().build().readTree(run.out());
        assertThat(listed).hasSize(5);
        JsonNode first = listed.get(0);
        int n = products.indexOf(first.path("recordId").asString());
        assertThat(n).isBetween(0, 4);
        assertThat(first.path("flow").asString()).isEqualTo("products");
        assertThat(first.path("side").asString()).isEqualTo("customcrm");
        assertThat(first.path("otherSide").asString()).isEqualTo("webcrm");
        assertThat(first.path("otherRecordId").asString()).isEqualTo(Integer.toString(webcrmProduct(n)));
        assertThat(first.path("linkId").asString()).isEqualTo(links.get(n).id());
        assertThat(first.path("title").asString()).isEqualTo("Forklift " + (n + 1));
        assertThat(first.path("wouldDo").asString()).startsWith("delete webCRM Product " + webcrmProduct(n));
        assertThat(first.path("heldAt").asString()).isEqualTo(harness.clock.instant().toString());
        assertThat(first.path("accepted").asBoolean()).isFalse();
    }

    @Test
    void shouldCarryOutExactlyTheAcceptedDeletesOnceOnTheNextSync() {
        // Given a held run
        assertThat(harness.sync().cycles().getFirst().breakerTrips()).isNotEmpty();

        // When a person accepts another flow's held deletes, then an unknown flow's
        assertThat(crmsync("deletes", "accept", "--flow", "organisations")).isZero();
        assertThat(run.out()).contains("nothing to decide");
        assertThat(held()).hasSize(5).noneMatch(HeldRemoval::accepted);
        assertThat(crmsync("deletes", "accept", "--flow", "shoes")).isEqualTo(2);
        assertThat(run.err()).contains("unknown flow 'shoes'");
        assertThat(run.printedStackTrace()).isFalse();

        // When the person accepts the products' held deletes
        assertThat(crmsync("deletes", "accept", "--flow", "products")).isZero();
        assertThat(run.out()).contains("accepted 5 held delete(s)").contains("Forklift 3 ");
        harness.later(Duration.ofMinutes(1));
        SyncRun.Result accepted = harness.sync();

        // Then exactly those five are deleted in webCRM, and nothing is held any more
        assertThat(accepted.cycles().getFirst().breakerTrips()).isEmpty();
        assertThat(accepted.applied().deletes(Side.WEBCRM)).isEqualTo(5);
        for (int i = 0; i < 10; i++) {
            assertThat(harness.webcrm.record(WebcrmEntity.PRODUCT, webcrmProduct(i)).isPresent())
                    .as("webCRM product of Forklift %d", i + 1).isEqualTo(i >= 5);
        }
        assertThat(held()).isEmpty();
        assertThat(harness.<List<HistoryEntry>>store(s -> s.history(links.get(0).id())))
                .extracting(HistoryEntry::action).contains("deleted", "delete-accepted");

        // When one more product is deleted within the hour
        harness.later(Duration.ofMinutes(1));
        harness.customcrm.deleteAsUser(RecordType.PRODUCT, products.get(5));
        SyncRun.Result next = harness.sync();

        // Then it goes through: the accepted five no longer weigh in the breaker's window
        assertThat(next.cycles().getFirst().breakerTrips()).isEmpty();
        assertThat(harness.webcrm.record(WebcrmEntity.PRODUCT, webcrmProduct(5))).isEmpty();
        assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(4);
    }

    @Test
    void shouldDeleteNothingOnRejectAndNotHoldTheRejectedDeletesAgain() {
        // Given a held run
        assertThat(harness.sync().cycles().getFirst().breakerTrips()).isNotEmpty();

        // When a person rejects the held deletes (--config before the subcommand works as well as after it)
        run.clear();
        assertThat(run.crmsync("deletes", "--config", harness.configFile().toString(), "reject")).as(run.err())
                .isZero();
        assertThat(run.out()).contains("rejected 5 held delete(s)").contains("Forklift 2 ");

        // Then nothing is deleted, the five links are retired at once, and later syncs hold nothing
        assertThat(links.subList(0, 5)).allSatisfy(link -> {
            assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.RETIRED);
            assertThat(harness.<List<HistoryEntry>>store(s -> s.history(link.id())).getLast().action())
                    .isEqualTo("delete-rejected");
        });
        assertThat(links.subList(5, 10)).allSatisfy(link ->
                assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.ACTIVE));
        for (int round = 0; round < 2; round++) {
            harness.later(Duration.ofMinutes(1));
            SyncRun.Result after = harness.sync();
            assertThat(after.cycles()).allSatisfy(c -> assertThat(c.breakerTrips()).isEmpty());
            assertThat(after.applied().deletes(Side.WEBCRM)).isZero();
        }
        assertThat(held()).isEmpty();
        assertThat(crmsync("deletes")).isZero();
        assertThat(run.out()).contains("no deletes are held");
        assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(10);

        // When a kept webCRM product is edited
        long customcrmWrites = harness.writes(Side.CUSTOMCRM);
        harness.later(Duration.ofMinutes(1));
        harness.webcrm.editAsUser(WebcrmEntity.PRODUCT, webcrmProduct(0), Map.of("ProductName", "Forklift 1 (kept)"));
        harness.sync();

        // Then it is not synced back: its pair is no longer synced, and the deleted product is not created again
        assertThat(harness.writes(Side.CUSTOMCRM)).isEqualTo(customcrmWrites);
        assertThat(harness.customcrm.count(RecordType.PRODUCT)).isEqualTo(5);
    }
}
