package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.crmsync.adapters.http.HttpCallObserver;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.engine.CycleReport;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.engine.SyncMetrics;
import dev.crmsync.engine.SyncMetrics.WriteKind;
import dev.crmsync.engine.SyncRun;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.scenario.RecordingSyncMetrics.Conflicted;
import dev.crmsync.scenario.RecordingSyncMetrics.Cycle;
import dev.crmsync.scenario.RecordingSyncMetrics.Failed;
import dev.crmsync.scenario.RecordingSyncMetrics.Read;
import dev.crmsync.scenario.RecordingSyncMetrics.Skipped;
import dev.crmsync.scenario.RecordingSyncMetrics.Written;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What the engine tells its {@link SyncMetrics} during real syncs over HTTP against both simulators: pages read,
 * echoes skipped, writes landed with their end-to-end lag, failures, conflicts and cycles; and nothing during a dry
 * run.
 */
class SyncMetricsScenarioTest {

    private static final SyncCycle.Options SYNC = new SyncCycle.Options(false, true, false);
    private static final SyncCycle.Options DRY_RUN = new SyncCycle.Options(true, true, false);

    /** Runs {@code crmsync sync --once} on a connection that tells {@code metrics}. */
    static SyncRun.Result sync(SyncHarness harness, SyncCycle.Options options, SyncMetrics metrics,
                               HttpCallObserver requests) {
        Sleeper advance = harness.clock::advance;
        try (SyncConnection connection = SyncConnection.open(harness.config(), harness.clock, advance, metrics,
                requests)) {
            SyncRun.Result result = connection.run(10).untilQuiet(options, report -> { });
            assertThat(result.settled()).as("the run settled").isTrue();
            return result;
        }
    }

    private static SyncRun.Result sync(SyncHarness harness, SyncMetrics metrics) {
        return sync(harness, SYNC, metrics, HttpCallObserver.NONE);
    }

    private static void threeWebcrmOrganisations(SyncHarness harness) {
        for (String name : new String[] {"Fynsk A/S", "Sjællandsk ApS", "Jysk I/S"}) {
            harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", name));
        }
    }

    @Test
    void shouldCountEveryRecordReadAndEveryCreateThatLanded() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given three webCRM organisations
            threeWebcrmOrganisations(harness);
            RecordingSyncMetrics metrics = new RecordingSyncMetrics();

            // When
            SyncRun.Result result = sync(harness, metrics);

