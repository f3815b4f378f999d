package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.model.Flow;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What a sync costs in requests now that writes go out in bulk, counted by the simulators: the figures a user
 * meets on a first sync under webCRM's 250 requests a minute.
 */
class BulkWriteScenarioTest {

    @Test
    void shouldMakeAtMostFifteenWebcrmRequestsForAFirstSyncOfAThousandOrganisations() {
        try (SyncHarness harness = SyncHarness.seeded(new SeedPlan(0, 0, 0, 0), new SeedPlan(0, 1000, 0, 0))) {
            // When
            harness.sync();

            // Then
            assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(1000);
            assertThat(harness.webcrm.traffic().snapshot().total()).isLessThanOrEqualTo(15);
            assertThat(route(harness, "PATCH /Organisations")).isEqualTo(2);
            harness.assertAnotherSyncWritesNothing();
        }
    }

    @Test
    void shouldCarryAFirstSyncOf3500RecordsIntoWebcrmIn28Requests() {
        try (SyncHarness harness = SyncHarness.seeded(new SeedPlan(0, 0, 0, 0), new SeedPlan(0, 1000, 2000, 500))) {
            // When
            harness.sync();

            // Then every record arrived, in a few dozen requests rather than one each
            assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(1000);
            assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(2000);
            assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(500);
            // The login; three empty first reads; 7 PATCHes of 500 and their 7 stamp reads; then the echoes read
            // back, 500 a page: 3 + 5 + 2 pages (a full last page is followed by an empty one). As the README says.
            assertThat(harness.webcrm.traffic().snapshot().total()).isEqualTo(28);
            assertThat(harness.writes(Side.WEBCRM)).isEqualTo(7);
            // Customcrm gets one batch per 500 creates: the stamps of the records they were made from, which a
            // recovery from a lost store rebuilds the links from
            assertThat(harness.writes(Side.CUSTOMCRM)).as("stamps written back").isEqualTo(7);
        }
    }

    @Test
    void shouldMakeNoDuplicateWhenTheAnswerToABulkWriteIsLost() {
        try (SyncHarness harness = SyncHarness.seeded(new SeedPlan(0, 0, 0, 0), new SeedPlan(0, 30, 40, 0))) {
            // Given webCRM loses its answer to the first bulk write of each flow
            Set<Flow> lost = new HashSet<>();

            // When
            harness.runWith(new SyncCycle.Options(false, true, false), UnaryOperator.identity(),
                    (side, connector) -> side == Side.WEBCRM ? new BeforeEachWrite(connector, (Flow flow) -> {
                        if (lost.add(flow)) {
                            harness.webcrm.faults().loseNextWriteAnswers(1);
                        }
                    }) : connector);

            // Then each record exists once, linked, and nothing was sent twice
            assertThat(lost).contains(Flow.ORGANISATIONS, Flow.PERSONS);
            assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(30);
            assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(40);
            assertThat(route(harness, "PATCH /Organisations")).isEqualTo(1);
            assertThat(route(harness, "PATCH /Persons")).isEqualTo(1);
            long personLinks = harness.store(s -> s.countLinks(Flow.PERSONS, LinkState.ACTIVE));
            assertThat(personLinks).isEqualTo(40);
            harness.assertAnotherSyncWritesNothing();
        }
    }

    @Test
    void shouldSpendTheSameRequestsOnAnIdleCycleAtTenTimesTheRecords() {
        // When the same idle cycles run over a tenant of 150 and one of 1,500 records per side
        long[] small = idleCycleRequests(150);
        long[] large = idleCycleRequests(1500);

        // Then each costs the same, whether webCRM's overlap is due to be read again or not
        assertThat(large).containsExactly(small);
        assertThat(small[0]).as("one short page per flow and side, and the login of a new run").isEqualTo(7);
    }

    /** Requests to both systems of an idle cycle right after a quiet one, and of one an hour later. */
    private static long[] idleCycleRequests(int organisations) {
        try (SyncHarness harness = SyncHarness.seeded(new SeedPlan(0, 0, 0, 0),
                new SeedPlan(0, organisations, 0, 0))) {
            SyncCycle.Options idle = new SyncCycle.Options(false, false, false);
            harness.sync();
            // Once the overlap has passed, the records of the first sync are read again, once
            harness.later(Duration.ofMinutes(30));
            harness.run(idle);
            harness.later(Duration.ofMinutes(1));
            long before = requests(harness);
            harness.run(idle);
            long rightAfter = requests(harness) - before;
            harness.later(Duration.ofHours(1));
            before = requests(harness);
            harness.run(idle);
            return new long[] {rightAfter, requests(harness) - before};
        }
    }

    private static long requests(SyncHarness harness) {
        return harness.webcrm.traffic().snapshot().total() + harness.customcrm.traffic().snapshot().total();
    }

    private static long route(SyncHarness harness, String route) {
        return harness.webcrm.traffic().snapshot().byRoute().getOrDefault(route, 0L);
    }
}
