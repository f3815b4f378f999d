package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A company's own mapping at work in both simulators: a webCRM custom field in place of the comment, a value
 * map for its Danish statuses, and a field only webCRM may set.
 */
class ConfiguredMappingScenarioTest {

    private final SyncHarness harness = SyncHarness.empty("""
            mappings:
              organisations:
                fields:
                  - { webcrm: OrganisationCustom1, customcrm: notes }
                  - { webcrm: OrganisationStatus, customcrm: status, values: { A Kunde: a_customer, B Kunde: b_customer } }
                  - { webcrm: OrganisationIndustry, customcrm: industry, direction: webcrm-to-customcrm }
              persons:
                fields:
                  - { webcrm: PersonLastName, customcrm: last_name, default: "-" }
            """);

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void shouldCarryTheCustomFieldTheValueMapAndTheOneWayFieldAsConfigured() {
        // Given an organisation with a customer number, a Danish status and an industry
        int id = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Kunde A/S",
                "OrganisationCustom1", "K-1001", "OrganisationComment", "internal only",
                "OrganisationStatus", "A Kunde", "OrganisationIndustry", "Retail"));

        // When
        harness.sync();

        // Then the customer number lands in notes, the status is translated, the comment stays in webCRM
        Link link = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(id)).orElseThrow();
        JsonNode customer = harness.customcrm.record(RecordType.CUSTOMER, link.customcrmId()).orElseThrow();
        assertThat(customer.path("notes").asString()).isEqualTo("K-1001");
        assertThat(customer.path("status").asString()).isEqualTo("a_customer");
        assertThat(customer.path("industry").asString()).isEqualTo("Retail");

        // When Customcrm edits all three
        harness.later(Duration.ofMinutes(5));
        harness.customcrm.editAsUser(RecordType.CUSTOMER, link.customcrmId(), Map.of("notes", "K-2002",
                "status", "b_customer", "industry", "Energy"));
        harness.sync();

        // Then the custom field and the mapped status reach webCRM; the one-way field is webCRM's again on both
        JsonNode organisation = harness.webcrm.record(WebcrmEntity.ORGANISATION, id).orElseThrow();
        assertThat(organisation.path("OrganisationCustom1").asString()).isEqualTo("K-2002");
        assertThat(organisation.path("OrganisationStatus").asString()).isEqualTo("B Kunde");
        assertThat(organisation.path("OrganisationComment").asString()).isEqualTo("internal only");
        assertThat(organisation.path("OrganisationIndustry").asString()).isEqualTo("Retail");
        assertThat(harness.customcrm.record(RecordType.CUSTOMER, link.customcrmId()).orElseThrow()
                .path("industry").asString()).isEqualTo("Retail");
        harness.assertAnotherSyncWritesNothing();
    }

    @Test
    void shouldStandInTheDefaultForALastNameThatWebcrmRequires() {
        // Given a contact without last name, which webCRM would refuse
        String customer = harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Navnløs ApS"))
                .path("id").asString();
        String contact = harness.customcrm.createAsUser(RecordType.CONTACT, Map.of("first_name", "Mette",
                "customer_id", customer)).path("id").asString();

        // When
        harness.sync();

        // Then webCRM gets the stand-in, and there is no dead letter and no ping-pong
        Link link = harness.link(Flow.PERSONS, Side.CUSTOMCRM, contact).orElseThrow();
        JsonNode person = harness.webcrm.record(WebcrmEntity.PERSON, Integer.parseInt(link.webcrmId())).orElseThrow();
        assertThat(person.path("PersonLastName").asString()).isEqualTo("-");
        assertThat(person.path("PersonFirstName").asString()).isEqualTo("Mette");
        assertThat(harness.<java.util.List<?>>store(s -> s.withStatus(dev.crmsync.ports.RecordStatus.DEAD))).isEmpty();
        harness.assertAnotherSyncWritesNothing();
    }
}
