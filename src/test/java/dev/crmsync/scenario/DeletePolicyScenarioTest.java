package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The delete policies per flow and per side the delete was seen on ({@code sync.flows.<flow>.delete-on-webcrm},
 * {@code delete-on-customcrm}), over real HTTP against both simulators: {@code mark} writes the configured value
 * on the surviving record of either system and retires the link, {@code ignore} touches nothing and stays quiet
 * when the survivor changes later, and {@code retire-link} on one side leaves {@code propagate} on the other.
 */
class DeletePolicyScenarioTest {

    private SyncHarness harness;

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void shouldMarkThePersonInWebcrmWhenItsContactIsDeletedInCustomcrm() {
        // Given a synced person, and contacts deleted in Customcrm marking their person Resigned
        harness = SyncHarness.empty("""
                sync:
                  flows:
                    persons:
                      delete-on-customcrm: mark
                      mark-on-webcrm: { property: PersonStatus, value: Resigned }
                """);
        Link link = syncedPerson();

        // When the contact is deleted
        harness.later(Duration.ofMinutes(5));
        harness.customcrm.deleteAsUser(RecordType.CONTACT, link.customcrmId());
        harness.sync();

        // Then the person stays, now Resigned, and the pair is no longer synced
        JsonNode person = harness.webcrm.record(WebcrmEntity.PERSON, Integer.parseInt(link.webcrmId())).orElseThrow();
        assertThat(person.path("PersonStatus").asString()).isEqualTo("Resigned");
        assertThat(person.path("PersonLastName").asString()).isEqualTo("Hansen");
        assertThat(stateOf(link)).isEqualTo(LinkState.RETIRED);
        assertThat(lastHistory(link)).satisfies(e -> {
            assertThat(e.action()).isEqualTo("marked");
            assertThat(e.detail()).contains("PersonStatus = Resigned");
        });
        harness.assertAnotherSyncWritesNothing();
    }

    @Test
    void shouldMarkTheContactInCustomcrmInsteadOfDeletingItWhenThePersonIsDeletedInWebcrm() {
        // Given a synced person, persons deleted in webCRM marking their contact resigned
        harness = SyncHarness.empty("""
                sync:
                  flows:
                    persons:
                      delete-on-webcrm: mark
                      mark-on-customcrm: { property: status, value: resigned }
                """);
        Link link = syncedPerson();

        // When the person is deleted in webCRM
        harness.later(Duration.ofMinutes(5));
        harness.webcrm.deleteAsUser(WebcrmEntity.PERSON, Integer.parseInt(link.webcrmId()));
        harness.sync();

        // Then the contact is kept, marked resigned, and the link retired
        JsonNode contact = harness.customcrm.record(RecordType.CONTACT, link.customcrmId()).orElseThrow();
        assertThat(contact.path("deleted").asBoolean()).isFalse();
        assertThat(contact.path("status").asString()).isEqualTo("resigned");
        assertThat(stateOf(link)).isEqualTo(LinkState.RETIRED);
        harness.assertAnotherSyncWritesNothing();
    }

