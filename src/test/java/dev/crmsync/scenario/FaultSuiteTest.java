package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.OnceRun;
import dev.crmsync.app.simulate.FaultInjector;
import dev.crmsync.app.simulate.FaultSettings;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The fault suite: each kind of fault the simulators can make, over real HTTP, during a first sync and during an
 * incremental sync with edits on both sides. Runs under the fault may fail or leave records waiting; once the
 * fault stops, one {@code sync --once} must converge: both sides agree under the mapping, no duplicate, nothing
 * lost, every edit in place, and no dead letter left that a retry would now clear.
 *
 * <p>RELIABILITY.md counts the kinds this class proves; each kind is one test, named after it.
 */
class FaultSuiteTest {

    /** Twelve companies on each side, six of them on both, with people and products. */
    private static final SeedPlan WEBCRM_WORLD = new SeedPlan(0, 12, 18, 4);
    private static final SeedPlan CUSTOMCRM_WORLD = new SeedPlan(6, 12, 18, 4);

    /** Runs under the fault that failed or left records waiting. */
    private int refusedRuns;

    /** One edit made under the fault, to be found in place once the systems converged. */
    private record Edit(Side side, Flow flow, String id, String property, String value) {
    }

    @Test
    void shouldConvergeAfterTenPercentServerErrors() {
        survive(SyncHarness.restartable(WEBCRM_WORLD, CUSTOMCRM_WORLD, ""),
                both(f -> f.settings(new FaultSettings(Duration.ZERO, 0.10, 0, 0))));
    }

    @Test
    void shouldConvergeAfterDroppedConnections() {
        survive(SyncHarness.restartable(WEBCRM_WORLD, CUSTOMCRM_WORLD, ""),
                both(f -> f.settings(new FaultSettings(Duration.ZERO, 0, 0.15, 0))));
    }

    @Test
    void shouldConvergeAfterLatencySpikesLongerThanTheTimeout() {
        // Spikes of 1 s against a 300 ms timeout: reads time out and are asked again, writes time out after they
        // may have landed
        survive(SyncHarness.restartable(WEBCRM_WORLD, CUSTOMCRM_WORLD, "timeout: 300ms"),
                both(f -> f.slowNext(4, Duration.ofSeconds(1))));
    }

    @Test
    void shouldConvergeAfterBurstsOf429sWithRetryAfter() {
        survive(SyncHarness.restartable(WEBCRM_WORLD, CUSTOMCRM_WORLD, ""),
                both(f -> f.failNext(12, 429, Duration.ofSeconds(3))));
    }

    @Test
    void shouldConvergeAfterMalformedPages() {
        survive(SyncHarness.restartable(WEBCRM_WORLD, CUSTOMCRM_WORLD, ""),
                both(f -> f.settings(new FaultSettings(Duration.ZERO, 0, 0, 0.3))));
    }

    @Test
    void shouldConvergeAfterASystemWasDownForAMinute() {
        SyncHarness harness = SyncHarness.restartable(WEBCRM_WORLD, CUSTOMCRM_WORLD, "");
        survive(harness, new Fault() {
            @Override
            public void start(SyncHarness h) {
                h.stopCustomcrm();
            }

            @Override
            public void stop(SyncHarness h) {
                h.later(Duration.ofMinutes(1));
                h.startCustomcrmAgain();
            }
        }, h -> refusedRuns);
    }

    @Test
    void shouldConvergeAfterLostAnswersToBulkAndSingleWritesOnBothSystems() {
        // The first writes of each run are bulk writes (a PATCH of webCRM records, a Customcrm POST /batch); later
        // ones, such as a retried create, go alone
        survive(SyncHarness.restartable(WEBCRM_WORLD, CUSTOMCRM_WORLD, ""),
                both(f -> f.loseNextWriteAnswers(3)));
    }

    @Test
    void shouldConvergeAfterWebcrmLoginsStartedToFail() {
        // webCRM refuses the application token at login (and the access token it issued before), as when an
        // administrator withdraws it; the runs stop with the refusal, and go through once it is good again
        survive(SyncHarness.restartable(WEBCRM_WORLD, CUSTOMCRM_WORLD, ""), new Fault() {
            @Override
            public void start(SyncHarness h) {
                h.webcrm.revocation().revoke();
            }

            @Override
            public void stop(SyncHarness h) {
                h.webcrm.revocation().reinstate();
            }
        }, h -> refusedRuns);
    }

    @Test
    void shouldConvergeAfterTokensWereRevokedMidRun() {
        // Both systems withdraw the credentials after a few writes of a run have landed
        survive(SyncHarness.restartable(WEBCRM_WORLD, CUSTOMCRM_WORLD, ""), new Fault() {
            @Override
            public void start(SyncHarness h) {
                h.webcrm.revocation().revokeAfterWrites(1);
                h.customcrm.revocation().revokeAfterWrites(1);
            }

            @Override
            public void stop(SyncHarness h) {
                h.webcrm.revocation().reinstate();
                h.customcrm.revocation().reinstate();
            }
        }, h -> refusedRuns);
    }

