package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.ports.CreateIntent;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11, bad input, each a test, over real HTTP against both simulators: records the other side refuses, and
 * text that must survive exactly. Each bad record sits among good ones. The bad one must end as a dead letter
 * that carries the refusing system's reason, the good ones must go through, the store must hold no half write
 * (the outbox is empty, the bad record has no completed link, and a second sync writes nothing and leaves the
 * dead letter as it was), and once the record is fixed on its own side the next sync carries it and the dead
 * letter clears.
 */
class BadInputScenarioTest {

    /** Emoji of one, two and seven code points (a flag, a family joined by zero-width joiners), and a skin tone. */
    private static final String EMOJI = "🙂 🇩🇰 👨‍👩‍👧‍👦 👍🏽";
    /** Arabic and Hebrew, which run right to left, with Latin digits and an explicit direction mark inside. */
    private static final String RIGHT_TO_LEFT = "شركة الأمل ‏123 חברת השלום";

    private final SyncHarness harness = SyncHarness.empty();

    @AfterEach
    void stop() {
        harness.close();
    }

    // ---------------------------------------------------------------- what each test checks

    private Optional<ObservedRecord> observed(Flow flow, Side side, String id) {
        return harness.store(s -> s.observed(flow, side, id));
    }

    private List<ObservedRecord> deadLetters() {
        return harness.store(s -> s.withStatus(RecordStatus.DEAD));
    }

    /**
     * Checks that the record is the one dead letter, that nothing of its write is half done, and that a second
     * sync neither writes it again nor changes the dead letter.
     *
     * @return the dead letter's reason
     */
    private String assertOnlyDeadLetterWithoutHalfWrite(Flow flow, Side side, String id) {
        assertThat(deadLetters()).as("the dead letters").singleElement().satisfies(dead -> {
            assertThat(dead.flow()).isEqualTo(flow);
            assertThat(dead.side()).isEqualTo(side);
            assertThat(dead.id()).isEqualTo(id);
        });
        ObservedRecord before = observed(flow, side, id).orElseThrow();
        assertThat(harness.<List<CreateIntent>>store(s -> s.intents())).as("the outbox").isEmpty();
        assertThat(harness.link(flow, side, id).map(link -> link.idOn(side.other()))).as("the refused record's partner")
                .isEmpty();
        harness.assertAnotherSyncWritesNothing();
        ObservedRecord after = observed(flow, side, id).orElseThrow();
        assertThat(after.status()).isEqualTo(RecordStatus.DEAD);
        assertThat(after.reason()).isEqualTo(before.reason());
        assertThat(after.attempts()).isEqualTo(before.attempts());
        return before.reason();
    }

    /** Checks that the record is linked to a partner and settled. */
    private Link assertThrough(Flow flow, Side side, String id) {
        Link link = harness.link(flow, side, id).orElseThrow();
        assertThat(link.state()).isEqualTo(LinkState.ACTIVE);
        assertThat(link.idOn(side.other())).isNotNull();
        assertThat(observed(flow, side, id).orElseThrow().status()).isEqualTo(RecordStatus.SETTLED);
        return link;
    }

    /** Checks that the fixed record went through and that no dead letter is left. */
    private Link assertFixedAndCleared(Flow flow, Side side, String id) {
        Link link = assertThrough(flow, side, id);
        assertThat(deadLetters()).isEmpty();
        return link;
    }

    private void later() {
        harness.later(Duration.ofMinutes(5));
    }

    // ---------------------------------------------------------------- records to start from

    private int webcrmOrganisation(String name) {
        return harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", name));
    }

    private int webcrmPerson(int organisation, String lastName, String email) {
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("PersonOrganisationId", organisation);
        person.put("PersonFirstName", "Mette");
        person.put("PersonLastName", lastName);
        person.put("PersonEmail", email);
        return harness.webcrm.createAsUser(WebcrmEntity.PERSON, person);
    }

    private String customer(Map<String, ?> fields) {
        return harness.customcrm.createAsUser(RecordType.CUSTOMER, fields).path("id").asString();
    }

