package dev.crmsync.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.adapters.store.SqlStore;
import dev.crmsync.adapters.store.SqliteStore;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.LinkState;
import dev.crmsync.testing.CommandRun;
import dev.crmsync.testing.ServiceHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The operator's basics against a running service and both simulators, each through the management API and the
 * command line beside the service: a pause that outlasts a restart, a resync that finds an edit the change feed
 * never reported while keeping every link, and a backup of the store taken while the service writes.
 */
class OperatorBasicsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static ServiceHarness harness;

    @BeforeAll
    static void startService() {
        harness = ServiceHarness.start();
        harness.awaitFirstCycles(PATIENCE);
    }

    @AfterAll
    static void stopService() {
        harness.closeCheckingTheContract();
    }

    @Test
    void shouldKeepAPausedFlowPausedAcrossARestartUntilTheCommandLineResumesIt() {
        // Given a flow paused through the API
        harness.api("POST", "/api/flows/organisations/pause", null);
        awaitState("organisations", "paused");

        // When the service restarts
        harness.restartService();
        Instant restarted = Instant.parse(harness.status().path("startedAt").asString());
        await().atMost(PATIENCE).until(() -> startedSince(flow("persons"), restarted)
                && startedSince(flow("products"), restarted) && !flow("persons").path("state").asString()
                .equals("running"));

        // Then the other flows ran their first cycle, and the paused one did not: it would have run in that batch
        JsonNode organisations = flow("organisations");
        assertThat(organisations.path("state").asString()).isEqualTo("paused");
        assertThat(organisations.path("paused").asBoolean()).isTrue();
        assertThat(organisations.path("nextCycleAt").isNull()).isTrue();
        assertThat(startedSince(organisations, restarted)).isFalse();

        // When the command line resumes it beside the running service, a record made meanwhile syncs
        harness.webcrm().createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Resumed Lamps A/S"));
        CommandRun run = new CommandRun();
        assertThat(run.crmsync("resume", "--config", harness.configFile().toString(), "organisations"))
                .as("resume; %s", run.err()).isZero();
        assertThat(run.out()).contains("organisations resumed").contains("paused now: none");
        await().atMost(PATIENCE).until(() -> harness.api("GET", "/api/links?q=Resumed%20Lamps", null).json()
                .path("items").size() == 1);
        assertThat(flow("organisations").path("paused").asBoolean()).isFalse();
    }

    @Test
    void shouldTakeUpAPauseWrittenByTheCommandLineWhileTheServiceRuns() {
        CommandRun run = new CommandRun();
        try {
            assertThat(run.crmsync("pause", "--config", harness.configFile().toString(), "products"))
                    .as("pause; %s", run.err()).isZero();
            assertThat(run.out()).contains("products paused").contains("paused now: products");
            awaitState("products", "paused");
            assertThat(harness.api("POST", "/api/flows/products/resync", null).status()).isEqualTo(409);
            assertThat(run.crmsync("pause", "--config", harness.configFile().toString(), "deals")).isEqualTo(2);
            assertThat(run.err()).contains("unknown flow 'deals'");
        } finally {
            harness.api("POST", "/api/flows/products/resume", null);
        }
        assertThat(flow("products").path("paused").asBoolean()).isFalse();
    }

    @Test
    void shouldResyncAFlowAndOneRecordFindingEditsTheChangeFeedNeverReportedAndKeepTheLinks() {
        // Given two linked organisations changed in webCRM without their stamps moving
        List<JsonNode> links = organisationLinks();
        JsonNode first = links.get(1);
        JsonNode second = links.get(2);
        editUnreported(first, "Imported Quietly A/S");
        editUnreported(second, "Restored Quietly ApS");
        // which a cycle with a complete id reconciliation does not see
        Instant asked = Instant.now();
        assertThat(harness.api("POST", "/api/flows/organisations/sync-now", null).status()).isEqualTo(202);
        await().atMost(PATIENCE).until(() -> cycleDoneSince("organisations", asked));
        assertThat(customerName(first)).isNotEqualTo("Imported Quietly A/S");

        // When one record is resynced
        ServiceHarness.Response one = harness.api("POST", "/api/flows/organisations/resync/webcrm/"
                + first.path("webcrmId").asString(), null);

        // Then its pair is merged, and the other pair is left alone
        assertThat(one.status()).isEqualTo(202);
        assertThat(one.json().path("records").get(1).path("id").asString())
                .isEqualTo(first.path("customcrmId").asString());
        await().atMost(PATIENCE).until(() -> customerName(first).equals("Imported Quietly A/S"));
        assertThat(customerName(second)).isNotEqualTo("Restored Quietly ApS");

        // When the flow is resynced, the other edit is found too, and every link joins the same records
        ServiceHarness.Response all = harness.api("POST", "/api/flows/organisations/resync", null);
        assertThat(all.status()).isEqualTo(202);
        await().atMost(PATIENCE).until(() -> customerName(second).equals("Restored Quietly ApS"));
        assertThat(organisationLinks()).extracting(OperatorBasicsTest::pairOf)
                .containsAll(links.stream().map(OperatorBasicsTest::pairOf).toList());

        // And what cannot be resynced is said so
        assertThat(harness.api("POST", "/api/flows/organisations/resync/customcrm/no-such-customer", null).status())
                .isEqualTo(404);
        assertThat(harness.api("POST", "/api/flows/organisations/resync/webcrm/abc", null).status()).isEqualTo(400);
    }

    @Test
    void shouldBackUpTheStoreWhileTheServiceWritesAndOpenTheCopyAsAStore() throws IOException {
        // Given the service busy writing records it has just been told about
        long linkedBefore = flow("organisations").path("links").asLong();
        for (int i = 0; i < 25; i++) {
            harness.webcrm().createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Backup Load " + i));
        }
        harness.api("POST", "/api/flows/organisations/sync-now", null);

        // When the command line backs the store up meanwhile
        Path file = harness.dir().resolve("backup-" + System.nanoTime() + ".db");
        CommandRun run = new CommandRun();
        assertThat(run.crmsync("store", "backup", "--config", harness.configFile().toString(), "--to",
                file.toString())).as("backup; %s", run.err()).isZero();

        // Then the copy is a store holding at least the links there were before
        try (SqlStore copy = SqliteStore.open("jdbc:sqlite:" + file)) {
            assertThat(copy.countLinks(Flow.ORGANISATIONS, LinkState.ACTIVE)).isGreaterThanOrEqualTo(linkedBefore);
        }
        // and an existing file is not overwritten unless told
        byte[] taken = Files.readAllBytes(file);
        CommandRun again = new CommandRun();
        assertThat(again.crmsync("store", "backup", "--config", harness.configFile().toString(), "--to",
                file.toString())).isEqualTo(2);
        assertThat(again.err()).contains("exists already").contains("--force");
        assertThat(Files.readAllBytes(file)).isEqualTo(taken);

        // When the writes are done, the API's backup is a download that holds every one of them
        await().atMost(PATIENCE).until(() -> harness.api("GET", "/api/links?q=Backup%20Load&limit=100", null).json()
                .path("items").size() == 25);
        ServiceHarness.Download download = harness.download("POST", "/api/store/backup");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;");
        Files.write(file, download.body());
        try (SqlStore copy = SqliteStore.open("jdbc:sqlite:" + file)) {
            assertThat(copy.searchLinks(Flow.ORGANISATIONS, "Backup Load", 0, 100)).hasSize(25);
        }
        assertThat(again.crmsync("store", "backup", "--config", harness.configFile().toString(), "--to",
                file.toString(), "--force")).isZero();
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode flow(String name) {
        for (JsonNode f : harness.status().path("flows")) {
            if (f.path("flow").asString().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no flow " + name);
    }

    private static void awaitState(String flow, String state) {
        await().atMost(PATIENCE).until(() -> flow(flow).path("state").asString().equals(state));
    }

    private static boolean startedSince(JsonNode flow, Instant since) {
        JsonNode last = flow.path("lastCycle");
        return !last.isNull() && !Instant.parse(last.path("startedAt").asString()).isBefore(since);
    }

    private static boolean cycleDoneSince(String name, Instant since) {
        JsonNode f = flow(name);
        return startedSince(f, since) && !f.path("state").asString().equals("running");
    }

    private static List<JsonNode> organisationLinks() {
        List<JsonNode> out = new ArrayList<>();
        harness.api("GET", "/api/links?flow=organisations&limit=100", null).json().path("items").forEach(out::add);
        assertThat(out).hasSizeGreaterThanOrEqualTo(3);
        return out;
    }

    private static void editUnreported(JsonNode link, String name) {
        harness.webcrm().editUnreported(WebcrmEntity.ORGANISATION, Integer.parseInt(link.path("webcrmId").asString()),
                Map.of("OrganisationName", name));
    }

    private static String customerName(JsonNode link) {
        return harness.customcrm().record(RecordType.CUSTOMER, link.path("customcrmId").asString()).orElseThrow()
                .path("name").asString();
    }

    private static String pairOf(JsonNode link) {
        return link.path("id").asString() + " " + link.path("webcrmId").asString() + " "
                + link.path("customcrmId").asString();
    }
}
