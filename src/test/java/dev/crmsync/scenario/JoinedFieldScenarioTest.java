package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Concatenation and split: webCRM's first and middle name held as one Customcrm first name.
 */
class JoinedFieldScenarioTest {

    @Test
    void shouldJoinTwoWebcrmNamesIntoOneCustomcrmNameAndSplitItBack() {
        try (SyncHarness harness = SyncHarness.empty("""
                mappings:
                  persons:
                    fields:
                      - { webcrm: [ PersonFirstName, PersonMiddleName ], customcrm: first_name }
                """)) {
            // Given
            int organisation = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Navn A/S"));
            int person = harness.webcrm.createAsUser(WebcrmEntity.PERSON, Map.of("PersonOrganisationId", organisation,
                    "PersonFirstName", "Mette", "PersonMiddleName", "Louise", "PersonLastName", "Hansen"));

            // When
            harness.sync();

            // Then
            Link link = harness.link(Flow.PERSONS, Side.WEBCRM, Integer.toString(person)).orElseThrow();
            JsonNode contact = harness.customcrm.record(RecordType.CONTACT, link.customcrmId()).orElseThrow();
            assertThat(contact.path("first_name").asString()).isEqualTo("Mette Louise");
            assertThat(contact.path("last_name").asString()).isEqualTo("Hansen");

            // When Customcrm changes the first name
            harness.later(Duration.ofMinutes(5));
            harness.customcrm.editAsUser(RecordType.CONTACT, link.customcrmId(), Map.of("first_name", "Anne Sofie Marie"));
            harness.sync();

            // Then it is split back at the last space, and nothing moves again
            JsonNode p = harness.webcrm.record(WebcrmEntity.PERSON, person).orElseThrow();
            assertThat(p.path("PersonFirstName").asString()).isEqualTo("Anne Sofie");
            assertThat(p.path("PersonMiddleName").asString()).isEqualTo("Marie");
            harness.assertAnotherSyncWritesNothing();
        }
    }
}