    private String contact(Map<String, ?> fields) {
        return harness.customcrm.createAsUser(RecordType.CONTACT, fields).path("id").asString();
    }

    private JsonNode webcrmRecord(WebcrmEntity entity, String id) {
        return harness.webcrm.record(entity, Integer.parseInt(id)).orElseThrow();
    }

    private JsonNode customcrmRecord(RecordType type, String id) {
        return harness.customcrm.record(type, id).orElseThrow();
    }

    // ---------------------------------------------------------------- refused records

    @Test
    void shouldDeadLetterACustomerWhoseCityIsTooLongForWebcrmAndCarryItOnceShortened() {
        // Given a customer whose city is over webCRM's 50 characters, beside a good one
        String city = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch";
        String bad = customer(Map.of("name", "Pwll Cyf", "address", Map.of("city", city)));
        String good = customer(Map.of("name", "Caerdydd Cyf", "address", Map.of("city", "Cardiff")));

        // When
        harness.sync();

        // Then webCRM's reason is kept, and the good customer went through
        assertThat(assertOnlyDeadLetterWithoutHalfWrite(Flow.ORGANISATIONS, Side.CUSTOMCRM, bad))
                .startsWith("webCRM refused the create: ")
                .contains("OrganisationCity: the text is " + city.length() + " characters long, the maximum is 50");
        assertThat(webcrmRecord(WebcrmEntity.ORGANISATION, assertThroughLink(Flow.ORGANISATIONS, good))
                .path("OrganisationCity").asString()).isEqualTo("Cardiff");
        assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(1);

        // When the city is shortened in Customcrm
        later();
        harness.customcrm.editAsUser(RecordType.CUSTOMER, bad, Map.of("address", Map.of("city", "Llanfairpwll")));
        harness.sync();

        // Then
        Link link = assertFixedAndCleared(Flow.ORGANISATIONS, Side.CUSTOMCRM, bad);
        assertThat(webcrmRecord(WebcrmEntity.ORGANISATION, link.webcrmId()).path("OrganisationCity").asString())
                .isEqualTo("Llanfairpwll");
    }

    @Test
    void shouldDeadLetterANameWebcrmCountsAsTooLongThoughCustomcrmCountsItShortEnough() {
        // Given a customer name of 150 emoji: 150 characters to Customcrm, which counts code points, and 300 to
        // webCRM, which counts UTF-16 units as .NET does, over its 200
        String name = "🏗".repeat(150);
        String bad = customer(Map.of("name", name));
        String good = customer(Map.of("name", "Byg 🏗 ApS"));

        // When
        harness.sync();

        // Then
        assertThat(assertOnlyDeadLetterWithoutHalfWrite(Flow.ORGANISATIONS, Side.CUSTOMCRM, bad))
                .contains("OrganisationName: the text is 300 characters long, the maximum is 200");
        assertThat(webcrmRecord(WebcrmEntity.ORGANISATION, assertThroughLink(Flow.ORGANISATIONS, good))
                .path("OrganisationName").asString()).isEqualTo("Byg 🏗 ApS");

        // When the name is cut to 100 emoji, 200 units
        later();
        harness.customcrm.editAsUser(RecordType.CUSTOMER, bad, Map.of("name", "🏗".repeat(100)));
        harness.sync();

        // Then
        Link link = assertFixedAndCleared(Flow.ORGANISATIONS, Side.CUSTOMCRM, bad);
        assertThat(webcrmRecord(WebcrmEntity.ORGANISATION, link.webcrmId()).path("OrganisationName").asString())
                .isEqualTo("🏗".repeat(100));
    }

