package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Selective sync: only organisations of type Customer take part; one that leaves the filter retires its link (or,
 * with {@code on-leave: delete}, has its customer deleted), and one that comes back is linked again.
 */
class SelectiveSyncScenarioTest {

    private static String only(String onLeave) {
        return """
                mappings:
                  organisations:
                    filter: { webcrm: { OrganisationType: [ Customer ] }, customcrm: { type: [ customer ] }, on-leave: %s }
                """.formatted(onLeave);
    }

    @Test
    void shouldSyncOnlyRecordsInsideTheFilterRetireOneThatLeavesAndLinkItAgainWhenItComesBack() {
        try (SyncHarness harness = SyncHarness.empty(only("retire"))) {
            // Given a customer and a supplier in webCRM
            int customer = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                    Map.of("OrganisationName", "Kunde A/S", "OrganisationType", "Customer"));
            int supplier = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                    Map.of("OrganisationName", "Leverandør A/S", "OrganisationType", "Supplier"));

            // When
            harness.sync();

            // Then only the customer is synced
            Link link = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(customer)).orElseThrow();
            assertThat(harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(supplier))).isEmpty();

            // When the customer becomes a supplier
            harness.later(Duration.ofMinutes(5));
            harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, customer, Map.of("OrganisationType", "Supplier",
                    "OrganisationName", "Kunde Holding A/S"));
            harness.sync();

            // Then its link is retired and the Customcrm customer is left as it was
            assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.RETIRED);
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, link.customcrmId()).orElseThrow()
                    .path("name").asString()).isEqualTo("Kunde A/S");

            // When it becomes a customer again
            harness.later(Duration.ofMinutes(5));
            harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, customer, Map.of("OrganisationType", "Customer"));
            harness.sync();

            // Then the same pair is linked again and catches up
            assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.ACTIVE);
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, link.customcrmId()).orElseThrow()
                    .path("name").asString()).isEqualTo("Kunde Holding A/S");
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, link.customcrmId()).orElseThrow()
                    .path("type").asString()).isEqualTo("customer");
            harness.assertAnotherSyncWritesNothing();
        }
    }

    @Test
    void shouldDeleteThePartnerOfARecordThatLeavesWhenSoConfiguredAndCreateItAgainOnReturn() {
        try (SyncHarness harness = SyncHarness.empty(only("delete"))) {
            // Given a linked customer
            String id = harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Kunde AB",
                    "type", "customer")).path("id").asString();
            harness.sync();
            Link link = harness.link(Flow.ORGANISATIONS, Side.CUSTOMCRM, id).orElseThrow();

            // When the webCRM organisation leaves the filter
            harness.later(Duration.ofMinutes(5));
            harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(link.webcrmId()),
                    Map.of("OrganisationType", "Partner"));
            harness.sync();

            // Then its Customcrm partner is deleted
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, id).orElseThrow().path("deleted").asBoolean())
                    .isTrue();

            // When it comes back
            harness.later(Duration.ofMinutes(5));
            harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(link.webcrmId()),
                    Map.of("OrganisationType", "Customer"));
            harness.sync();

            // Then a new customer is created under the same link
            Link back = harness.store(s -> s.link(link.id())).orElseThrow();
            assertThat(back.state()).isEqualTo(LinkState.ACTIVE);
            assertThat(back.customcrmId()).isNotEqualTo(id);
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, back.customcrmId()).orElseThrow()
                    .path("name").asString()).isEqualTo("Kunde AB");
        }
    }
}
