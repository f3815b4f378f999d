package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.HistoryEntry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The QA checklist for "Every Webcrm Organisations will be synchronized with a Customcrm Customer", over real
 * HTTP against both simulators: create, update of every mapped property, delete and conflicting edits in each
 * direction, and a re-run with no change.
 */
class OrganisationScenarioTest {

    private final SyncHarness harness = SyncHarness.empty();

    @AfterEach
    void stop() {
        harness.close();
    }

    private static Map<String, Object> organisation(String name, String vat) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("OrganisationName", name);
        o.put("OrganisationVatNumber", vat);
        o.put("OrganisationAddress", "Havnegade 4");
        o.put("OrganisationPostCode", "5000");
        o.put("OrganisationCity", "Odense C");
        o.put("OrganisationState", "Syddanmark");
        o.put("OrganisationCountry", "Denmark");
        o.put("OrganisationTelephone", "+45 66 11 22 33");
        o.put("OrganisationWww", "https://www.fynsk.dk");
        o.put("OrganisationDomain", "fynsk.dk");
        o.put("OrganisationIndustry", "Logistics");
        o.put("OrganisationType", "Customer");
        o.put("OrganisationStatus", "A customer");
        o.put("OrganisationComment", "Key account");
        return o;
    }

    private static Map<String, Object> customer(String name, String vat) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("vat_number", vat);
        c.put("address", Map.of("street", "Strandvejen 100", "postal_code", "211 20", "city", "Malmö",
                "state", "Skåne", "country_code", "SE"));
        c.put("phone", "+46 40 12 34 56");
        c.put("website", "https://www.oresund.se");
        c.put("domain", "oresund.se");
        c.put("industry", "Maritime");
        c.put("type", "partner");
        c.put("status", "b_customer");
        c.put("notes", "Met at the fair");
        return c;
    }

    private JsonNode customerOf(Link link) {
        return harness.customcrm.record(RecordType.CUSTOMER, link.customcrmId()).orElseThrow();
    }

    private JsonNode organisationOf(Link link) {
        return harness.webcrm.record(WebcrmEntity.ORGANISATION, Integer.parseInt(link.webcrmId())).orElseThrow();
    }

    @Test
    void shouldCreateACustomerForANewOrganisationWithEveryMappedProperty() {
        // Given
        int id = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, organisation("Fynsk Logistik A/S", "DK11223344"));

        // When
        harness.sync();

        // Then
        Link link = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(id)).orElseThrow();
        JsonNode c = customerOf(link);
        assertThat(c.path("name").asString()).isEqualTo("Fynsk Logistik A/S");
        assertThat(c.path("vat_number").asString()).isEqualTo("DK11223344");
        assertThat(c.path("address").path("street").asString()).isEqualTo("Havnegade 4");
        assertThat(c.path("address").path("postal_code").asString()).isEqualTo("5000");
        assertThat(c.path("address").path("city").asString()).isEqualTo("Odense C");
        assertThat(c.path("address").path("state").asString()).isEqualTo("Syddanmark");
        assertThat(c.path("address").path("country_code").asString()).isEqualTo("DK");
        assertThat(c.path("phone").asString()).isEqualTo("+45 66 11 22 33");
        assertThat(c.path("website").asString()).isEqualTo("https://www.fynsk.dk");
        assertThat(c.path("domain").asString()).isEqualTo("fynsk.dk");
        assertThat(c.path("industry").asString()).isEqualTo("Logistics");
        assertThat(c.path("type").asString()).isEqualTo("customer");
        assertThat(c.path("status").asString()).isEqualTo("a_customer");
        assertThat(c.path("notes").asString()).isEqualTo("Key account");
        assertThat(c.path("external_ids").path("crmsync").asString()).isEqualTo(link.id());
        assertThat(link.state()).isEqualTo(LinkState.ACTIVE);
    }

    @Test
    void shouldCreateAnOrganisationForANewCustomerWithEveryMappedProperty() {
        // Given
        String id = harness.customcrm.createAsUser(RecordType.CUSTOMER, customer("Øresund Marine AB", "SE556677889901"))
                .path("id").asString();

        // When
        harness.sync();

        // Then
        Link link = harness.link(Flow.ORGANISATIONS, Side.CUSTOMCRM, id).orElseThrow();
        JsonNode o = organisationOf(link);
        assertThat(o.path("OrganisationName").asString()).isEqualTo("Øresund Marine AB");
        assertThat(o.path("OrganisationVatNumber").asString()).isEqualTo("SE556677889901");
        assertThat(o.path("OrganisationAddress").asString()).isEqualTo("Strandvejen 100");
        assertThat(o.path("OrganisationPostCode").asString()).isEqualTo("211 20");
        assertThat(o.path("OrganisationCity").asString()).isEqualTo("Malmö");
        assertThat(o.path("OrganisationState").asString()).isEqualTo("Skåne");
        assertThat(o.path("OrganisationCountry").asString()).isEqualTo("Sweden");
        assertThat(o.path("OrganisationTelephone").asString()).isEqualTo("+46 40 12 34 56");
        assertThat(o.path("OrganisationWww").asString()).isEqualTo("https://www.oresund.se");
        assertThat(o.path("OrganisationDomain").asString()).isEqualTo("oresund.se");
        assertThat(o.path("OrganisationIndustry").asString()).isEqualTo("Maritime");
        assertThat(o.path("OrganisationType").asString()).isEqualTo("Partner");
        assertThat(o.path("OrganisationStatus").asString()).isEqualTo("B customer");
        assertThat(o.path("OrganisationComment").asString()).isEqualTo("Met at the fair");
        assertThat(o.path("OrganisationCustom5").asString()).isEqualTo(link.id());
    }

    @Test
    void shouldLinkAnExistingPairByVatNumberInsteadOfCreatingTwo() {
        // Given the same company on both sides, spelled differently
        int organisation = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, organisation("Fynsk A/S", "DK 11 22 33 44"));
        String customer = harness.customcrm.createAsUser(RecordType.CUSTOMER, customer("Fynsk A/S", "dk11223344"))
                .path("id").asString();

        // When
        harness.sync();

        // Then
        Link link = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(organisation)).orElseThrow();
        assertThat(link.customcrmId()).isEqualTo(customer);
        assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(1);
        assertThat(harness.<Long>store(s -> s.countLinks(Flow.ORGANISATIONS, null))).isEqualTo(1L);
    }

    @Test
    void shouldCarryAnUpdateOfEveryMappedPropertyFromWebcrmToCustomcrm() {
        // Given
        int id = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, organisation("Fynsk A/S", "DK11223344"));
        harness.sync();
        harness.later(Duration.ofMinutes(5));

        // When every mapped property changes
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("OrganisationName", "Fynsk Logistik Holding A/S");
        changes.put("OrganisationVatNumber", "DK99887766");
        changes.put("OrganisationAddress", "Industrivej 9");
        changes.put("OrganisationPostCode", "8000");
        changes.put("OrganisationCity", "Aarhus C");
        changes.put("OrganisationState", "Midtjylland");
        changes.put("OrganisationCountry", "Germany");
        changes.put("OrganisationTelephone", "+45 70 00 00 01");
        changes.put("OrganisationWww", "https://www.fynsk-holding.dk");
        changes.put("OrganisationDomain", "fynsk-holding.dk");
        changes.put("OrganisationIndustry", "Retail");
        changes.put("OrganisationType", "Supplier");
        changes.put("OrganisationStatus", "Lead");
        changes.put("OrganisationComment", "Renegotiated");
        harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, id, changes);
        harness.sync();

        // Then
        JsonNode c = customerOf(harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(id)).orElseThrow());
        assertThat(c.path("name").asString()).isEqualTo("Fynsk Logistik Holding A/S");
        assertThat(c.path("vat_number").asString()).isEqualTo("DK99887766");
        assertThat(c.path("address").path("street").asString()).isEqualTo("Industrivej 9");
        assertThat(c.path("address").path("postal_code").asString()).isEqualTo("8000");
        assertThat(c.path("address").path("city").asString()).isEqualTo("Aarhus C");
        assertThat(c.path("address").path("state").asString()).isEqualTo("Midtjylland");
        assertThat(c.path("address").path("country_code").asString()).isEqualTo("DE");
        assertThat(c.path("phone").asString()).isEqualTo("+45 70 00 00 01");
        assertThat(c.path("website").asString()).isEqualTo("https://www.fynsk-holding.dk");
        assertThat(c.path("domain").asString()).isEqualTo("fynsk-holding.dk");
        assertThat(c.path("industry").asString()).isEqualTo("Retail");
        assertThat(c.path("type").asString()).isEqualTo("supplier");
        assertThat(c.path("status").asString()).isEqualTo("lead");
        assertThat(c.path("notes").asString()).isEqualTo("Renegotiated");
    }

    @Test
    void shouldCarryAnUpdateOfEveryMappedPropertyFromCustomcrmToWebcrm() {
        // Given
        String id = harness.customcrm.createAsUser(RecordType.CUSTOMER, customer("Øresund AB", "SE556677889901"))
                .path("id").asString();
        harness.sync();
        harness.later(Duration.ofMinutes(5));

        // When every mapped property changes
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("name", "Øresund Marine Group AB");
        changes.put("vat_number", "SE112233445501");
        changes.put("address", Map.of("street", "Kungsgatan 1", "postal_code", "411 04", "city", "Göteborg",
                "state", "Västra Götaland", "country_code", "NO"));
        changes.put("phone", "+46 31 00 00 00");
        changes.put("website", "https://www.oresund-group.se");
        changes.put("domain", "oresund-group.se");
        changes.put("industry", "Energy");
        changes.put("type", "prospect");
        changes.put("status", "c_customer");
        changes.put("notes", "New owners");
        harness.customcrm.editAsUser(RecordType.CUSTOMER, id, changes);
        harness.sync();

        // Then
        JsonNode o = organisationOf(harness.link(Flow.ORGANISATIONS, Side.CUSTOMCRM, id).orElseThrow());
        assertThat(o.path("OrganisationName").asString()).isEqualTo("Øresund Marine Group AB");
        assertThat(o.path("OrganisationVatNumber").asString()).isEqualTo("SE112233445501");
        assertThat(o.path("OrganisationAddress").asString()).isEqualTo("Kungsgatan 1");
        assertThat(o.path("OrganisationPostCode").asString()).isEqualTo("411 04");
        assertThat(o.path("OrganisationCity").asString()).isEqualTo("Göteborg");
        assertThat(o.path("OrganisationState").asString()).isEqualTo("Västra Götaland");
        assertThat(o.path("OrganisationCountry").asString()).isEqualTo("Norway");
        assertThat(o.path("OrganisationTelephone").asString()).isEqualTo("+46 31 00 00 00");
        assertThat(o.path("OrganisationWww").asString()).isEqualTo("https://www.oresund-group.se");
        assertThat(o.path("OrganisationDomain").asString()).isEqualTo("oresund-group.se");
        assertThat(o.path("OrganisationIndustry").asString()).isEqualTo("Energy");
        assertThat(o.path("OrganisationType").asString()).isEqualTo("Prospect");
        assertThat(o.path("OrganisationStatus").asString()).isEqualTo("C customer");
        assertThat(o.path("OrganisationComment").asString()).isEqualTo("New owners");
    }

    @Test
    void shouldDeleteTheCustomerWhenTheOrganisationIsDeletedInWebcrm() {
        // Given
        int id = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, organisation("Fynsk A/S", "DK11223344"));
        harness.sync();
        Link link = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(id)).orElseThrow();

        // When
        harness.webcrm.deleteAsUser(WebcrmEntity.ORGANISATION, id);
        harness.sync();

        // Then
        assertThat(customerOf(link).path("deleted").asBoolean()).isTrue();
        assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.RETIRED);
    }

    @Test
    void shouldRetireTheLinkWhenTheCustomerIsDeletedBecauseWebcrmCannotDeleteOrganisations() {
        // Given
        String id = harness.customcrm.createAsUser(RecordType.CUSTOMER, customer("Øresund AB", "SE556677889901"))
                .path("id").asString();
        harness.sync();
        Link link = harness.link(Flow.ORGANISATIONS, Side.CUSTOMCRM, id).orElseThrow();

        // When
        harness.customcrm.deleteAsUser(RecordType.CUSTOMER, id);
        harness.sync();
        harness.sync();

        // Then the organisation stays, the link is retired with its reason, and nothing is resurrected
        assertThat(organisationOf(link).path("OrganisationName").asString()).isEqualTo("Øresund AB");
        assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.RETIRED);
        List<HistoryEntry> history = harness.store(s -> s.history(link.id()));
        assertThat(history).last().satisfies(e -> {
            assertThat(e.action()).isEqualTo("retired");
            assertThat(e.detail()).contains("cannot delete Organisations");
        });
        assertThat(harness.customcrm.record(RecordType.CUSTOMER, id).orElseThrow().path("deleted").asBoolean()).isTrue();
        assertThat(harness.<Long>store(s -> s.countLinks(Flow.ORGANISATIONS, LinkState.ACTIVE))).isZero();
    }

    @Test
    void shouldLetTheNewerEditWinWhenBothSidesEditTheSameFieldAndRecordTheConflict() {
        // Given
        int id = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, organisation("Fynsk A/S", "DK11223344"));
        harness.sync();
        Link link = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(id)).orElseThrow();

        // When webCRM renames it, and a minute later Customcrm renames it too and changes its phone
        harness.later(Duration.ofMinutes(5));
        harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, id, Map.of("OrganisationName", "Fynsk West A/S",
                "OrganisationCity", "Svendborg"));
        harness.later(Duration.ofMinutes(1));
        harness.customcrm.editAsUser(RecordType.CUSTOMER, link.customcrmId(), Map.of("name", "Fynsk East A/S",
                "phone", "+45 99 99 99 99"));
        harness.sync();

        // Then the newer name wins on both sides, and both other edits survive
        JsonNode o = organisationOf(link);
        JsonNode c = customerOf(link);
        assertThat(o.path("OrganisationName").asString()).isEqualTo("Fynsk East A/S");
        assertThat(c.path("name").asString()).isEqualTo("Fynsk East A/S");
        assertThat(o.path("OrganisationCity").asString()).isEqualTo("Svendborg");
        assertThat(c.path("address").path("city").asString()).isEqualTo("Svendborg");
        assertThat(o.path("OrganisationTelephone").asString()).isEqualTo("+45 99 99 99 99");
        List<Conflict> conflicts = harness.store(s -> s.conflicts(false));
        assertThat(conflicts).singleElement().satisfies(conflict -> {
            assertThat(conflict.linkId()).isEqualTo(link.id());
            assertThat(conflict.fields()).singleElement().satisfies(f -> {
                assertThat(f.field()).isEqualTo("name");
                assertThat(f.winner()).isEqualTo(Side.CUSTOMCRM);
            });
        });
    }

    @Test
    void shouldMakeNoWriteOnEitherSideWhenRunAgainWithoutChange() {
        // Given records on both sides, synced
        harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, organisation("Fynsk A/S", "DK11223344"));
        harness.customcrm.createAsUser(RecordType.CUSTOMER, customer("Øresund AB", "SE556677889901"));
        harness.sync();
        assertThat(harness.writes(Side.WEBCRM)).isPositive();
        assertThat(harness.writes(Side.CUSTOMCRM)).isPositive();

        // When, Then
        harness.assertAnotherSyncWritesNothing();
    }
}