    // ---------------------------------------------------------------- the procedure

    /** A fault that can be switched on and off between the runs. */
    private interface Fault {

        /** Switches it on, or queues it again for the next run. */
        void start(SyncHarness harness);

        /** Switches it off for good. */
        void stop(SyncHarness harness);
    }

    /** The same simulator fault on both systems. */
    private static Fault both(Consumer<FaultInjector> fault) {
        return new Fault() {
            @Override
            public void start(SyncHarness h) {
                fault.accept(h.webcrm.faults());
                fault.accept(h.customcrm.faults());
            }

            @Override
            public void stop(SyncHarness h) {
                h.webcrm.faults().reset();
                h.customcrm.faults().reset();
            }
        };
    }

    private void survive(SyncHarness harness, Fault fault) {
        survive(harness, fault, h -> h.webcrm.faults().served() + h.customcrm.faults().served());
    }

    /**
     * @param met how often the fault was met so far, to check that the runs under it really met it
     */
    private void survive(SyncHarness harness, Fault fault, ToLongFunction<SyncHarness> met) {
        try (harness) {
            List<Edit> edits = new ArrayList<>();
            String customer = harness.customcrm.createAsUser(RecordType.CUSTOMER,
                    Map.of("name", "Before Faults A/S")).path("id").asString();

            // A first sync under the fault
            fault.start(harness);
            runUnderFault(harness);
            long metInFirstSync = met.applyAsLong(harness);
            fault.stop(harness);

            // Edits and creates on both sides, and an incremental sync under the fault
            edits.addAll(editBothSides(harness, customer));
            fault.start(harness);
            runUnderFault(harness);
            fault.start(harness);
            runUnderFault(harness);

            // When the fault stops, one sync --once finishes everything
            assertThat(metInFirstSync).as("faults met by the first sync").isPositive();
            assertThat(met.applyAsLong(harness)).as("faults met by the incremental syncs").isGreaterThan(metInFirstSync);
            fault.stop(harness);
            OnceRun.Outcome outcome = harness.once(Duration.ofMinutes(10));
            assertThat(outcome.waiting()).as("records still waiting after the fault stopped").isEmpty();
            assertThat(outcome.isComplete()).as("the run after the fault went through").isTrue();

            // Then both sides agree, nothing is lost or doubled, and every edit is in place
            Convergence.Snapshot synced = Convergence.assertConverged(harness);
            // 12 companies on each side, 6 of them on both, one created on each side
            assertThat(synced.records(Side.WEBCRM, Flow.ORGANISATIONS)).as("organisations, no duplicate").hasSize(20);
            for (Edit edit : edits) {
                SideRecord record = synced.records(edit.side(), edit.flow()).get(edit.id());
                assertThat(record).as("%s", edit).isNotNull();
                assertThat(record.properties().get(edit.property())).as("%s", edit).isEqualTo(edit.value());
                assertThat(synced.partner(edit.flow(), edit.side(), edit.id())).as("partner of %s", edit).isPresent();
            }
            harness.assertAnotherSyncWritesNothing();
        }
    }

    /** A run as a person or a timer would start it; under a fault it may fail, which is the point. */
    private void runUnderFault(SyncHarness harness) {
        try {
            if (!harness.once(Duration.ZERO).isComplete()) {
                refusedRuns++;
            }
        } catch (TransientCrmException | PermanentCrmException e) {
            refusedRuns++;
            // A read that failed for good, or a system that is down: the next run picks up from the store.
        }
        harness.later(Duration.ofSeconds(30));
    }

    private static List<Edit> editBothSides(SyncHarness harness, String customer) {
        List<Edit> edits = new ArrayList<>();
        for (int id : new int[] {1, 2}) {
            String name = "Edited Under Fault " + id + " ApS";
            harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, id, Map.of("OrganisationName", name));
            edits.add(new Edit(Side.WEBCRM, Flow.ORGANISATIONS, Integer.toString(id), "OrganisationName", name));
        }
        int created = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                Map.of("OrganisationName", "Created Under Fault ApS"));
        edits.add(new Edit(Side.WEBCRM, Flow.ORGANISATIONS, Integer.toString(created), "OrganisationName",
                "Created Under Fault ApS"));
        harness.customcrm.editAsUser(RecordType.CUSTOMER, customer, Map.of("name", "Renamed Under Fault A/S"));
        edits.add(new Edit(Side.CUSTOMCRM, Flow.ORGANISATIONS, customer, "name", "Renamed Under Fault A/S"));
        String contact = harness.customcrm.createAsUser(RecordType.CONTACT, Map.of("first_name", "Fay",
                "last_name", "Fault", "email", "fay.fault@example.com", "customer_id", customer)).path("id").asString();
        edits.add(new Edit(Side.CUSTOMCRM, Flow.PERSONS, contact, "last_name", "Fault"));
        harness.later(Duration.ofSeconds(5));
        return edits;
    }
}