            // Then the pages told add up to what the cycles read, and each create is told once, as it landed
            int read = result.cycles().stream().mapToInt(CycleReport::read).sum();
            assertThat(metrics.all(Read.class).stream().mapToInt(Read::records).sum()).isEqualTo(read);
            assertThat(metrics.all(Read.class)).contains(new Read(Flow.ORGANISATIONS, Side.WEBCRM, 3));
            assertThat(metrics.all(Written.class)).hasSize(3).allSatisfy(w -> {
                assertThat(w.flow()).isEqualTo(Flow.ORGANISATIONS);
                assertThat(w.target()).isEqualTo(Side.CUSTOMCRM);
                assertThat(w.kind()).isEqualTo(WriteKind.CREATE);
            });
            assertThat(result.applied().creates(Side.CUSTOMCRM)).isEqualTo(3);
            // and every cycle is told, with the flows it took
            assertThat(metrics.all(Cycle.class)).hasSize(result.cycles().size())
                    .allSatisfy(c -> assertThat(c.flows()).isEqualTo(EnumSet.allOf(Flow.class)));
            assertThat(metrics.all(Failed.class)).isEmpty();
        }
    }

    @Test
    void shouldCountEchoesAsSkipped() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given three webCRM organisations
            threeWebcrmOrganisations(harness);
            RecordingSyncMetrics metrics = new RecordingSyncMetrics();

            // When synced: the first cycle creates them in Customcrm, the follow-up cycle reads those creates back
            sync(harness, metrics);

            // Then the three echoes read from Customcrm, and the three webCRM records read again in the overlap
            // window, are told as skipped, and cost no write
            assertThat(metrics.all(Skipped.class)).containsOnly(new Skipped(Flow.ORGANISATIONS, Side.CUSTOMCRM),
                    new Skipped(Flow.ORGANISATIONS, Side.WEBCRM));
            assertThat(metrics.all(Skipped.class).stream().filter(s -> s.side() == Side.CUSTOMCRM)).hasSize(3);
            assertThat(metrics.all(Skipped.class).stream().filter(s -> s.side() == Side.WEBCRM)).hasSize(3);
            assertThat(metrics.all(Written.class)).hasSize(3);
        }
    }

    @Test
    void shouldTellTheLagFromWhenAnEditWasReadToWhenItsWriteLandedOnTheInjectedClock() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given three webCRM organisations, and a Customcrm that answers its next request (the read that
            // follows webCRM's) with 429 and Retry-After: 14
            threeWebcrmOrganisations(harness);
            harness.customcrm.faults().failNext(1, 429, Duration.ofSeconds(14));
            RecordingSyncMetrics metrics = new RecordingSyncMetrics();

            // When
            sync(harness, metrics);

            // Then each create lands 14 s (of the shared clock) after its organisation was read
            assertThat(metrics.all(Written.class)).extracting(Written::lag).containsExactly(Duration.ofSeconds(14),
                    Duration.ofSeconds(14), Duration.ofSeconds(14));
            // and the first cycle took those 14 s
            assertThat(metrics.all(Cycle.class).getFirst().took()).isEqualTo(Duration.ofSeconds(14));
        }
    }

    @Test
    void shouldCountACreateTheOtherSystemRefusesAsADeadLetter() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given a Customcrm contact without the last name webCRM requires
            String customer = id(harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund AB")));
            harness.customcrm.createAsUser(RecordType.CONTACT, Map.of("customer_id", customer, "first_name", "Eva"));
            RecordingSyncMetrics metrics = new RecordingSyncMetrics();

            // When
            sync(harness, metrics);

            // Then webCRM's refusal is told once, as a dead letter, and the customer's create as landed
            assertThat(metrics.all(Failed.class)).containsExactly(new Failed(Flow.PERSONS, Side.WEBCRM, true));
            assertThat(metrics.all(Written.class)).extracting(Written::flow, Written::target, Written::kind)
                    .containsExactly(tuple(Flow.ORGANISATIONS, Side.WEBCRM,
                            WriteKind.CREATE));
        }
    }

    @Test
    void shouldCountAPassingFailureAsARetryThenTheWriteThatLands() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given a Customcrm customer, and webCRM failing with 500 the request after Customcrm's page is read:
            // the create, which is not repeated at once since it may have landed
            harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund AB"));
            RecordingSyncMetrics metrics = new RecordingSyncMetrics().onRead(read -> {
                if (read.side() == Side.CUSTOMCRM && read.records() > 0) {
                    harness.webcrm.faults().failNext(1, 500, Duration.ZERO);
                }
            });

            // When
            sync(harness, metrics);

            // Then the failure is told as one to try again, not as a dead letter
            assertThat(metrics.all(Failed.class)).containsExactly(new Failed(Flow.ORGANISATIONS, Side.WEBCRM, false));
            assertThat(metrics.all(Written.class)).isEmpty();

            // When the backoff has passed and crmsync syncs again
            RecordingSyncMetrics later = new RecordingSyncMetrics();
            harness.later(Duration.ofMinutes(1));
            sync(harness, later);

            // Then the create lands and is told
            assertThat(later.all(Failed.class)).isEmpty();
            assertThat(later.all(Written.class)).extracting(Written::target, Written::kind)
                    .containsExactly(tuple(Side.WEBCRM, WriteKind.CREATE));
        }
    }

    @Test
    void shouldCountAConflictByThePolicyThatSettledIt() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given a synced organisation renamed on both sides, Customcrm last
            Link link = renamedOnBothSides(harness);
            RecordingSyncMetrics metrics = new RecordingSyncMetrics();

            // When
            sync(harness, metrics);

            // Then one conflict is told, settled by the default policy, and the newer name is written to webCRM
            assertThat(metrics.all(Conflicted.class)).containsExactly(new Conflicted(Flow.ORGANISATIONS,
                    "newest-wins"));
            assertThat(metrics.all(Written.class)).containsExactly(new Written(Flow.ORGANISATIONS, Side.WEBCRM,
                    WriteKind.UPDATE, Duration.ZERO));
            assertThat(link.id()).isNotBlank();
        }
    }

    @Test
    void shouldCountAConflictHeldForAPersonAsManual() {
        try (SyncHarness harness = SyncHarness.empty("sync: { conflict-policy: manual }")) {
            // Given a synced organisation renamed on both sides, under the manual policy
            renamedOnBothSides(harness);
            RecordingSyncMetrics metrics = new RecordingSyncMetrics();

            // When
            sync(harness, metrics);

            // Then one conflict is told as manual, and nothing is written
            assertThat(metrics.all(Conflicted.class)).containsExactly(new Conflicted(Flow.ORGANISATIONS, "manual"));
            assertThat(metrics.all(Written.class)).isEmpty();
        }
    }

    @Test
    void shouldTellNothingAboutADryRun() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given three webCRM organisations
            threeWebcrmOrganisations(harness);
            RecordingSyncMetrics metrics = new RecordingSyncMetrics();

            // When a dry run reads and plans them
            SyncRun.Result result = sync(harness, DRY_RUN, metrics, HttpCallObserver.NONE);

            // Then it planned the creates, but told nothing: it neither moved records nor ran a real cycle
            assertThat(result.cycles().getFirst().read()).isEqualTo(3);
            assertThat(metrics.events).isEmpty();
        }
    }

    private static Link renamedOnBothSides(SyncHarness harness) {
        int id = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Fynsk A/S"));
        sync(harness, SyncMetrics.NONE);
        Link link = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(id)).orElseThrow();
        harness.later(Duration.ofMinutes(5));
        harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, id, Map.of("OrganisationName", "Fynsk West A/S"));
        harness.later(Duration.ofMinutes(1));
        harness.customcrm.editAsUser(RecordType.CUSTOMER, link.customcrmId(), Map.of("name", "Fynsk East A/S"));
        return link;
    }

    private static String id(JsonNode record) {
        return record.path("id").asString();
    }
}