    @Test
    void shouldLeaveTheContactAndTheLinkAloneAndStayQuietWhenADeleteInWebcrmIsIgnored() {
        // Given a synced person, deletes in webCRM ignored
        harness = SyncHarness.empty("""
                sync:
                  flows:
                    persons: { delete-on-webcrm: ignore }
                """);
        Link link = syncedPerson();
        long customcrmWrites = harness.writes(Side.CUSTOMCRM);

        // When the person is deleted in webCRM
        harness.later(Duration.ofMinutes(5));
        harness.webcrm.deleteAsUser(WebcrmEntity.PERSON, Integer.parseInt(link.webcrmId()));
        harness.sync();

        // Then the contact is untouched and the link still stands, with a note of the ignored delete
        assertThat(harness.writes(Side.CUSTOMCRM)).isEqualTo(customcrmWrites);
        assertThat(harness.customcrm.record(RecordType.CONTACT, link.customcrmId()).orElseThrow()
                .path("deleted").asBoolean()).isFalse();
        assertThat(stateOf(link)).isEqualTo(LinkState.ACTIVE);
        assertThat(lastHistory(link).action()).isEqualTo("delete-ignored");

        // When the surviving contact is edited later
        harness.later(Duration.ofMinutes(5));
        harness.customcrm.editAsUser(RecordType.CONTACT, link.customcrmId(), Map.of("job_title", "Board member"));
        long webcrmWrites = harness.writes(Side.WEBCRM);
        harness.sync();

        // Then nothing is written to the person that is gone, nothing fails, and no second note is made
        assertThat(harness.writes(Side.WEBCRM)).isEqualTo(webcrmWrites);
        assertThat(harness.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.DEAD))).isEmpty();
        assertThat(harness.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.WAITING))).isEmpty();
        assertThat(harness.<List<HistoryEntry>>store(s -> s.history(link.id())))
                .filteredOn(e -> e.action().equals("delete-ignored")).hasSize(1);
        harness.assertAnotherSyncWritesNothing();
    }

    @Test
    void shouldRetireTheLinkForADeleteSeenInCustomcrmAndPropagateOneSeenInWebcrm() {
        // Given two synced products, deletes seen in Customcrm only retiring the link
        harness = SyncHarness.empty("""
                sync:
                  flows:
                    products: { delete: propagate, delete-on-customcrm: retire-link }
                """);
        int organisation = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                Map.of("OrganisationName", "Lager A/S", "OrganisationVatNumber", "DK11223344"));
        int kept = harness.webcrm.createAsUser(WebcrmEntity.PRODUCT,
                Map.of("ProductOrganisationId", organisation, "ProductCustom1", "Pallet rack"));
        int deleted = harness.webcrm.createAsUser(WebcrmEntity.PRODUCT,
                Map.of("ProductOrganisationId", organisation, "ProductCustom1", "Shelf"));
        harness.sync();
        Link keptLink = harness.link(Flow.PRODUCTS, Side.WEBCRM, Integer.toString(kept)).orElseThrow();
        Link deletedLink = harness.link(Flow.PRODUCTS, Side.WEBCRM, Integer.toString(deleted)).orElseThrow();

        // When one is deleted in Customcrm and the other in webCRM
        harness.later(Duration.ofMinutes(5));
        harness.customcrm.deleteAsUser(RecordType.PRODUCT, keptLink.customcrmId());
        harness.webcrm.deleteAsUser(WebcrmEntity.PRODUCT, deleted);
        harness.sync();

        // Then webCRM keeps its product (though it could delete it), while Customcrm's is deleted
        assertThat(harness.webcrm.record(WebcrmEntity.PRODUCT, kept)).isPresent();
        assertThat(harness.customcrm.record(RecordType.PRODUCT, deletedLink.customcrmId()).orElseThrow()
                .path("deleted").asBoolean()).isTrue();
        assertThat(stateOf(keptLink)).isEqualTo(LinkState.RETIRED);
        assertThat(lastHistory(keptLink).detail()).contains("delete policy is retire-link");
        assertThat(stateOf(deletedLink)).isEqualTo(LinkState.RETIRED);
    }

    /** A person with its organisation created in webCRM and synced; its link. */
    private Link syncedPerson() {
        int organisation = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                Map.of("OrganisationName", "Fyn Byg A/S", "OrganisationVatNumber", "DK12345678"));
        int person = harness.webcrm.createAsUser(WebcrmEntity.PERSON, Map.of("PersonOrganisationId", organisation,
                "PersonFirstName", "Mette", "PersonLastName", "Hansen", "PersonEmail", "mette@fynbyg.dk",
                "PersonStatus", "Active"));
        harness.sync();
        return harness.link(Flow.PERSONS, Side.WEBCRM, Integer.toString(person)).orElseThrow();
    }

    private LinkState stateOf(Link link) {
        return harness.store(s -> s.link(link.id())).orElseThrow().state();
    }

    private HistoryEntry lastHistory(Link link) {
        return harness.<List<HistoryEntry>>store(s -> s.history(link.id())).getLast();
    }
}
