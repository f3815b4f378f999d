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
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The QA checklist for "Every Webcrm Persons will be synchronized with a Customcrm Contact", over real HTTP
 * against both simulators: create with every mapped property and the parent reference in each direction, the
 * first link by e-mail, update of every mapped property in each direction, deletes (webCRM cannot delete persons
 * through its API), conflicting edits, a contact moved to another customer (webCRM cannot move a person), a
 * re-run with no change, and a person that waits for its organisation.
 */
class PersonScenarioTest {

    private final SyncHarness harness = SyncHarness.empty();

    @AfterEach
    void stop() {
        harness.close();
    }

    private static Map<String, Object> organisation(String name, String vat) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("OrganisationName", name);
        o.put("OrganisationVatNumber", vat);
        o.put("OrganisationCity", "Odense C");
        return o;
    }

    private static Map<String, Object> customer(String name, String vat) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("vat_number", vat);
        c.put("address", Map.of("city", "Malmö", "country_code", "SE"));
        return c;
    }

    private static Map<String, Object> person(int organisationId, String email) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("PersonOrganisationId", organisationId);
        p.put("PersonFirstName", "Mette");
        p.put("PersonMiddleName", "Louise");
        p.put("PersonLastName", "Hansen");
        p.put("PersonEmail", email);
        p.put("PersonEmail2", "mette@privat.dk");
        p.put("PersonDirectPhone", "+45 66 11 22 34");
        p.put("PersonMobilePhone", "+45 20 30 40 50");
        p.put("PersonTitle", "CFO");
        p.put("PersonSalutation", "Ms");
        p.put("PersonStatus", "Active");
        p.put("PersonBirthday", "1980-05-02T00:00:00");
        p.put("PersonComment", "Prefers e-mail");
        return p;
    }

    private static Map<String, Object> contact(String customerId, String email) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("customer_id", customerId);
        c.put("first_name", "Lars");
        c.put("middle_name", "Erik");
        c.put("last_name", "Svensson");
        c.put("email", email);
        c.put("secondary_email", "lars@hemma.se");
        c.put("phone", "+46 40 12 34 57");
        c.put("mobile", "+46 70 123 45 67");
        c.put("job_title", "Head of Purchasing");
        c.put("salutation", "Mr");
        c.put("status", "resigned");
        c.put("birthday", "1975-11-30");
        c.put("notes", "Met at the fair");
        return c;
    }

    private int webcrmOrganisation(String name, String vat) {
        return harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, organisation(name, vat));
    }

    private String customcrmCustomer(String name, String vat) {
        return harness.customcrm.createAsUser(RecordType.CUSTOMER, customer(name, vat)).path("id").asString();
    }

    private String customcrmContact(String customerId, String email) {
        return harness.customcrm.createAsUser(RecordType.CONTACT, contact(customerId, email)).path("id").asString();
    }

    private Link organisationLink(int organisationId) {
        return harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(organisationId)).orElseThrow();
    }

    private Link customerLink(String customerId) {
        return harness.link(Flow.ORGANISATIONS, Side.CUSTOMCRM, customerId).orElseThrow();
    }

    private JsonNode contactOf(Link link) {
        return harness.customcrm.record(RecordType.CONTACT, link.customcrmId()).orElseThrow();
    }

    private JsonNode personOf(Link link) {
        return harness.webcrm.record(WebcrmEntity.PERSON, Integer.parseInt(link.webcrmId())).orElseThrow();
    }

    /** A person and a contact, linked by a first sync, each under its own linked organisation. */
    private record Pair(Link link, Link organisation) {
    }

    private Pair syncedPersonFromWebcrm() {
        int organisation = webcrmOrganisation("Fynsk Logistik A/S", "DK11223344");
        int person = harness.webcrm.createAsUser(WebcrmEntity.PERSON, person(organisation, "mette.hansen@fynsk.dk"));
        harness.sync();
        return new Pair(harness.link(Flow.PERSONS, Side.WEBCRM, Integer.toString(person)).orElseThrow(),
                organisationLink(organisation));
    }

    private Pair syncedContactFromCustomcrm() {
        String customer = customcrmCustomer("Øresund Marine AB", "SE556677889901");
        String contact = customcrmContact(customer, "lars.svensson@oresund.se");
        harness.sync();
        return new Pair(harness.link(Flow.PERSONS, Side.CUSTOMCRM, contact).orElseThrow(), customerLink(customer));
    }

    @Test
    void shouldCreateAContactForANewPersonWithEveryMappedPropertyUnderItsLinkedCustomer() {
        // Given an organisation and its person, both new in webCRM
        int organisation = webcrmOrganisation("Fynsk Logistik A/S", "DK11223344");
        int id = harness.webcrm.createAsUser(WebcrmEntity.PERSON, person(organisation, "mette.hansen@fynsk.dk"));

        // When
        harness.sync();

        // Then the customer and the contact are made in the same sync, the contact under the linked customer
        Link link = harness.link(Flow.PERSONS, Side.WEBCRM, Integer.toString(id)).orElseThrow();
        Link parent = organisationLink(organisation);
        JsonNode c = contactOf(link);
        assertThat(c.path("customer_id").asString()).isEqualTo(parent.customcrmId());
        assertThat(harness.customcrm.record(RecordType.CUSTOMER, parent.customcrmId()).orElseThrow()
                .path("name").asString()).isEqualTo("Fynsk Logistik A/S");
        assertThat(c.path("first_name").asString()).isEqualTo("Mette");
        assertThat(c.path("middle_name").asString()).isEqualTo("Louise");
        assertThat(c.path("last_name").asString()).isEqualTo("Hansen");
        assertThat(c.path("email").asString()).isEqualTo("mette.hansen@fynsk.dk");
        assertThat(c.path("secondary_email").asString()).isEqualTo("mette@privat.dk");
        assertThat(c.path("phone").asString()).isEqualTo("+45 66 11 22 34");
        assertThat(c.path("mobile").asString()).isEqualTo("+45 20 30 40 50");
        assertThat(c.path("job_title").asString()).isEqualTo("CFO");
        assertThat(c.path("salutation").asString()).isEqualTo("Ms");
        assertThat(c.path("status").asString()).isEqualTo("active");
        assertThat(c.path("birthday").asString()).isEqualTo("1980-05-02");
        assertThat(c.path("notes").asString()).isEqualTo("Prefers e-mail");
        assertThat(c.path("external_ids").path("crmsync").asString()).isEqualTo(link.id());
        assertThat(link.state()).isEqualTo(LinkState.ACTIVE);
        assertThat(harness.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.DEAD))).isEmpty();
    }

    @Test
    void shouldCreateAPersonForANewContactWithEveryMappedPropertyUnderItsLinkedOrganisation() {
        // Given a customer synced in an earlier run, and a new contact of it
        String customer = customcrmCustomer("Øresund Marine AB", "SE556677889901");
        harness.sync();
        Link parent = customerLink(customer);
        harness.later(Duration.ofMinutes(5));
        String id = customcrmContact(customer, "lars.svensson@oresund.se");

        // When
        harness.sync();

        // Then
        Link link = harness.link(Flow.PERSONS, Side.CUSTOMCRM, id).orElseThrow();
        JsonNode p = personOf(link);
        assertThat(p.path("PersonOrganisationId").asInt()).isEqualTo(Integer.parseInt(parent.webcrmId()));
        assertThat(p.path("PersonFirstName").asString()).isEqualTo("Lars");
        assertThat(p.path("PersonMiddleName").asString()).isEqualTo("Erik");
        assertThat(p.path("PersonLastName").asString()).isEqualTo("Svensson");
        assertThat(p.path("PersonEmail").asString()).isEqualTo("lars.svensson@oresund.se");
        assertThat(p.path("PersonEmail2").asString()).isEqualTo("lars@hemma.se");
        assertThat(p.path("PersonDirectPhone").asString()).isEqualTo("+46 40 12 34 57");
        assertThat(p.path("PersonMobilePhone").asString()).isEqualTo("+46 70 123 45 67");
        assertThat(p.path("PersonTitle").asString()).isEqualTo("Head of Purchasing");
        assertThat(p.path("PersonSalutation").asString()).isEqualTo("Mr");
        assertThat(p.path("PersonStatus").asString()).isEqualTo("Resigned");
        assertThat(p.path("PersonBirthday").asString()).isEqualTo("1975-11-30T00:00:00");
        assertThat(p.path("PersonComment").asString()).isEqualTo("Met at the fair");
        assertThat(p.path("PersonCustom5").asString()).isEqualTo(link.id());
        assertThat(link.state()).isEqualTo(LinkState.ACTIVE);
        assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(1);
    }

    @Test
    void shouldLinkAnExistingPairByEmailInsteadOfCreatingTwoWhenCaseAndSpacesDiffer() {
        // Given the same company and the same person on both sides, the e-mail spelled differently
        int organisation = webcrmOrganisation("Fynsk A/S", "DK11223344");
        String customer = customcrmCustomer("Fynsk A/S", "DK11223344");
        int person = harness.webcrm.createAsUser(WebcrmEntity.PERSON, person(organisation, "  Mette.Hansen@Fynsk.DK "));
        harness.later(Duration.ofMinutes(1));
        String contact = customcrmContact(customer, "mette.hansen@fynsk.dk");

        // When
        harness.sync();

        // Then the two are one pair, and neither side got a second record
        Link link = harness.link(Flow.PERSONS, Side.WEBCRM, Integer.toString(person)).orElseThrow();
        assertThat(link.customcrmId()).isEqualTo(contact);
        assertThat(link.state()).isEqualTo(LinkState.ACTIVE);
        assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(1);
        assertThat(harness.customcrm.record(RecordType.CONTACT, "con_2")).isEmpty();
        assertThat(harness.<Long>store(s -> s.countLinks(Flow.PERSONS, null))).isEqualTo(1L);
        assertThat(harness.<List<String>>store(s -> s.observedIds(Flow.PERSONS, Side.CUSTOMCRM))).containsExactly(contact);
        // and the newer side's values now hold on both, the e-mail included
        assertThat(personOf(link).path("PersonEmail").asString()).isEqualTo("mette.hansen@fynsk.dk");
        assertThat(personOf(link).path("PersonLastName").asString()).isEqualTo("Svensson");
        assertThat(contactOf(link).path("last_name").asString()).isEqualTo("Svensson");
        assertThat(harness.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.DEAD))).isEmpty();
    }

    @Test
    void shouldCarryAnUpdateOfEveryMappedPropertyFromWebcrmToCustomcrm() {
        // Given
        Pair pair = syncedPersonFromWebcrm();
        harness.later(Duration.ofMinutes(5));

        // When every mapped property webCRM lets a user change changes (the organisation is fixed after create)
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("PersonFirstName", "Mette-Marie");
        changes.put("PersonMiddleName", "Lund");
        changes.put("PersonLastName", "Hansen-Berg");
        changes.put("PersonEmail", "mette.berg@fynsk.dk");
        changes.put("PersonEmail2", "mmb@privat.dk");
        changes.put("PersonDirectPhone", "+45 66 11 22 99");
        changes.put("PersonMobilePhone", "+45 21 31 41 51");
        changes.put("PersonTitle", "CEO");
        changes.put("PersonSalutation", "Dr");
        changes.put("PersonStatus", "Guest");
        changes.put("PersonBirthday", "1981-06-03T00:00:00");
        changes.put("PersonComment", "Promoted");
        harness.webcrm.editAsUser(WebcrmEntity.PERSON, Integer.parseInt(pair.link().webcrmId()), changes);
        harness.sync();

        // Then
        JsonNode c = contactOf(pair.link());
        assertThat(c.path("first_name").asString()).isEqualTo("Mette-Marie");
        assertThat(c.path("middle_name").asString()).isEqualTo("Lund");
        assertThat(c.path("last_name").asString()).isEqualTo("Hansen-Berg");
        assertThat(c.path("email").asString()).isEqualTo("mette.berg@fynsk.dk");
        assertThat(c.path("secondary_email").asString()).isEqualTo("mmb@privat.dk");
        assertThat(c.path("phone").asString()).isEqualTo("+45 66 11 22 99");
        assertThat(c.path("mobile").asString()).isEqualTo("+45 21 31 41 51");
        assertThat(c.path("job_title").asString()).isEqualTo("CEO");
        assertThat(c.path("salutation").asString()).isEqualTo("Dr");
        assertThat(c.path("status").asString()).isEqualTo("guest");
        assertThat(c.path("birthday").asString()).isEqualTo("1981-06-03");
        assertThat(c.path("notes").asString()).isEqualTo("Promoted");
        assertThat(c.path("customer_id").asString()).isEqualTo(pair.organisation().customcrmId());
    }

    @Test
    void shouldCarryAnUpdateOfEveryMappedPropertyFromCustomcrmToWebcrm() {
        // Given
        Pair pair = syncedContactFromCustomcrm();
        harness.later(Duration.ofMinutes(5));

        // When every mapped property but the customer changes (a move is its own scenario)
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("first_name", "Lasse");
        changes.put("middle_name", "Johan");
        changes.put("last_name", "Svensson-Ek");
        changes.put("email", "lasse.ek@oresund.se");
        changes.put("secondary_email", "lasse@hemma.se");
        changes.put("phone", "+46 40 99 99 99");
        changes.put("mobile", "+46 70 999 99 99");
        changes.put("job_title", "Buyer");
        changes.put("salutation", "Prof");
        changes.put("status", "other");
        changes.put("birthday", "1976-01-31");
        changes.put("notes", "Moved to Lund");
        harness.customcrm.editAsUser(RecordType.CONTACT, pair.link().customcrmId(), changes);
        harness.sync();

        // Then
        JsonNode p = personOf(pair.link());
        assertThat(p.path("PersonFirstName").asString()).isEqualTo("Lasse");
        assertThat(p.path("PersonMiddleName").asString()).isEqualTo("Johan");
        assertThat(p.path("PersonLastName").asString()).isEqualTo("Svensson-Ek");
        assertThat(p.path("PersonEmail").asString()).isEqualTo("lasse.ek@oresund.se");
        assertThat(p.path("PersonEmail2").asString()).isEqualTo("lasse@hemma.se");
        assertThat(p.path("PersonDirectPhone").asString()).isEqualTo("+46 40 99 99 99");
        assertThat(p.path("PersonMobilePhone").asString()).isEqualTo("+46 70 999 99 99");
        assertThat(p.path("PersonTitle").asString()).isEqualTo("Buyer");
        assertThat(p.path("PersonSalutation").asString()).isEqualTo("Prof");
        assertThat(p.path("PersonStatus").asString()).isEqualTo("Other");
        assertThat(p.path("PersonBirthday").asString()).isEqualTo("1976-01-31T00:00:00");
        assertThat(p.path("PersonComment").asString()).isEqualTo("Moved to Lund");
        assertThat(p.path("PersonOrganisationId").asInt()).isEqualTo(Integer.parseInt(pair.organisation().webcrmId()));
    }

    @Test
    void shouldDeleteTheContactWhenThePersonIsDeletedInWebcrm() {
        // Given
        Pair pair = syncedPersonFromWebcrm();

        // When
        harness.webcrm.deleteAsUser(WebcrmEntity.PERSON, Integer.parseInt(pair.link().webcrmId()));
        harness.sync();

        // Then the contact is gone, its customer stays, and the link is retired
        assertThat(contactOf(pair.link()).path("deleted").asBoolean()).isTrue();
        assertThat(harness.customcrm.record(RecordType.CUSTOMER, pair.organisation().customcrmId()).orElseThrow()
                .path("deleted").asBoolean()).isFalse();
        assertThat(harness.store(s -> s.link(pair.link().id())).orElseThrow().state()).isEqualTo(LinkState.RETIRED);
    }

    @Test
    void shouldDeleteTheContactAfterUnlinkingItsProductWhenThePersonIsDeletedInWebcrm() {
        // Given a synced person with a product of theirs
        Pair pair = syncedPersonFromWebcrm();
        int organisation = Integer.parseInt(pair.organisation().webcrmId());
        int product = harness.webcrm.createAsUser(WebcrmEntity.PRODUCT, Map.of("ProductOrganisationId", organisation,
                "ProductPersonId", Integer.parseInt(pair.link().webcrmId()), "ProductCustom1", "Pallet rack"));
        harness.sync();
        Link productLink = harness.link(Flow.PRODUCTS, Side.WEBCRM, Integer.toString(product)).orElseThrow();
        assertThat(harness.customcrm.record(RecordType.PRODUCT, productLink.customcrmId()).orElseThrow()
                .path("contact_id").asString()).isEqualTo(pair.link().customcrmId());

        // When the person is deleted in webCRM, which unlinks the product from them
        harness.later(Duration.ofMinutes(5));
        harness.webcrm.deleteAsUser(WebcrmEntity.PERSON, Integer.parseInt(pair.link().webcrmId()));
        harness.sync();

        // Then the product lets go of the contact first, so Customcrm can delete the contact
        JsonNode customcrmProduct = harness.customcrm.record(RecordType.PRODUCT, productLink.customcrmId()).orElseThrow();
        assertThat(customcrmProduct.path("deleted").asBoolean()).isFalse();
        assertThat(customcrmProduct.has("contact_id")).isFalse();
        assertThat(customcrmProduct.path("customer_id").asString()).isEqualTo(pair.organisation().customcrmId());
        assertThat(contactOf(pair.link()).path("deleted").asBoolean()).isTrue();
        assertThat(harness.store(s -> s.link(pair.link().id())).orElseThrow().state()).isEqualTo(LinkState.RETIRED);
        assertThat(harness.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.DEAD))).isEmpty();
    }

    @Test
    void shouldKeepAContactEditedSinceTheLastSyncWhenThePersonIsDeletedInWebcrm() {
        // Given
        Pair pair = syncedPersonFromWebcrm();
        Link link = pair.link();

        // When Customcrm edits the contact while webCRM deletes the person
        harness.later(Duration.ofMinutes(5));
        harness.customcrm.editAsUser(RecordType.CONTACT, link.customcrmId(), Map.of("job_title", "Board member"));
        harness.webcrm.deleteAsUser(WebcrmEntity.PERSON, Integer.parseInt(link.webcrmId()));
        harness.sync();

        // Then the edit is not thrown away: the contact stays, and the pair is no longer synced
        JsonNode c = contactOf(link);
        assertThat(c.path("deleted").asBoolean()).isFalse();
        assertThat(c.path("job_title").asString()).isEqualTo("Board member");
        assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.RETIRED);
        assertThat(harness.<List<HistoryEntry>>store(s -> s.history(link.id()))).last()
                .satisfies(e -> assertThat(e.detail()).contains("the edit is kept"));
        assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isZero();
    }

    @Test
    void shouldRetireTheLinkWhenTheContactIsDeletedBecauseWebcrmCannotDeletePersons() {
        // Given
        Pair pair = syncedContactFromCustomcrm();
        Link link = pair.link();

        // When the contact is deleted, and later the person is edited in webCRM
        harness.customcrm.deleteAsUser(RecordType.CONTACT, link.customcrmId());
        harness.sync();
        harness.later(Duration.ofMinutes(5));
        harness.webcrm.editAsUser(WebcrmEntity.PERSON, Integer.parseInt(link.webcrmId()), Map.of("PersonTitle", "CEO"));
        harness.sync();

        // Then the person stays, the link is retired with its reason, and nothing is resurrected
        assertThat(personOf(link).path("PersonLastName").asString()).isEqualTo("Svensson");
        assertThat(personOf(link).path("PersonTitle").asString()).isEqualTo("CEO");
        assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(1);
        assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.RETIRED);
        List<HistoryEntry> history = harness.store(s -> s.history(link.id()));
        assertThat(history).last().satisfies(e -> {
            assertThat(e.action()).isEqualTo("retired");
            assertThat(e.detail()).contains("cannot delete Persons");
        });
        assertThat(contactOf(link).path("deleted").asBoolean()).isTrue();
        assertThat(harness.customcrm.record(RecordType.CONTACT, "con_2")).isEmpty();
        assertThat(harness.<Long>store(s -> s.countLinks(Flow.PERSONS, null))).isEqualTo(1L);
        assertThat(harness.<Long>store(s -> s.countLinks(Flow.PERSONS, LinkState.ACTIVE))).isZero();
    }

    @Test
    void shouldLetTheNewerEditWinWhenBothSidesEditTheSameFieldAndRecordTheConflict() {
        // Given
        Pair pair = syncedPersonFromWebcrm();
        Link link = pair.link();

        // When webCRM changes the title, and a minute later Customcrm changes it too
        harness.later(Duration.ofMinutes(5));
        harness.webcrm.editAsUser(WebcrmEntity.PERSON, Integer.parseInt(link.webcrmId()), Map.of("PersonTitle", "COO"));
        harness.later(Duration.ofMinutes(1));
        harness.customcrm.editAsUser(RecordType.CONTACT, link.customcrmId(), Map.of("job_title", "CTO"));
        harness.sync();

        // Then the newer title holds on both sides, and the conflict is on record as settled
        assertThat(personOf(link).path("PersonTitle").asString()).isEqualTo("CTO");
        assertThat(contactOf(link).path("job_title").asString()).isEqualTo("CTO");
        List<Conflict> conflicts = harness.store(s -> s.conflicts(false));
        assertThat(conflicts).singleElement().satisfies(conflict -> {
            assertThat(conflict.linkId()).isEqualTo(link.id());
            assertThat(conflict.isOpen()).isFalse();
            assertThat(conflict.fields()).singleElement().satisfies(f -> {
                assertThat(f.field()).isEqualTo("job_title");
                assertThat(f.webcrm()).isEqualTo("COO");
                assertThat(f.customcrm()).isEqualTo("CTO");
                assertThat(f.winner()).isEqualTo(Side.CUSTOMCRM);
            });
        });
        assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.ACTIVE);
    }

    @Test
    void shouldKeepBothEditsWhenBothSidesEditDifferentFields() {
        // Given
        Pair pair = syncedContactFromCustomcrm();
        Link link = pair.link();

        // When webCRM changes the mobile and the status, and Customcrm the title and the birthday
        harness.later(Duration.ofMinutes(5));
        harness.webcrm.editAsUser(WebcrmEntity.PERSON, Integer.parseInt(link.webcrmId()),
                Map.of("PersonMobilePhone", "+46 70 000 00 01", "PersonStatus", "Active"));
        harness.later(Duration.ofMinutes(1));
        harness.customcrm.editAsUser(RecordType.CONTACT, link.customcrmId(),
                Map.of("job_title", "Chief Buyer", "birthday", "1975-12-01"));
        harness.sync();

        // Then all four edits hold on both sides, and there was no conflict
        JsonNode p = personOf(link);
        JsonNode c = contactOf(link);
        assertThat(p.path("PersonMobilePhone").asString()).isEqualTo("+46 70 000 00 01");
        assertThat(c.path("mobile").asString()).isEqualTo("+46 70 000 00 01");
        assertThat(p.path("PersonStatus").asString()).isEqualTo("Active");
        assertThat(c.path("status").asString()).isEqualTo("active");
        assertThat(p.path("PersonTitle").asString()).isEqualTo("Chief Buyer");
        assertThat(c.path("job_title").asString()).isEqualTo("Chief Buyer");
        assertThat(p.path("PersonBirthday").asString()).isEqualTo("1975-12-01T00:00:00");
        assertThat(c.path("birthday").asString()).isEqualTo("1975-12-01");
        assertThat(p.path("PersonLastName").asString()).isEqualTo("Svensson");
        assertThat(harness.<List<Conflict>>store(s -> s.conflicts(false))).isEmpty();
    }

    @Test
    void shouldMakeADeadLetterAndLeaveWebcrmAloneWhenAContactIsMovedToAnotherCustomer() {
        // Given a contact under one customer and a second customer, all synced
        Pair pair = syncedContactFromCustomcrm();
        Link link = pair.link();
        String other = customcrmCustomer("Skåne Shipping AB", "SE112233445501");
        harness.sync();
        JsonNode before = personOf(link);
        long webcrmWrites = harness.writes(Side.WEBCRM);

        // When a Customcrm user moves the contact to the other customer
        harness.later(Duration.ofMinutes(5));
        harness.customcrm.editAsUser(RecordType.CONTACT, link.customcrmId(), Map.of("customer_id", other));
        harness.sync();

        // Then the change stops in a dead letter that says why, and the person in webCRM is as it was
        List<ObservedRecord> dead = harness.store(s -> s.withStatus(RecordStatus.DEAD));
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.flow()).isEqualTo(Flow.PERSONS);
            assertThat(d.side()).isEqualTo(Side.CUSTOMCRM);
            assertThat(d.id()).isEqualTo(link.customcrmId());
            assertThat(d.reason()).contains("webCRM cannot move a person");
        });
        assertThat(harness.writes(Side.WEBCRM)).isEqualTo(webcrmWrites);
        JsonNode after = personOf(link);
        assertThat(after.path("PersonOrganisationId").asInt()).isEqualTo(Integer.parseInt(pair.organisation().webcrmId()));
        assertThat(after).isEqualTo(before);
        assertThat(contactOf(link).path("customer_id").asString()).isEqualTo(other);

        // When the Customcrm user moves the contact back
        harness.later(Duration.ofMinutes(5));
        harness.customcrm.editAsUser(RecordType.CONTACT, link.customcrmId(),
                Map.of("customer_id", pair.organisation().customcrmId(), "job_title", "Buyer"));
        harness.sync();

        // Then the dead letter clears and the pair syncs again
        assertThat(harness.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.DEAD))).isEmpty();
        assertThat(personOf(link).path("PersonTitle").asString()).isEqualTo("Buyer");
        assertThat(personOf(link).path("PersonOrganisationId").asInt())
                .isEqualTo(Integer.parseInt(pair.organisation().webcrmId()));
    }

    @Test
    void shouldMakeNoWriteOnEitherSideWhenRunAgainWithoutChange() {
        // Given persons and contacts on both sides, synced
        int organisation = webcrmOrganisation("Fynsk A/S", "DK11223344");
        harness.webcrm.createAsUser(WebcrmEntity.PERSON, person(organisation, "mette.hansen@fynsk.dk"));
        String customer = customcrmCustomer("Øresund AB", "SE556677889901");
        customcrmContact(customer, "lars.svensson@oresund.se");
        harness.sync();
        assertThat(harness.writes(Side.WEBCRM)).isPositive();
        assertThat(harness.writes(Side.CUSTOMCRM)).isPositive();

        // When, Then
        harness.assertAnotherSyncWritesNothing();
        assertThat(harness.<Long>store(s -> s.countLinks(Flow.PERSONS, LinkState.ACTIVE))).isEqualTo(2L);
    }

    @Test
    void shouldLetAPersonWaitForItsOrganisationAndLinkItOnceTheOrganisationSyncs() {
        // Given a customer that webCRM refuses (its website is longer than webCRM's 50 characters) and its contact
        String customer = harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund Marine AB",
                "website", "https://www.oresund-marine.se/en/about-us/offices/malmo-harbour")).path("id").asString();
        String contact = customcrmContact(customer, "lars.svensson@oresund.se");

        // When
        harness.sync();

        // Then the customer is a dead letter, and the contact waits rather than being made without its parent
        assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isZero();
        assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isZero();
        assertThat(harness.link(Flow.PERSONS, Side.CUSTOMCRM, contact)).isEmpty();
        assertThat(harness.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.DEAD))).singleElement()
                .satisfies(d -> assertThat(d.id()).isEqualTo(customer));
        assertThat(harness.store(s -> s.observed(Flow.PERSONS, Side.CUSTOMCRM, contact)).orElseThrow().status())
                .isEqualTo(RecordStatus.WAITING);

        // When the customer is fixed
        harness.later(Duration.ofMinutes(5));
        harness.customcrm.editAsUser(RecordType.CUSTOMER, customer, Map.of("website", "https://www.oresund.se"));
        harness.sync();

        // Then the organisation syncs, and the person follows it, under it
        Link parent = customerLink(customer);
        Link link = harness.link(Flow.PERSONS, Side.CUSTOMCRM, contact).orElseThrow();
        assertThat(personOf(link).path("PersonOrganisationId").asInt()).isEqualTo(Integer.parseInt(parent.webcrmId()));
        assertThat(personOf(link).path("PersonLastName").asString()).isEqualTo("Svensson");
        assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(1);
        assertThat(harness.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.DEAD))).isEmpty();
        assertThat(harness.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.WAITING))).isEmpty();
    }
}
