package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.adapters.store.StoreLock;
import dev.crmsync.app.cli.Main;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.engine.SyncRun;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.scenario.LostStoreScenarioTest.Census;
import dev.crmsync.testing.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code crmsync relink} through the real command line against both simulators: the store is deleted, or an old
 * backup of it put back, between two syncs, and relink rebuilds the links from the stamps so that the next sync
 * makes no duplicate and loses no edit made in between.
 */
class RelinkCommandTest {

    private final CommandRun run = new CommandRun();

    /** Runs {@code crmsync relink} on the harness's configuration file, with more options. */
    private int relink(SyncHarness harness, String... options) {
        List<String> line = new ArrayList<>(List.of("relink", "--config", harness.configFile().toString()));
        line.addAll(List.of(options));
        return run.crmsync(line.toArray(String[]::new));
    }

    private JsonNode relinkJson(SyncHarness harness, String... options) {
        run.clear();
        List<String> line = new ArrayList<>(List.of("--json"));
        line.addAll(List.of(options));
        assertThat(relink(harness, line.toArray(String[]::new))).as("relink's exit status; %s", run.err()).isZero();
        return JsonMapper.builder().build().readTree(run.out());
    }

    private static JsonNode flow(JsonNode relink, Flow flow) {
        for (JsonNode f : relink.path("flows")) {
            if (f.path("flow").asString().equals(flow.configName())) {
                return f;
            }
        }
        throw new AssertionError("no " + flow.configName() + " in " + relink);
    }

    /** What relink did with the pair of those two records. */
    private static String outcome(JsonNode flow, String webcrmId, String customcrmId) {
        for (JsonNode pair : flow.path("pairs")) {
            if (pair.path("webcrmId").asString().equals(webcrmId) && pair.path("customcrmId").asString()
                    .equals(customcrmId)) {
                return pair.path("outcome").asString();
            }
        }
        throw new AssertionError("no pair of " + webcrmId + " and " + customcrmId + " in " + flow);
    }

    /** Every link the store holds, as flow, webCRM id, Customcrm id and state. */
    private static Set<String> pairs(SyncHarness harness) {
        Set<String> out = new TreeSet<>();
        harness.store(s -> s.links(null, 0, Integer.MAX_VALUE)).forEach(l -> out.add(l.flow().configName() + " "
                + l.webcrmId() + " " + l.customcrmId() + " " + l.state()));
        return out;
    }

    private static Link link(SyncHarness harness, Flow flow, Side side, String id) {
        return harness.link(flow, side, id).orElseThrow(() -> new AssertionError(flow + " " + side + " " + id
                + " is not linked"));
    }

