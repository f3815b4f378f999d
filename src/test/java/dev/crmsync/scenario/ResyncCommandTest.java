package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.adapters.store.StoreLock;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.testing.CommandRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code crmsync resync} through the real command line against both simulators: webCRM records are changed
 * behind the change feed's back (new values, old {@code UpdatedAt}, as an import that keeps the stamps would), so
 * an ordinary sync, id reconciliation and all, never sees them; a resync of the flow, or of the one record, reads
 * them again and carries them over, and every link stays as it was.
 */
class ResyncCommandTest {

    private static final String QUIET_NAME = "Quietly Renamed A/S";

    @Test
    void shouldCarryOverAnEditTheChangeFeedNeverReportedAndKeepEveryLink() {
        try (SyncHarness harness = seeded()) {
            // Given a synced pair whose webCRM side was changed without its stamp moving
            harness.sync();
            List<Link> before = organisationLinks(harness);
            Link pair = before.get(1);
            editUnreported(harness, pair, QUIET_NAME);
            harness.later(Duration.ofMinutes(1));
            harness.sync();
            assertThat(customerName(harness, pair)).as("an ordinary sync never sees the edit").isNotEqualTo(QUIET_NAME);

            // When
            CommandRun run = new CommandRun(harness.clock);
            int status = run.crmsync("resync", "--config", harness.configFile().toString(), "organisations");

            // Then the edit is carried over, and the same links join the same records
            assertThat(status).as("exit status; %s", run.err()).isZero();
            assertThat(run.out()).contains("organisations: reading every record of both systems again")
                    .contains("Customcrm 0 created, 1 updated");
            assertThat(customerName(harness, pair)).isEqualTo(QUIET_NAME);
            assertThat(organisationLinks(harness)).extracting(ResyncCommandTest::pairOf)
                    .containsExactlyElementsOf(before.stream().map(ResyncCommandTest::pairOf).toList());
            harness.assertAnotherSyncWritesNothing();
        }
    }

    @Test
    void shouldResyncOneRecordWithItsPartnerAndLeaveTheOthers() {
        try (SyncHarness harness = seeded()) {
            // Given two pairs changed behind the feed's back
            harness.sync();
            List<Link> links = organisationLinks(harness);
            Link asked = links.get(0);
            Link other = links.get(2);
            editUnreported(harness, asked, QUIET_NAME);
            editUnreported(harness, other, "Also Quietly Renamed ApS");
            harness.later(Duration.ofMinutes(1));

            // When one of them is resynced
            CommandRun run = new CommandRun(harness.clock);
            int status = run.crmsync("resync", "--config", harness.configFile().toString(), "organisations",
                    "--side", "webcrm", "--id", asked.webcrmId(), "--json");

            // Then that pair is, the other is not, and the records read are listed as the API lists them
            assertThat(status).as("exit status; %s", run.err()).isZero();
            assertThat(customerName(harness, asked)).isEqualTo(QUIET_NAME);
            assertThat(customerName(harness, other)).isNotEqualTo("Also Quietly Renamed ApS");
            JsonNode read = JsonMapper.builder().build().readTree(run.out().substring(0, run.out().indexOf("\n}") + 2));
            assertThat(read.path("flow").asString()).isEqualTo("organisations");
            assertThat(read.path("records").toString())
                    .contains("\"side\":\"webcrm\",\"id\":\"" + asked.webcrmId() + "\",\"deleted\":false")
                    .contains("\"side\":\"customcrm\",\"id\":\"" + asked.customcrmId() + "\",\"deleted\":false");
            assertThat(organisationLinks(harness)).extracting(ResyncCommandTest::pairOf)
                    .containsExactlyElementsOf(links.stream().map(ResyncCommandTest::pairOf).toList());
        }
    }

    @Test
    void shouldSayWhenNoSystemKnowsTheRecordAndRefuseAnIdWebcrmCannotHave() {
        try (SyncHarness harness = seeded()) {
            harness.sync();
            String config = harness.configFile().toString();

            CommandRun unknown = new CommandRun(harness.clock);
            assertThat(unknown.crmsync("resync", "--config", config, "persons", "--side", "customcrm", "--id",
                    "no-such-contact")).isEqualTo(1);
            assertThat(unknown.err()).contains("no Customcrm Contact no-such-contact in Customcrm or in the store");

            CommandRun malformed = new CommandRun(harness.clock);
            assertThat(malformed.crmsync("resync", "--config", config, "persons", "--side", "webcrm", "--id",
                    "1 OR 1=1")).isEqualTo(2);
            assertThat(malformed.err()).contains("is not a webCRM id");

            CommandRun half = new CommandRun(harness.clock);
            assertThat(half.crmsync("resync", "--config", config, "persons", "--id", "7")).isEqualTo(2);
            assertThat(half.err()).contains("--side and --id go together");
        }
    }

    @Test
    void shouldRefuseWhileAnotherProcessHoldsTheStoreAndNameTheWayThroughTheService() {
        try (SyncHarness harness = seeded()) {
            // Given a store that a running service holds
            harness.sync();
            List<Link> before = organisationLinks(harness);
            try (StoreLock service = StoreLock.acquire("jdbc:sqlite:" + harness.storeFile())) {
                // When
                CommandRun run = new CommandRun(harness.clock);
                int status = run.crmsync("resync", "--config", harness.configFile().toString(), "organisations");

                // Then it touches nothing and says how to resync through the service instead
                assertThat(status).as("exit status; %s", run.err()).isEqualTo(3);
                assertThat(run.err()).contains("another crmsync is syncing with this store")
                        .contains("the dashboard's Resync button, or POST /api/flows/organisations/resync");
                assertThat(run.out()).doesNotContain("reading every record");
            }
            assertThat(organisationLinks(harness)).extracting(ResyncCommandTest::pairOf)
                    .containsExactlyElementsOf(before.stream().map(ResyncCommandTest::pairOf).toList());
        }
    }

    private static SyncHarness seeded() {
        return SyncHarness.seeded(new SeedPlan(0, 4, 6, 3), new SeedPlan(2, 4, 6, 3));
    }

    private static void editUnreported(SyncHarness harness, Link pair, String name) {
        harness.webcrm.editUnreported(WebcrmEntity.ORGANISATION, Integer.parseInt(pair.webcrmId()),
                Map.of("OrganisationName", name));
    }

    private static String customerName(SyncHarness harness, Link pair) {
        return harness.customcrm.record(RecordType.CUSTOMER, pair.customcrmId()).orElseThrow().path("name")
                .asString();
    }

    private static List<Link> organisationLinks(SyncHarness harness) {
        List<Link> links = new ArrayList<>(harness.store(s -> s.links(Flow.ORGANISATIONS, 0, 1000)));
        assertThat(links).as("linked organisations").hasSizeGreaterThanOrEqualTo(3);
        return links;
    }

    private static String pairOf(Link link) {
        return link.id() + " " + link.webcrmId() + " " + link.customcrmId() + " " + link.state();
    }
}
