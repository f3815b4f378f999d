package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.testing.CommandRun;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whole syncs with the store on PostgreSQL, over real HTTP against both simulators: a first and an incremental
 * sync, a run that dies half way, and the one-writer lock, each checked as the crash suite checks SQLite
 * ({@link SettledState}). The store's own behaviour on PostgreSQL is {@code PostgresStoreTest}'s.
 */
class PostgresStoreScenarioTest {

    private static final SeedPlan WEBCRM_WORLD = new SeedPlan(0, 4, 8, 4);
    private static final SeedPlan CUSTOMCRM_WORLD = new SeedPlan(2, 4, 8, 4);

    @Test
    void shouldSyncBothWaysEditsDeletesAndAllThenWriteNothingMore() {
        try (SyncHarness harness = SyncHarness.seededOnPostgres(WEBCRM_WORLD, CUSTOMCRM_WORLD)) {
            // Given a first sync
            harness.sync();
            List<Link> organisations = harness.store(s -> s.links(Flow.ORGANISATIONS, 0, 100));
            assertThat(organisations).hasSizeGreaterThanOrEqualTo(6);

            // When one organisation is edited on each side, and a product deleted in Customcrm
            harness.later(Duration.ofMinutes(5));
            Link first = organisations.get(0);
            Link second = organisations.get(1);
            harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(first.webcrmId()),
                    Map.of("OrganisationName", "Renamed in webCRM A/S"));
            harness.customcrm.editAsUser(RecordType.CUSTOMER, second.customcrmId(),
                    Map.of("name", "Renamed in Customcrm AB"));
            Link product = harness.<List<Link>>store(s -> s.links(Flow.PRODUCTS, 0, 100)).get(0);
            harness.customcrm.deleteAsUser(RecordType.PRODUCT, product.customcrmId());
            harness.sync();

            // Then both edits and the delete are on both sides, everything agrees, and nothing is left to write
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, first.customcrmId()).orElseThrow()
                    .path("name").asString()).isEqualTo("Renamed in webCRM A/S");
            assertThat(harness.webcrm.record(WebcrmEntity.ORGANISATION, Integer.parseInt(second.webcrmId()))
                    .orElseThrow().path("OrganisationName").asString()).isEqualTo("Renamed in Customcrm AB");
            assertThat(harness.webcrm.record(WebcrmEntity.PRODUCT, Integer.parseInt(product.webcrmId()))).isEmpty();
            assertThat(harness.store(s -> s.link(product.id())).orElseThrow().state()).isEqualTo(LinkState.RETIRED);
            SettledState.read(harness.config(), harness.clock).assertSettled();
            harness.assertAnotherSyncWritesNothing();
        }
    }

    @Test
    void shouldConvergeWithoutDuplicatesAfterARunThatDiedHalfWayAndLostAnAnswer() {
        try (SyncHarness harness = SyncHarness.seededOnPostgres(WEBCRM_WORLD, CUSTOMCRM_WORLD)) {
            // Given a first sync whose process died at its 40th store write, after a write whose answer was lost
            int[] writes = {0};
            assertThatThrownBy(() -> harness.runWith(new SyncCycle.Options(false, true, false),
                    store -> SimulatedCrash.beforeStoreWrite(store, writes, 40),
                    (side, connector) -> side == Side.WEBCRM
                            ? SimulatedCrash.losingAnswers(connector, () -> writes[0] > 20) : connector))
                    .isInstanceOf(SimulatedCrash.class);

            // When it runs again
            harness.sync();
            harness.sync();

            // Then every record is linked once, the pairs agree, and no create was made twice
            SettledState.read(harness.config(), harness.clock).assertSettled();
            harness.assertAnotherSyncWritesNothing();
        }
    }

    @Test
    void shouldRefuseASecondProcessOnTheSameStoreWhileTheFirstSyncs() {
        try (SyncHarness harness = SyncHarness.emptyOnPostgres("")) {
            // Given a connection syncing with the store
            try (SyncConnection first = SyncConnection.open(harness.config(), InstantSource.system(),
                    duration -> { })) {
                // When a second one starts, through the command line as a person would
                CommandRun second = new CommandRun(harness.clock);
                int status = second.crmsync("sync", "--once", "--config", harness.configFile().toString());

                // Then it is refused, and says why
                assertThat(status).as("exit status; %s", second.err()).isEqualTo(3);
                assertThat(second.err()).contains("another crmsync is syncing with this store");
            }
            // and once the first has stopped, the next one may
            assertThat(SyncConnection.open(harness.config(), InstantSource.system(), duration -> { }))
                    .satisfies(SyncConnection::close);
        }
    }
}