    @Test
    void shouldDeadLetterAPersonWhoseEmailCustomcrmRefusesAndCarryItOnceCorrected() {
        // Given two persons of one organisation, one e-mail written the way people do when they dodge spam
        int organisation = webcrmOrganisation("Post A/S");
        String bad = Integer.toString(webcrmPerson(organisation, "Jensen", "jensen(at)post.dk"));
        String good = Integer.toString(webcrmPerson(organisation, "Holm", "holm@post.dk"));

        // When
        harness.sync();

        // Then Customcrm's reason names the field; the organisation and the other person went through
        assertThat(assertOnlyDeadLetterWithoutHalfWrite(Flow.PERSONS, Side.WEBCRM, bad))
                .startsWith("Customcrm refused the create: ").contains("email: must be an e-mail address");
        assertThat(assertThrough(Flow.PERSONS, Side.WEBCRM, good).customcrmId()).isNotNull();
        assertThat(harness.customcrm.count(RecordType.CONTACT)).isEqualTo(1);

        // When the address is corrected in webCRM
        later();
        harness.webcrm.editAsUser(WebcrmEntity.PERSON, Integer.parseInt(bad), Map.of("PersonEmail", "jensen@post.dk"));
        harness.sync();

        // Then
        Link link = assertFixedAndCleared(Flow.PERSONS, Side.WEBCRM, bad);
        assertThat(customcrmRecord(RecordType.CONTACT, link.customcrmId()).path("email").asString())
                .isEqualTo("jensen@post.dk");
    }

    @Test
    void shouldDeadLetterAContactWithoutTheLastNameWebcrmRequiresAndCarryItOnceGiven() {
        // Given a customer with two contacts, one without a last name
        String customer = customer(Map.of("name", "Navnløs ApS"));
        String bad = contact(Map.of("customer_id", customer, "first_name", "Anonym"));
        String good = contact(Map.of("customer_id", customer, "first_name", "Kendt", "last_name", "Navnsen"));

        // When
        harness.sync();

        // Then
        assertThat(assertOnlyDeadLetterWithoutHalfWrite(Flow.PERSONS, Side.CUSTOMCRM, bad))
                .startsWith("webCRM refused the create: ")
                .contains("It is mandatory to define last name (PersonLastName)");
        assertThat(assertThrough(Flow.PERSONS, Side.CUSTOMCRM, good).webcrmId()).isNotNull();

        // When the last name is filled in in Customcrm
        later();
        harness.customcrm.editAsUser(RecordType.CONTACT, bad, Map.of("last_name", "Anonymsen"));
        harness.sync();

        // Then
        Link link = assertFixedAndCleared(Flow.PERSONS, Side.CUSTOMCRM, bad);
        assertThat(webcrmRecord(WebcrmEntity.PERSON, link.webcrmId()).path("PersonLastName").asString())
                .isEqualTo("Anonymsen");
    }

    @Test
    void shouldDeadLetterAnOrganisationWithoutTheNameCustomcrmRequiresAndCarryItOnceGiven() {
        // Given an organisation without a name, beside a named one
        String bad = Integer.toString(harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                Map.of("OrganisationCity", "Vejle")));
        String good = Integer.toString(webcrmOrganisation("Vejle Vin A/S"));

        // When
        harness.sync();

        // Then
        assertThat(assertOnlyDeadLetterWithoutHalfWrite(Flow.ORGANISATIONS, Side.WEBCRM, bad))
                .startsWith("Customcrm refused the create: ").contains("name: is required");
        assertThat(assertThrough(Flow.ORGANISATIONS, Side.WEBCRM, good).customcrmId()).isNotNull();

