package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.app.config.ConfigException;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A webCRM custom field named in the mapping by the label the tenant gave it, resolved against webCRM's field
 * metadata when crmsync connects.
 */
class LabelledFieldScenarioTest {

    @Test
    void shouldMapACustomFieldNamedByItsLabel() {
        try (SyncHarness harness = SyncHarness.empty("""
                mappings:
                  organisations:
                    fields:
                      - { webcrm: "customer NUMBER", customcrm: notes }
                """)) {
            // Given
            int id = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Label A/S",
                    "OrganisationCustom1", "K-4711"));

            // When
            harness.sync();

            // Then the field labelled "Customer number" (OrganisationCustom1 in this tenant) reached Customcrm
            Link link = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(id)).orElseThrow();
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, link.customcrmId()).orElseThrow()
                    .path("notes").asString()).isEqualTo("K-4711");
        }
    }

    @Test
    void shouldRefuseALabelTheTenantDoesNotHaveNamingItAndTheLabelsThereAre() {
        try (SyncHarness harness = SyncHarness.empty("""
                mappings:
                  organisations:
                    fields:
                      - { webcrm: "Customer numbr", customcrm: notes }
                """)) {
            assertThatThrownBy(harness::sync).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("mappings.organisations")
                    .hasMessageContaining("Customer numbr")
                    .hasMessageContaining("Customer number");
        }
    }
}