    @Test
    void shouldRebuildEveryLinkAfterTheStoreIsLostSoThatTheNextSyncDuplicatesNothingAndCarriesTheEditsMadeSince() {
        try (SyncHarness harness = LostStoreScenarioTest.seededWorld()) {
            // Given a synced world, whose store is then lost
            harness.sync();
            Census synced = Census.of(harness);
            Set<String> linked = pairs(harness);
            // (webCRM organisation 1 and product 1 were created on Customcrm from webCRM; Customcrm contact con_2
            // and product prd_1 were created on webCRM from Customcrm)
            String customer = link(harness, Flow.ORGANISATIONS, Side.WEBCRM, "1").customcrmId();
            String customcrmProduct = link(harness, Flow.PRODUCTS, Side.WEBCRM, "1").customcrmId();
            int person = Integer.parseInt(link(harness, Flow.PERSONS, Side.CUSTOMCRM, "con_2").webcrmId());
            int webcrmProduct = Integer.parseInt(link(harness, Flow.PRODUCTS, Side.CUSTOMCRM, "prd_1").webcrmId());
            harness.loseStore();

            // And users edit records on both sides while no store exists
            harness.later(Duration.ofMinutes(5));
            harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, 1, Map.of("OrganisationName", "Omdøbt A/S"));
            harness.webcrm.editAsUser(WebcrmEntity.PRODUCT, 1, Map.of("ProductComment", "Edited in webCRM"));
            harness.customcrm.editAsUser(RecordType.CONTACT, "con_2", Map.of("job_title", "Edited in Customcrm"));
            harness.customcrm.editAsUser(RecordType.PRODUCT, "prd_1", Map.of("description", "Edited in Customcrm"));
            harness.later(Duration.ofMinutes(5));

            // When relink runs, then a sync
            JsonNode relinked = relinkJson(harness);
            long linksAfterRelink = harness.store(s -> s.countLinks(null, null));
            SyncRun.Result result = harness.sync();

            // Then relink added every pair crmsync had made by a create, the edited ones to be merged
            JsonNode products = flow(relinked, Flow.PRODUCTS);
            assertThat(products.path("found").asInt()).isEqualTo(8);
            assertThat(products.path("added").asInt()).isEqualTo(8);
            // (to merge: the two edited, and the two of the company linked by VAT number, which has no stamp and
            // which the next sync links again by its VAT number before their references can be compared)
            assertThat(products.path("toMerge").asInt()).isEqualTo(4);
            assertThat(outcome(products, "1", customcrmProduct)).isEqualTo("added-to-merge");
            assertThat(outcome(products, "" + webcrmProduct, "prd_1")).isEqualTo("added-to-merge");
            assertThat(products.path("kept").asInt()).isZero();
            assertThat(products.path("webcrmOnly")).isEmpty();
            assertThat(products.path("customcrmOnly")).isEmpty();
            assertThat(flow(relinked, Flow.ORGANISATIONS).path("added").asInt()).as("all but the one linked by VAT")
                    .isEqualTo(4);
            assertThat(flow(relinked, Flow.PERSONS).path("added").asInt()).as("all but the two linked by e-mail")
                    .isEqualTo(8);
            assertThat(linksAfterRelink).isEqualTo(20);
            // and the sync made no record twice and linked exactly the pairs of before
            assertThat(Census.of(harness)).isEqualTo(synced);
            assertThat(pairs(harness)).isEqualTo(linked);
            // and every edit made while the store was lost arrived on the other side, with no other write
            assertThat(result.applied().writes()).isEqualTo(4);
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, customer).orElseThrow().path("name").asString())
                    .isEqualTo("Omdøbt A/S");
            assertThat(harness.customcrm.record(RecordType.PRODUCT, customcrmProduct).orElseThrow()
                    .path("description").asString()).isEqualTo("Edited in webCRM");
            assertThat(harness.webcrm.record(WebcrmEntity.PERSON, person).orElseThrow().path("PersonTitle")
                    .asString()).isEqualTo("Edited in Customcrm");
            assertThat(harness.webcrm.record(WebcrmEntity.PRODUCT, webcrmProduct).orElseThrow()
                    .path("ProductComment").asString()).isEqualTo("Edited in Customcrm");
            harness.assertAnotherSyncWritesNothing();
        }
    }

    @Test
    void shouldKeepTheLinksOfAnOldBackupAndAddThoseMadeSinceSoThatTheNextSyncDuplicatesNothing() throws IOException {
        try (SyncHarness harness = LostStoreScenarioTest.seededWorld()) {
            // Given a synced world and a backup of its store
            harness.sync();
            Path backup = Files.createTempDirectory("crmsync-backup-").resolve("crmsync.db");
            harness.backUpStore(backup);
            long backedUpLinks = harness.store(s -> s.countLinks(null, null));

            // And, after the backup, records created and edited on both sides and synced
            harness.later(Duration.ofMinutes(5));
            harness.webcrm.createAsUser(WebcrmEntity.PRODUCT, Map.of("ProductCustom1", "Made after the backup W",
                    "ProductOrganisationId", 1));
            harness.customcrm.createAsUser(RecordType.PRODUCT, Map.of("name", "Made after the backup C"));
            harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Uden Moms ApS"));
            harness.webcrm.editAsUser(WebcrmEntity.PRODUCT, 2, Map.of("ProductComment", "Edited after the backup"));
            harness.sync();
            Census synced = Census.of(harness);
            Set<String> linked = pairs(harness);
            String product2 = link(harness, Flow.PRODUCTS, Side.WEBCRM, "2").customcrmId();

            // When the old backup is put back, relink runs, then a sync
            harness.restoreStore(backup);
            harness.later(Duration.ofMinutes(5));
            JsonNode relinked = relinkJson(harness);
            harness.sync();

            // Then relink kept the backup's links and added the three made since
            JsonNode products = flow(relinked, Flow.PRODUCTS);
            assertThat(products.path("kept").asInt()).isEqualTo(8);
            assertThat(products.path("added").asInt()).isEqualTo(2);
            assertThat(flow(relinked, Flow.ORGANISATIONS).path("added").asInt()).isEqualTo(1);
            assertThat(backedUpLinks + 3).isEqualTo(linked.size());
            // and the sync made no record twice, linked the same pairs and kept the edit made after the backup
            assertThat(Census.of(harness)).isEqualTo(synced);
            assertThat(pairs(harness)).isEqualTo(linked);
            assertThat(harness.customcrm.record(RecordType.PRODUCT, product2).orElseThrow().path("description")
                    .asString()).isEqualTo("Edited after the backup");
            assertThat(harness.webcrm.record(WebcrmEntity.PRODUCT, 2).orElseThrow().path("ProductComment")
                    .asString()).isEqualTo("Edited after the backup");
            harness.assertAnotherSyncWritesNothing();
        }
    }

    @Test
    void shouldWriteNothingOnADryRun() {
        try (SyncHarness harness = LostStoreScenarioTest.seededWorld()) {
            // Given a synced world whose store is lost
            harness.sync();
            harness.loseStore();
            long webcrmWrites = harness.writes(Side.WEBCRM);
            long customcrmWrites = harness.writes(Side.CUSTOMCRM);

            // When
            JsonNode relinked = relinkJson(harness, "--dry-run");
            run.clear();
            int text = relink(harness, "--dry-run", "--flow", "products");

            // Then it reports what it would add, and neither the store nor a system changed
            assertThat(relinked.path("dryRun").asBoolean()).isTrue();
            assertThat(flow(relinked, Flow.PRODUCTS).path("added").asInt()).isEqualTo(8);
            assertThat(flow(relinked, Flow.PERSONS).path("added").asInt()).isEqualTo(8);
            assertThat(text).isZero();
            // (products alone: their organisations and persons are not linked in the store, so the references
            // cannot be compared and all eight would be merged by the next sync)
            assertThat(run.out()).contains("Dry run: nothing was written to the store.")
                    .contains("products: 8 pair(s) stamped on both sides: 8 to add (0 in sync, 8 to merge at the "
                            + "next sync), 0 kept")
                    .doesNotContain("organisations:");
            assertThat(harness.<Long>store(s -> s.countLinks(null, null))).isZero();
            assertThat(harness.<Long>store(s -> (long) s.observedIds(Flow.PRODUCTS, Side.WEBCRM).size())).isZero();
            assertThat(harness.writes(Side.WEBCRM)).isEqualTo(webcrmWrites);
            assertThat(harness.writes(Side.CUSTOMCRM)).isEqualTo(customcrmWrites);
        }
    }

    @Test
    void shouldListTheRecordsStampedOnOneSideOnlyAndLeaveThemAlone() {
        try (SyncHarness harness = LostStoreScenarioTest.seededWorld()) {
            // Given a synced world whose store is lost, and then a product deleted on each side
            harness.sync();
            int webcrmPartnerOfPrd1 = Integer.parseInt(link(harness, Flow.PRODUCTS, Side.CUSTOMCRM, "prd_1")
                    .webcrmId());
            String customcrmPartnerOf1 = link(harness, Flow.PRODUCTS, Side.WEBCRM, "1").customcrmId();
            harness.loseStore();
            harness.customcrm.deleteAsUser(RecordType.PRODUCT, "prd_1");
            harness.webcrm.deleteAsUser(WebcrmEntity.PRODUCT, 1);

            // When
            JsonNode relinked = relinkJson(harness);
            run.clear();
            int text = relink(harness, "--flow", "products");

            // Then each partner left behind is listed, not linked
            JsonNode products = flow(relinked, Flow.PRODUCTS);
            assertThat(products.path("added").asInt()).isEqualTo(6);
            assertThat(products.path("webcrmOnly")).singleElement()
                    .satisfies(u -> assertThat(u.path("id").asString()).isEqualTo("" + webcrmPartnerOfPrd1));
            assertThat(products.path("customcrmOnly")).singleElement().satisfies(u -> {
                assertThat(u.path("id").asString()).isEqualTo(customcrmPartnerOf1);
                assertThat(u.path("namesWebcrmId").asString()).isEqualTo("1");
            });
            assertThat(harness.link(Flow.PRODUCTS, Side.WEBCRM, "" + webcrmPartnerOfPrd1)).isEmpty();
            assertThat(harness.link(Flow.PRODUCTS, Side.CUSTOMCRM, customcrmPartnerOf1)).isEmpty();
            assertThat(text).isZero();
            assertThat(run.out())
                    .contains("products: 6 pair(s) stamped on both sides: 0 added (0 in sync, 0 to merge at the next "
                            + "sync), 6 kept")
                    .contains("stamped on webCRM only: webCRM Product " + webcrmPartnerOfPrd1)
                    .contains("stamped on Customcrm only: Customcrm Product " + customcrmPartnerOf1)
                    .contains("names webCRM Product 1, which is not there")
                    .contains("2 record(s) stamped on one side only were left alone");
        }
    }

    @Test
    void shouldRefuseToRunWhileAnotherCrmsyncHoldsTheStore() {
        try (SyncHarness harness = LostStoreScenarioTest.seededWorld()) {
            harness.sync();
            harness.loseStore();

            int status;
            try (StoreLock held = StoreLock.acquire(harness.config().storeUrl())) {
                status = relink(harness);
            }

            assertThat(status).isEqualTo(Main.SYSTEM_ERROR);
            assertThat(run.err()).contains("another crmsync is syncing with this store");
            assertThat(harness.<Long>store(s -> s.countLinks(null, null))).isZero();
        }
    }

    @Test
    void shouldSayWhatItDoesAndWhenToUseItInItsHelp() {
        int status = run.crmsync("relink", "--help");
        int listed = run.crmsync("--help");

        assertThat(status).isZero();
        assertThat(listed).isZero();
        assertThat(run.out()).contains("Rebuild the links between webCRM and Customcrm records from the link stamps")
                .contains("the store file was lost, or an older backup of it was put back")
                .contains("--dry-run", "--flow", "--json")
                .containsPattern("relink\\s+Rebuild the links");
    }
}