        // When a webCRM user names it
        later();
        harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(bad),
                Map.of("OrganisationName", "Vejle Vand A/S"));
        harness.sync();

        // Then
        Link link = assertFixedAndCleared(Flow.ORGANISATIONS, Side.WEBCRM, bad);
        assertThat(customcrmRecord(RecordType.CUSTOMER, link.customcrmId()).path("name").asString())
                .isEqualTo("Vejle Vand A/S");
    }

    @Test
    void shouldDeadLetterACountryNameOutsideTheCountryListAndCarryItOnceItNamesACountry() {
        // Given an organisation in a country no list knows, beside one in Denmark
        String bad = Integer.toString(harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                Map.of("OrganisationName", "Atlantis Shipping", "OrganisationCountry", "Atlantis")));
        String good = Integer.toString(harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                Map.of("OrganisationName", "Danmark Shipping", "OrganisationCountry", "Danmark")));

        // When
        harness.sync();

        // Then crmsync says why it cannot write Customcrm's country code, before Customcrm is asked
        assertThat(assertOnlyDeadLetterWithoutHalfWrite(Flow.ORGANISATIONS, Side.WEBCRM, bad))
                .isEqualTo("OrganisationCountry: 'Atlantis' is not a country name crmsync knows");
        assertThat(customcrmRecord(RecordType.CUSTOMER, assertThrough(Flow.ORGANISATIONS, Side.WEBCRM, good)
                .customcrmId()).path("address").path("country_code").asString()).isEqualTo("DK");

        // When a webCRM user picks a real country
        later();
        harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(bad),
                Map.of("OrganisationCountry", "Greece"));
        harness.sync();

        // Then
        Link link = assertFixedAndCleared(Flow.ORGANISATIONS, Side.WEBCRM, bad);
        assertThat(customcrmRecord(RecordType.CUSTOMER, link.customcrmId()).path("address").path("country_code")
                .asString()).isEqualTo("GR");
    }

    @Test
    void shouldDeadLetterACustomFieldThatDoesNotReadAsItsMappedTypeAndCarryItOnceItDoes() {
        // Given a tenant that keeps the quantity in a text custom field, mapped as a decimal
        try (SyncHarness custom = SyncHarness.empty("""
                mappings:
                  products:
                    fields:
                      - { webcrm: ProductCustom2, customcrm: quantity, type: decimal }
                """)) {
            int organisation = custom.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName",
                    "Lager A/S"));
            String bad = Integer.toString(custom.webcrm.createAsUser(WebcrmEntity.PRODUCT, Map.of(
                    "ProductOrganisationId", organisation, "ProductCustom1", "Reol", "ProductCustom2", "about twelve")));
            String good = Integer.toString(custom.webcrm.createAsUser(WebcrmEntity.PRODUCT, Map.of(
                    "ProductOrganisationId", organisation, "ProductCustom1", "Hylde", "ProductCustom2", "12.5")));

            // When
            custom.sync();

            // Then
            assertThat(custom.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.DEAD)))
                    .singleElement().satisfies(dead -> {
                        assertThat(dead.id()).isEqualTo(bad);
                        assertThat(dead.reason()).isEqualTo("ProductCustom2: expected a number, got 'about twelve'");
                    });
            String goodProduct = custom.link(Flow.PRODUCTS, Side.WEBCRM, good).orElseThrow().customcrmId();
            assertThat(custom.customcrm.record(RecordType.PRODUCT, goodProduct).orElseThrow().path("quantity")
                    .decimalValue()).isEqualByComparingTo("12.5");
            assertThat(custom.customcrm.count(RecordType.PRODUCT)).isEqualTo(1);
            custom.assertAnotherSyncWritesNothing();

            // When the field is corrected in webCRM
            custom.later(Duration.ofMinutes(5));
            custom.webcrm.editAsUser(WebcrmEntity.PRODUCT, Integer.parseInt(bad), Map.of("ProductCustom2", "12"));
            custom.sync();

            // Then
            String fixed = custom.link(Flow.PRODUCTS, Side.WEBCRM, bad).orElseThrow().customcrmId();
            assertThat(custom.customcrm.record(RecordType.PRODUCT, fixed).orElseThrow().path("quantity")
                    .decimalValue()).isEqualByComparingTo("12");
            assertThat(custom.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.DEAD))).isEmpty();
        }
    }

    @Test
    void shouldHoldAContactWhoseCustomerWebcrmRefusedUntilTheCustomerIsFixedThenCarryBoth() {
        // Given a customer webCRM refuses (city too long) with a contact, beside a good customer with a contact
        String badCustomer = customer(Map.of("name", "Lang By ApS", "address", Map.of("city", "x".repeat(51))));
        String waiting = contact(Map.of("customer_id", badCustomer, "last_name", "Ventesen"));
        String goodCustomer = customer(Map.of("name", "Kort By ApS"));
        String good = contact(Map.of("customer_id", goodCustomer, "last_name", "Kortsen"));

        // When
        harness.sync();

        // Then the contact waits for its customer, naming it, and is no dead letter itself
        assertThat(deadLetters()).singleElement().extracting(ObservedRecord::id).isEqualTo(badCustomer);
        ObservedRecord held = observed(Flow.PERSONS, Side.CUSTOMCRM, waiting).orElseThrow();
        assertThat(held.status()).isEqualTo(RecordStatus.WAITING);
        assertThat(held.reason()).isEqualTo("customer points at an Organisation that does not exist on webCRM yet");
        assertThat(assertThrough(Flow.PERSONS, Side.CUSTOMCRM, good).webcrmId()).isNotNull();
        assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(1);
        harness.assertAnotherSyncWritesNothing();

        // When the customer is fixed
        later();
        harness.customcrm.editAsUser(RecordType.CUSTOMER, badCustomer, Map.of("address", Map.of("city", "By")));
        harness.sync();

        // Then both go through, the contact under the customer's new organisation
        Link customerLink = assertFixedAndCleared(Flow.ORGANISATIONS, Side.CUSTOMCRM, badCustomer);
        Link contactLink = assertFixedAndCleared(Flow.PERSONS, Side.CUSTOMCRM, waiting);
        assertThat(webcrmRecord(WebcrmEntity.PERSON, contactLink.webcrmId()).path("PersonOrganisationId").asString())
                .isEqualTo(customerLink.webcrmId());
    }

    @Test
    void shouldDeadLetterAPersonWhoseCustomerWasDeletedInCustomcrmWithCustomcrmsReason() {
        // Given an organisation linked to a customer that is then deleted in Customcrm (the link retires)
        int organisation = webcrmOrganisation("Slettet A/S");
        int other = webcrmOrganisation("Levende A/S");
        harness.sync();
        String deleted = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(organisation)).orElseThrow()
                .customcrmId();
        later();
        harness.customcrm.deleteAsUser(RecordType.CUSTOMER, deleted);
        harness.sync();

        // When a person of that organisation, and one of another, are added in webCRM
        later();
        String bad = Integer.toString(webcrmPerson(organisation, "Forældreløs", "f@slettet.dk"));
        String good = Integer.toString(webcrmPerson(other, "Levende", "l@levende.dk"));
        harness.sync();

        // Then Customcrm's reason says the customer is gone; the other person went through
        assertThat(assertOnlyDeadLetterWithoutHalfWrite(Flow.PERSONS, Side.WEBCRM, bad))
                .isEqualTo("Customcrm refused the create: not valid: customer_id (customer_id: customer " + deleted
                        + " was deleted)");
        assertThat(assertThrough(Flow.PERSONS, Side.WEBCRM, good).customcrmId()).isNotNull();
        assertThat(harness.customcrm.count(RecordType.CONTACT)).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterAProductWhosePersonWorksForAnotherOrganisationAndCarryItOnceCorrected() {
        // Given two organisations with a person each, and two products of the first: one names the second's person
        int first = webcrmOrganisation("Første A/S");
        int second = webcrmOrganisation("Anden A/S");
        int own = webcrmPerson(first, "Førstesen", "f@forste.dk");
        int stranger = webcrmPerson(second, "Andersen", "a@anden.dk");
        String bad = Integer.toString(harness.webcrm.createAsUser(WebcrmEntity.PRODUCT, Map.of(
                "ProductOrganisationId", first, "ProductPersonId", stranger, "ProductCustom1", "Kran")));
        String good = Integer.toString(harness.webcrm.createAsUser(WebcrmEntity.PRODUCT, Map.of(
                "ProductOrganisationId", first, "ProductPersonId", own, "ProductCustom1", "Løft")));

        // When
        harness.sync();

        // Then Customcrm's reason names the contact's own customer
        String strangerContact = harness.link(Flow.PERSONS, Side.WEBCRM, Integer.toString(stranger)).orElseThrow()
                .customcrmId();
        String secondCustomer = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(second))
                .orElseThrow().customcrmId();
        assertThat(assertOnlyDeadLetterWithoutHalfWrite(Flow.PRODUCTS, Side.WEBCRM, bad))
                .startsWith("Customcrm refused the create: ")
                .contains("contact_id: contact " + strangerContact + " works for customer " + secondCustomer);
        assertThat(assertThrough(Flow.PRODUCTS, Side.WEBCRM, good).customcrmId()).isNotNull();
        assertThat(harness.customcrm.count(RecordType.PRODUCT)).isEqualTo(1);

        // When a webCRM user gives the product the first organisation's person
        later();
        harness.webcrm.editAsUser(WebcrmEntity.PRODUCT, Integer.parseInt(bad), Map.of("ProductPersonId", own));
        harness.sync();

        // Then
        Link link = assertFixedAndCleared(Flow.PRODUCTS, Side.WEBCRM, bad);
        assertThat(customcrmRecord(RecordType.PRODUCT, link.customcrmId()).path("contact_id").asString())
                .isEqualTo(harness.link(Flow.PERSONS, Side.WEBCRM, Integer.toString(own)).orElseThrow().customcrmId());
    }

    // ---------------------------------------------------------------- text that must survive exactly

    @Test
    void shouldCarryEmojiAndRightToLeftTextExactlyBothWays() {
        // Given an organisation and a person in webCRM, a customer and a contact in Customcrm, in such text
        int organisation = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of(
                "OrganisationName", RIGHT_TO_LEFT + " " + EMOJI, "OrganisationComment", EMOJI + "\n" + RIGHT_TO_LEFT));
        int person = harness.webcrm.createAsUser(WebcrmEntity.PERSON, Map.of("PersonOrganisationId", organisation,
                "PersonFirstName", "ياسمين", "PersonLastName", "כהן " + EMOJI, "PersonEmail", "yasmin@amal.example"));
        String customer = customer(Map.of("name", EMOJI + " " + RIGHT_TO_LEFT, "notes", RIGHT_TO_LEFT + "\t" + EMOJI));
        String contact = contact(Map.of("customer_id", customer, "first_name", "דוד", "last_name",
                "الحسن " + EMOJI, "email", "david@shalom.example"));

        // When
        harness.sync();

        // Then every text arrives as it was, code point for code point
        JsonNode c = customcrmRecord(RecordType.CUSTOMER, assertThroughLink(Flow.ORGANISATIONS,
                Integer.toString(organisation), Side.WEBCRM));
        assertThat(c.path("name").asString()).isEqualTo(RIGHT_TO_LEFT + " " + EMOJI);
        assertThat(c.path("notes").asString()).isEqualTo(EMOJI + "\n" + RIGHT_TO_LEFT);
        JsonNode k = customcrmRecord(RecordType.CONTACT, assertThroughLink(Flow.PERSONS, Integer.toString(person),
                Side.WEBCRM));
        assertThat(k.path("first_name").asString()).isEqualTo("ياسمين");
        assertThat(k.path("last_name").asString()).isEqualTo("כהן " + EMOJI);
        JsonNode o = webcrmRecord(WebcrmEntity.ORGANISATION, assertThroughLink(Flow.ORGANISATIONS, customer));
        assertThat(o.path("OrganisationName").asString()).isEqualTo(EMOJI + " " + RIGHT_TO_LEFT);
        assertThat(o.path("OrganisationComment").asString()).isEqualTo(RIGHT_TO_LEFT + "\t" + EMOJI);
        JsonNode p = webcrmRecord(WebcrmEntity.PERSON, assertThroughLink(Flow.PERSONS, contact));
        assertThat(p.path("PersonFirstName").asString()).isEqualTo("דוד");
        assertThat(p.path("PersonLastName").asString()).isEqualTo("الحسن " + EMOJI);
        assertThat(deadLetters()).isEmpty();
        // and reading them back is no change: no write goes back and forth
        harness.assertAnotherSyncWritesNothing();
    }

    @Test
    void shouldCarryAMemoOfAMegabyteExactlyBothWays() {
        // Given a comment in webCRM and notes in Customcrm of over a million characters each
        // (crmsync trims the whitespace around a value, so that a system that trims it on save starts no
        // ping-pong; a memo that ends in a line break arrives without it)
        String memo = String.join("\n", Collections.nCopies(16_000,
                "Møde 14/3: " + EMOJI + " " + RIGHT_TO_LEFT + " 'citat' \"citat\" C:\\sti\\"));
        int organisation = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of(
                "OrganisationName", "Memo A/S", "OrganisationComment", memo));
        String customer = customer(Map.of("name", "Memo AB", "notes", "Customcrm " + memo));

        // When
        harness.sync();

        // Then
        assertThat(memo.length()).isGreaterThan(1_000_000);
        assertThat(customcrmRecord(RecordType.CUSTOMER, assertThroughLink(Flow.ORGANISATIONS,
                Integer.toString(organisation), Side.WEBCRM)).path("notes").asString()).isEqualTo(memo);
        assertThat(webcrmRecord(WebcrmEntity.ORGANISATION, assertThroughLink(Flow.ORGANISATIONS, customer))
                .path("OrganisationComment").asString()).isEqualTo("Customcrm " + memo);
        harness.assertAnotherSyncWritesNothing();
    }

    @Test
    void shouldCarryQuotesAndBackslashesExactlyAndLinkByAnEmailHoldingAQuote() {
        // Given the same person on both sides under an e-mail with an apostrophe, written differently, and two
        // contacts whose e-mails a broken quoting would confuse with it
        int organisation = webcrmOrganisation("O'Brien & \"Sons\" \\ Ltd");
        int person = harness.webcrm.createAsUser(WebcrmEntity.PERSON, Map.of("PersonOrganisationId", organisation,
                "PersonFirstName", "Seán \"Jack\"", "PersonLastName", "O'Brien", "PersonEmail", " Sean.O'Brien@Example.ie ",
                "PersonComment", "path C:\\crm\\'quoted' \"double\" \\\\server"));
        String customer = customer(Map.of("name", "O'Brien Partners"));
        String same = contact(Map.of("customer_id", customer, "last_name", "O'Brien",
                "email", "sean.o'brien@example.ie"));
        String doubled = contact(Map.of("customer_id", customer, "last_name", "O''Brien",
                "email", "sean.o''brien@example.ie"));
        String plain = contact(Map.of("customer_id", customer, "last_name", "OBrien", "email", "sean.obrien@example.ie"));

        // When
        harness.sync();

        // Then the person is linked to the one contact of the same e-mail, and the others are persons of their own
        Link link = assertThrough(Flow.PERSONS, Side.WEBCRM, Integer.toString(person));
        assertThat(link.customcrmId()).isEqualTo(same);
        assertThat(harness.link(Flow.PERSONS, Side.CUSTOMCRM, doubled).orElseThrow().webcrmId())
                .isNotEqualTo(link.webcrmId());
        assertThat(harness.link(Flow.PERSONS, Side.CUSTOMCRM, plain).orElseThrow().webcrmId())
                .isNotEqualTo(link.webcrmId());
        assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(3);
        assertThat(harness.customcrm.count(RecordType.CONTACT)).isEqualTo(3);
        // and the quotes and backslashes arrive as written
        JsonNode o = customcrmRecord(RecordType.CUSTOMER, assertThroughLink(Flow.ORGANISATIONS,
                Integer.toString(organisation), Side.WEBCRM));
        assertThat(o.path("name").asString()).isEqualTo("O'Brien & \"Sons\" \\ Ltd");
        JsonNode c = customcrmRecord(RecordType.CONTACT, same);
        assertThat(c.path("notes").asString()).isEqualTo("path C:\\crm\\'quoted' \"double\" \\\\server");
        assertThat(webcrmRecord(WebcrmEntity.PERSON, harness.link(Flow.PERSONS, Side.CUSTOMCRM, doubled)
                .orElseThrow().webcrmId()).path("PersonEmail").asString()).isEqualTo("sean.o''brien@example.ie");
        harness.assertAnotherSyncWritesNothing();
    }

    // ---------------------------------------------------------------- small helpers

    /** @return the webCRM id linked to a Customcrm record, which must be through */
    private String assertThroughLink(Flow flow, String customcrmId) {
        return assertThrough(flow, Side.CUSTOMCRM, customcrmId).webcrmId();
    }

    /** @return the other side's id linked to a record, which must be through */
    private String assertThroughLink(Flow flow, String id, Side side) {
        Link link = assertThrough(flow, side, id);
        return link.idOn(side.other());
    }
}
