package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.app.simulate.FaultInjector;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.ports.TransientCrmException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A delete seen only from an incomplete listing is never acted on. webCRM keeps no tombstones, so its deletes are
 * noticed from the complete id list a reconciliation reads; when that listing fails (a 5xx that outlasts the
 * retries, a page that stays unreadable) the run fails before anything is planned, and not one record is deleted
 * or link retired on the strength of the ids it did read. The next complete listing then does exactly what it
 * should. (Customcrm reports deletes as tombstones in its change feed, never from a listing.) Over real HTTP, the faults coming from the simulators' own fault injectors.
 */
class IncompleteListingScenarioTest {

    private final SyncHarness harness = SyncHarness.seeded(new SeedPlan(0, 10, 0, 0), new SeedPlan(0, 10, 0, 0));

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void shouldActOnNoDeleteWhileTheWebcrmIdListingFailsWithServerErrors() {
        assertNothingIsDeletedWhileTheListingFails(faults -> faults.failNext(50, 503, Duration.ZERO));
    }

    @Test
    void shouldActOnNoDeleteWhileTheWebcrmIdListingSendsUnreadablePages() {
        assertNothingIsDeletedWhileTheListingFails(faults -> faults.malformNextPages(50));
    }

    private void assertNothingIsDeletedWhileTheListingFails(Consumer<FaultInjector> fault) {
        // Given ten linked pairs, two of whose webCRM organisations are then deleted
        harness.sync();
        List<Link> links = harness.store(s -> s.links(Flow.ORGANISATIONS, 0, 100));
        assertThat(links).hasSize(10);
        List<Link> gone = links.subList(0, 2);
        harness.later(Duration.ofMinutes(5));
        gone.forEach(l -> harness.webcrm.deleteAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(l.webcrmId())));
        long customcrmWrites = harness.writes(Side.CUSTOMCRM);
        long faultsBefore = harness.webcrm.faults().served();

        // When the reconciliation's id listing keeps failing, past every retry
        assertThatThrownBy(() -> harness.runWith(new SyncCycle.Options(false, true, false), UnaryOperator.identity(),
                (side, connector) -> side == Side.WEBCRM
                        ? new BeforeIdListing(connector, flow -> fault.accept(harness.webcrm.faults()))
                        : connector))
                .isInstanceOf(TransientCrmException.class);

        // Then the fault was met, and nothing was deleted, retired or even noted as deleted
        assertThat(harness.webcrm.faults().served()).isGreaterThan(faultsBefore);
        assertThat(harness.writes(Side.CUSTOMCRM)).isEqualTo(customcrmWrites);
        for (Link link : links) {
            assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.ACTIVE);
            assertThat(harness.store(s -> s.observed(Flow.ORGANISATIONS, Side.WEBCRM, link.webcrmId()))
                    .orElseThrow().record().deleted()).isFalse();
        }

        // When the faults are gone and the next reconciliation lists every id
        harness.webcrm.faults().reset();
        harness.sync();

        // Then exactly the two deleted organisations take their customers with them
        for (Link link : links) {
            boolean deleted = gone.contains(link);
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, link.customcrmId()).orElseThrow()
                    .path("deleted").asBoolean()).as("customer %s deleted", link.customcrmId()).isEqualTo(deleted);
            assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state())
                    .isEqualTo(deleted ? LinkState.RETIRED : LinkState.ACTIVE);
        }
    }
}
