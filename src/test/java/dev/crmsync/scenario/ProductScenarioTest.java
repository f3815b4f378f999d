package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The QA checklist for "Every Webcrm Products will be synchronized with a Customcrm Product", over real HTTP
 * against both simulators: create with every mapped property and both references in each direction (products
 * have no match key, so they are always created on the other side), update of every mapped property in each
 * direction, deletes in each direction (both systems can delete products), conflicting edits, and a re-run with
 * no change.
 */
class ProductScenarioTest {

    private final SyncHarness harness = SyncHarness.empty();

    @AfterEach
    void stop() {
        harness.close();
    }

    /** An organisation and one of its persons in webCRM. */
    private record WebcrmOwner(int organisation, int person) {
    }

    /** A customer and one of its contacts in Customcrm. */
    private record CustomcrmOwner(String customer, String contact) {
    }

    private WebcrmOwner webcrmOwner(String name, String vat, String email) {
        int organisation = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                Map.of("OrganisationName", name, "OrganisationVatNumber", vat));
        int person = harness.webcrm.createAsUser(WebcrmEntity.PERSON, Map.of("PersonOrganisationId", organisation,
                "PersonFirstName", "Mette", "PersonLastName", "Hansen", "PersonEmail", email));
        return new WebcrmOwner(organisation, person);
    }

    private CustomcrmOwner customcrmOwner(String name, String vat, String email) {
        String customer = harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", name, "vat_number", vat))
                .path("id").asString();
        String contact = harness.customcrm.createAsUser(RecordType.CONTACT, Map.of("customer_id", customer,
                "first_name", "Lars", "last_name", "Svensson", "email", email)).path("id").asString();
        return new CustomcrmOwner(customer, contact);
    }

    private static Map<String, Object> webcrmProduct(WebcrmOwner owner, String name) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ProductOrganisationId", owner.organisation());
        p.put("ProductPersonId", owner.person());
        p.put("ProductCustom1", name);
        p.put("ProductComment", "Galvanised, 6 levels");
        p.put("ProductPrice", new BigDecimal("1234.50"));
        p.put("ProductListPrice", new BigDecimal("1500"));
        p.put("ProductCostPrice", new BigDecimal("812.25"));
        p.put("ProductDiscount", new BigDecimal("12.5"));
        p.put("ProductQuantity", new BigDecimal("3"));
        p.put("ProductVatCode", "S25");
        p.put("ProductProductYear", 2024);
        p.put("ProductStockStatus", "In stock");
        return p;
    }

    private static Map<String, Object> customcrmProduct(CustomcrmOwner owner, String name) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("customer_id", owner.customer());
        p.put("contact_id", owner.contact());
        p.put("name", name);
        p.put("description", "Electric, 2 t");
        p.put("price", new BigDecimal("45990.10"));
        p.put("list_price", new BigDecimal("49999.00"));
        p.put("cost_price", new BigDecimal("31000.75"));
        p.put("discount_percent", new BigDecimal("8.0"));
        p.put("quantity", new BigDecimal("1.5"));
        p.put("vat_code", "SE25");
        p.put("year", 2023);
        p.put("stock_status", "On order");
        return p;
    }

    private Link link(Flow flow, Side side, Object id) {
        return harness.link(flow, side, id.toString()).orElseThrow();
    }

    private JsonNode customcrmProductOf(Link link) {
        return harness.customcrm.record(RecordType.PRODUCT, link.customcrmId()).orElseThrow();
    }

    private JsonNode webcrmProductOf(Link link) {
        return harness.webcrm.record(WebcrmEntity.PRODUCT, Integer.parseInt(link.webcrmId())).orElseThrow();
    }

    private static void assertDecimal(JsonNode value, String expected) {
        assertThat(value.isNumber()).as("%s is a number", value).isTrue();
        assertThat(value.decimalValue()).isEqualByComparingTo(expected);
    }

    private static void assertInteger(JsonNode value, int expected) {
        assertThat(value.isIntegralNumber()).as("%s is a whole number", value).isTrue();
        assertThat(value.asInt()).isEqualTo(expected);
    }

    private Link syncedProductFromWebcrm() {
        WebcrmOwner owner = webcrmOwner("Fynsk Logistik A/S", "DK11223344", "mette.hansen@fynsk.dk");
        int id = harness.webcrm.createAsUser(WebcrmEntity.PRODUCT, webcrmProduct(owner, "Pallet rack"));
        harness.sync();
        return link(Flow.PRODUCTS, Side.WEBCRM, id);
    }

    private Link syncedProductFromCustomcrm() {
        CustomcrmOwner owner = customcrmOwner("Øresund Marine AB", "SE556677889901", "lars.svensson@oresund.se");
        String id = harness.customcrm.createAsUser(RecordType.PRODUCT, customcrmProduct(owner, "Forklift"))
                .path("id").asString();
        harness.sync();
        return link(Flow.PRODUCTS, Side.CUSTOMCRM, id);
    }

    @Test
    void shouldCreateACustomcrmProductForANewWebcrmProductWithEveryMappedProperty() {
        // Given an organisation, its person and their product, all new in webCRM
        WebcrmOwner owner = webcrmOwner("Fynsk Logistik A/S", "DK11223344", "mette.hansen@fynsk.dk");
        int id = harness.webcrm.createAsUser(WebcrmEntity.PRODUCT, webcrmProduct(owner, "Pallet rack"));

        // When
        harness.sync();

        // Then the product is made in the same sync as its parents, and points at them
        Link link = link(Flow.PRODUCTS, Side.WEBCRM, id);
        JsonNode p = customcrmProductOf(link);
        assertThat(p.path("customer_id").asString())
                .isEqualTo(link(Flow.ORGANISATIONS, Side.WEBCRM, owner.organisation()).customcrmId());
        assertThat(p.path("contact_id").asString())
                .isEqualTo(link(Flow.PERSONS, Side.WEBCRM, owner.person()).customcrmId());
        assertThat(p.path("name").asString()).isEqualTo("Pallet rack");
        assertThat(p.path("description").asString()).isEqualTo("Galvanised, 6 levels");
        assertDecimal(p.path("price"), "1234.5");
        assertDecimal(p.path("list_price"), "1500");
        assertDecimal(p.path("cost_price"), "812.25");
        assertDecimal(p.path("discount_percent"), "12.5");
        assertDecimal(p.path("quantity"), "3");
        assertThat(p.path("vat_code").asString()).isEqualTo("S25");
        assertInteger(p.path("year"), 2024);
        assertThat(p.path("stock_status").asString()).isEqualTo("In stock");
        assertThat(p.path("external_ids").path("crmsync").asString()).isEqualTo(link.id());
        assertThat(link.state()).isEqualTo(LinkState.ACTIVE);
    }

    @Test
    void shouldCreateAWebcrmProductForANewCustomcrmProductWithEveryMappedProperty() {
        // Given a customer and its contact synced in an earlier run, and a new product of theirs
        CustomcrmOwner owner = customcrmOwner("Øresund Marine AB", "SE556677889901", "lars.svensson@oresund.se");
        harness.sync();
        harness.later(Duration.ofMinutes(5));
        String id = harness.customcrm.createAsUser(RecordType.PRODUCT, customcrmProduct(owner, "Forklift"))
                .path("id").asString();

        // When
        harness.sync();

        // Then
        Link link = link(Flow.PRODUCTS, Side.CUSTOMCRM, id);
        JsonNode p = webcrmProductOf(link);
        assertThat(p.path("ProductOrganisationId").asInt())
                .isEqualTo(Integer.parseInt(link(Flow.ORGANISATIONS, Side.CUSTOMCRM, owner.customer()).webcrmId()));
        assertThat(p.path("ProductPersonId").asInt())
                .isEqualTo(Integer.parseInt(link(Flow.PERSONS, Side.CUSTOMCRM, owner.contact()).webcrmId()));
        assertThat(p.path("ProductCustom1").asString()).isEqualTo("Forklift");
        assertThat(p.path("ProductComment").asString()).isEqualTo("Electric, 2 t");
        assertDecimal(p.path("ProductPrice"), "45990.10");
        assertDecimal(p.path("ProductListPrice"), "49999");
        assertDecimal(p.path("ProductCostPrice"), "31000.75");
        assertDecimal(p.path("ProductDiscount"), "8");
        assertDecimal(p.path("ProductQuantity"), "1.5");
        assertThat(p.path("ProductVatCode").asString()).isEqualTo("SE25");
        assertInteger(p.path("ProductProductYear"), 2023);
        assertThat(p.path("ProductStockStatus").asString()).isEqualTo("On order");
        assertThat(p.path("ProductCustom5").asString()).isEqualTo(link.id());
        assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(1);
    }

    @Test
    void shouldCreateTheOtherSidesProductEvenWhenBothSidesHoldTheSameProductBecauseProductsHaveNoMatchKey() {
        // Given the same company and person on both sides, each with a product of the same name
        WebcrmOwner webcrm = webcrmOwner("Fynsk A/S", "DK11223344", "mette.hansen@fynsk.dk");
        CustomcrmOwner customcrm = customcrmOwner("Fynsk A/S", "DK11223344", "mette.hansen@fynsk.dk");
        int webcrmProduct = harness.webcrm.createAsUser(WebcrmEntity.PRODUCT, webcrmProduct(webcrm, "Pallet rack"));
        String customcrmProduct = harness.customcrm.createAsUser(RecordType.PRODUCT,
                customcrmProduct(customcrm, "Pallet rack")).path("id").asString();

        // When
        harness.sync();

        // Then the parents are linked, and each product got its own copy on the other side
        assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(1);
        assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(1);
        assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(2);
        assertThat(harness.customcrm.record(RecordType.PRODUCT, "prd_2")).isPresent();
        assertThat(harness.customcrm.record(RecordType.PRODUCT, "prd_3")).isEmpty();
        Link fromWebcrm = link(Flow.PRODUCTS, Side.WEBCRM, webcrmProduct);
        Link fromCustomcrm = link(Flow.PRODUCTS, Side.CUSTOMCRM, customcrmProduct);
        assertThat(fromWebcrm.id()).isNotEqualTo(fromCustomcrm.id());
        assertThat(fromWebcrm.customcrmId()).isNotEqualTo(customcrmProduct);
        assertThat(customcrmProductOf(fromWebcrm).path("customer_id").asString()).isEqualTo(customcrm.customer());
        assertThat(webcrmProductOf(fromCustomcrm).path("ProductOrganisationId").asInt()).isEqualTo(webcrm.organisation());
        assertThat(harness.<Long>store(s -> s.countLinks(Flow.PRODUCTS, LinkState.ACTIVE))).isEqualTo(2L);
    }

    @Test
    void shouldCarryAnUpdateOfEveryMappedPropertyFromWebcrmToCustomcrm() {
        // Given a synced product, and a second organisation with its person
        Link link = syncedProductFromWebcrm();
        WebcrmOwner other = webcrmOwner("Vestjysk Stål A/S", "DK55667788", "jens@vestjysk.dk");
        harness.sync();
        harness.later(Duration.ofMinutes(5));

        // When every mapped property changes, the product moving to the other organisation and person
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("ProductOrganisationId", other.organisation());
        changes.put("ProductPersonId", other.person());
        changes.put("ProductCustom1", "Pallet rack XL");
        changes.put("ProductComment", "Galvanised, 8 levels");
        changes.put("ProductPrice", new BigDecimal("1399.95"));
        changes.put("ProductListPrice", new BigDecimal("1650.5"));
        changes.put("ProductCostPrice", new BigDecimal("900"));
        changes.put("ProductDiscount", new BigDecimal("15.25"));
        changes.put("ProductQuantity", new BigDecimal("4.5"));
        changes.put("ProductVatCode", "S12");
        changes.put("ProductProductYear", 2025);
        changes.put("ProductStockStatus", "Sold out");
        harness.webcrm.editAsUser(WebcrmEntity.PRODUCT, Integer.parseInt(link.webcrmId()), changes);
        harness.sync();

        // Then
        JsonNode p = customcrmProductOf(link);
        assertThat(p.path("customer_id").asString())
                .isEqualTo(link(Flow.ORGANISATIONS, Side.WEBCRM, other.organisation()).customcrmId());
        assertThat(p.path("contact_id").asString())
                .isEqualTo(link(Flow.PERSONS, Side.WEBCRM, other.person()).customcrmId());
        assertThat(p.path("name").asString()).isEqualTo("Pallet rack XL");
        assertThat(p.path("description").asString()).isEqualTo("Galvanised, 8 levels");
        assertDecimal(p.path("price"), "1399.95");
        assertDecimal(p.path("list_price"), "1650.5");
        assertDecimal(p.path("cost_price"), "900");
        assertDecimal(p.path("discount_percent"), "15.25");
        assertDecimal(p.path("quantity"), "4.5");
        assertThat(p.path("vat_code").asString()).isEqualTo("S12");
        assertInteger(p.path("year"), 2025);
        assertThat(p.path("stock_status").asString()).isEqualTo("Sold out");
    }

    @Test
    void shouldCarryAnUpdateOfEveryMappedPropertyFromCustomcrmToWebcrm() {
        // Given a synced product, and a second customer with its contact
        Link link = syncedProductFromCustomcrm();
        CustomcrmOwner other = customcrmOwner("Skåne Shipping AB", "SE112233445501", "eva@skane.se");
        harness.sync();
        harness.later(Duration.ofMinutes(5));

        // When every mapped property changes, the product moving to the other customer and contact
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("customer_id", other.customer());
        changes.put("contact_id", other.contact());
        changes.put("name", "Forklift Pro");
        changes.put("description", "Electric, 3 t");
        changes.put("price", new BigDecimal("52000.40"));
        changes.put("list_price", new BigDecimal("55000"));
        changes.put("cost_price", new BigDecimal("36000.5"));
        changes.put("discount_percent", new BigDecimal("5.75"));
        changes.put("quantity", new BigDecimal("2"));
        changes.put("vat_code", "SE12");
        changes.put("year", 2026);
        changes.put("stock_status", "In stock");
        harness.customcrm.editAsUser(RecordType.PRODUCT, link.customcrmId(), changes);
        harness.sync();

        // Then
        JsonNode p = webcrmProductOf(link);
        assertThat(p.path("ProductOrganisationId").asInt())
                .isEqualTo(Integer.parseInt(link(Flow.ORGANISATIONS, Side.CUSTOMCRM, other.customer()).webcrmId()));
        assertThat(p.path("ProductPersonId").asInt())
                .isEqualTo(Integer.parseInt(link(Flow.PERSONS, Side.CUSTOMCRM, other.contact()).webcrmId()));
        assertThat(p.path("ProductCustom1").asString()).isEqualTo("Forklift Pro");
        assertThat(p.path("ProductComment").asString()).isEqualTo("Electric, 3 t");
        assertDecimal(p.path("ProductPrice"), "52000.4");
        assertDecimal(p.path("ProductListPrice"), "55000");
        assertDecimal(p.path("ProductCostPrice"), "36000.5");
        assertDecimal(p.path("ProductDiscount"), "5.75");
        assertDecimal(p.path("ProductQuantity"), "2");
        assertThat(p.path("ProductVatCode").asString()).isEqualTo("SE12");
        assertInteger(p.path("ProductProductYear"), 2026);
        assertThat(p.path("ProductStockStatus").asString()).isEqualTo("In stock");
    }

    @Test
    void shouldDeleteTheCustomcrmProductWhenTheWebcrmProductIsDeleted() {
        // Given
        Link link = syncedProductFromWebcrm();

        // When
        harness.webcrm.deleteAsUser(WebcrmEntity.PRODUCT, Integer.parseInt(link.webcrmId()));
        harness.sync();

        // Then
        assertThat(customcrmProductOf(link).path("deleted").asBoolean()).isTrue();
        assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.RETIRED);
        assertThat(harness.<Long>store(s -> s.countLinks(Flow.ORGANISATIONS, LinkState.ACTIVE))).isEqualTo(1L);
        assertThat(harness.<Long>store(s -> s.countLinks(Flow.PERSONS, LinkState.ACTIVE))).isEqualTo(1L);
    }

    @Test
    void shouldDeleteTheWebcrmProductWhenTheCustomcrmProductIsDeleted() {
        // Given
        Link link = syncedProductFromCustomcrm();

        // When
        harness.customcrm.deleteAsUser(RecordType.PRODUCT, link.customcrmId());
        harness.sync();

        // Then webCRM's DELETE /Products removed it, and nothing was made anew
        assertThat(harness.webcrm.record(WebcrmEntity.PRODUCT, Integer.parseInt(link.webcrmId()))).isEmpty();
        assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isZero();
        assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(1);
        assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.RETIRED);
        assertThat(harness.customcrm.record(RecordType.PRODUCT, "prd_2")).isEmpty();
    }

    @Test
    void shouldDeleteTheWebcrmProductWhoseCreateLandedAfterTheProcessDiedWhenTheCustomcrmProductIsDeleted() {
        // Given a Customcrm product whose create landed on webCRM, but the process died before it learnt so
        CustomcrmOwner owner = customcrmOwner("Øresund Marine AB", "SE556677889901", "lars.svensson@oresund.se");
        harness.sync();
        String id = harness.customcrm.createAsUser(RecordType.PRODUCT, customcrmProduct(owner, "Forklift"))
                .path("id").asString();
        assertThatThrownBy(() -> harness.runWith(new SyncCycle.Options(false, true, false), store -> store,
                (side, connector) -> side == Side.WEBCRM ? SimulatedCrash.losingAnswers(connector, () -> true)
                        : connector)).isInstanceOf(SimulatedCrash.class);
        assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(1);

        // When the product is deleted in Customcrm before crmsync runs again
        harness.later(Duration.ofMinutes(1));
        harness.customcrm.deleteAsUser(RecordType.PRODUCT, id);
        harness.sync();

        // Then the copy crmsync made in webCRM, found by its stamp and never edited there, is deleted too (issue 11:
        // the link was retired as if webCRM had edited it, and the copy was left behind)
        assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isZero();
        Link link = link(Flow.PRODUCTS, Side.CUSTOMCRM, id);
        assertThat(link.state()).isEqualTo(LinkState.RETIRED);
        assertThat(harness.<List<HistoryEntry>>store(s -> s.history(link.id()))).last()
                .satisfies(entry -> assertThat(entry.action()).isEqualTo("deleted"));
    }

    @Test
    void shouldDeleteTheWebcrmProductWhoseUpdateLandedAfterTheProcessDiedWhenTheCustomcrmProductIsDeleted() {
        // Given a price edited in Customcrm whose update landed on webCRM, but the process died before it learnt so
        Link link = syncedProductFromCustomcrm();
        harness.later(Duration.ofMinutes(5));
        harness.customcrm.editAsUser(RecordType.PRODUCT, link.customcrmId(), Map.of("price", new BigDecimal("39990")));
        diesRightAfterItsWebcrmWriteLands(harness);
        assertDecimal(webcrmProductOf(link).path("ProductPrice"), "39990");

        // When the product is deleted in Customcrm before crmsync runs again
        harness.later(Duration.ofMinutes(1));
        harness.customcrm.deleteAsUser(RecordType.PRODUCT, link.customcrmId());
        harness.sync();

        // Then webCRM holds nothing the Customcrm user had not seen, so its product is deleted too (the model test,
        // seed 89: the unrecorded update counted as an edit made in webCRM, and the pair was retired instead)
        assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isZero();
        assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.RETIRED);
        assertThat(harness.<List<HistoryEntry>>store(s -> s.history(link.id()))).extracting(HistoryEntry::action)
                .containsSubsequence("update", "deleted");
    }

    @Test
    void shouldKeepTheNextCustomcrmEditWhenAnUnrecordedUpdateLandedAndWebcrmWinsConflicts() {
        try (SyncHarness webcrmWins = SyncHarness.empty("sync: { conflict-policy: webcrm-wins }\n")) {
            // Given a price edited in Customcrm whose update landed on webCRM, but the process died before it
            // learnt so
            String customer = webcrmWins.customcrm.createAsUser(RecordType.CUSTOMER,
                    Map.of("name", "Øresund Marine AB", "vat_number", "SE556677889901")).path("id").asString();
            String product = webcrmWins.customcrm.createAsUser(RecordType.PRODUCT, Map.of("customer_id", customer,
                    "name", "Forklift", "price", new BigDecimal("45990.10"))).path("id").asString();
            webcrmWins.sync();
            webcrmWins.later(Duration.ofMinutes(5));
            webcrmWins.customcrm.editAsUser(RecordType.PRODUCT, product, Map.of("price", new BigDecimal("39990")));
            diesRightAfterItsWebcrmWriteLands(webcrmWins);

            // When Customcrm edits the price again before crmsync runs again
            webcrmWins.later(Duration.ofMinutes(1));
            webcrmWins.customcrm.editAsUser(RecordType.PRODUCT, product, Map.of("price", new BigDecimal("38500")));
            webcrmWins.sync();

            // Then the later edit holds on both sides: webCRM's copy of the first one was crmsync's own write, not
            // an edit that conflicts with it and wins
            Link link = webcrmWins.link(Flow.PRODUCTS, Side.CUSTOMCRM, product).orElseThrow();
            assertDecimal(webcrmWins.customcrm.record(RecordType.PRODUCT, product).orElseThrow().path("price"),
                    "38500");
            assertDecimal(webcrmWins.webcrm.record(WebcrmEntity.PRODUCT, Integer.parseInt(link.webcrmId()))
                    .orElseThrow().path("ProductPrice"), "38500");
            assertThat(webcrmWins.<List<Conflict>>store(s -> s.conflicts(false))).isEmpty();
        }
    }

    /** Runs a sync whose process dies right after webCRM carried out its first write, before crmsync heard back. */
    private static void diesRightAfterItsWebcrmWriteLands(SyncHarness harness) {
        assertThatThrownBy(() -> harness.runWith(new SyncCycle.Options(false, true, false), store -> store,
                (side, connector) -> side == Side.WEBCRM ? SimulatedCrash.losingAnswers(connector, () -> true)
                        : connector)).isInstanceOf(SimulatedCrash.class);
    }

    @Test
    void shouldLetTheNewerEditWinWhenBothSidesEditTheSamePropertyAndRecordTheConflict() {
        // Given
        Link link = syncedProductFromCustomcrm();

        // When webCRM changes the price, and a minute later Customcrm changes it too
        harness.later(Duration.ofMinutes(5));
        harness.webcrm.editAsUser(WebcrmEntity.PRODUCT, Integer.parseInt(link.webcrmId()),
                Map.of("ProductPrice", new BigDecimal("44000")));
        harness.later(Duration.ofMinutes(1));
        harness.customcrm.editAsUser(RecordType.PRODUCT, link.customcrmId(), Map.of("price", new BigDecimal("43500.50")));
        harness.sync();

        // Then the newer price holds on both sides, and the conflict is on record as settled
        assertDecimal(webcrmProductOf(link).path("ProductPrice"), "43500.5");
        assertDecimal(customcrmProductOf(link).path("price"), "43500.5");
        List<Conflict> conflicts = harness.store(s -> s.conflicts(false));
        assertThat(conflicts).singleElement().satisfies(conflict -> {
            assertThat(conflict.linkId()).isEqualTo(link.id());
            assertThat(conflict.isOpen()).isFalse();
            assertThat(conflict.fields()).singleElement().satisfies(f -> {
                assertThat(f.field()).isEqualTo("price");
                assertThat(f.winner()).isEqualTo(Side.CUSTOMCRM);
            });
        });
    }

    @Test
    void shouldKeepBothEditsWhenBothSidesEditDifferentProperties() {
        // Given
        Link link = syncedProductFromWebcrm();

        // When webCRM changes the quantity, and Customcrm the year and the stock status
        harness.later(Duration.ofMinutes(5));
        harness.webcrm.editAsUser(WebcrmEntity.PRODUCT, Integer.parseInt(link.webcrmId()),
                Map.of("ProductQuantity", new BigDecimal("7")));
        harness.later(Duration.ofMinutes(1));
        harness.customcrm.editAsUser(RecordType.PRODUCT, link.customcrmId(),
                Map.of("year", 2022, "stock_status", "Backorder"));
        harness.sync();

        // Then every edit holds on both sides, and there was no conflict
        JsonNode w = webcrmProductOf(link);
        JsonNode c = customcrmProductOf(link);
        assertDecimal(w.path("ProductQuantity"), "7");
        assertDecimal(c.path("quantity"), "7");
        assertInteger(w.path("ProductProductYear"), 2022);
        assertInteger(c.path("year"), 2022);
        assertThat(w.path("ProductStockStatus").asString()).isEqualTo("Backorder");
        assertThat(c.path("stock_status").asString()).isEqualTo("Backorder");
        assertDecimal(c.path("price"), "1234.5");
        assertThat(harness.<List<Conflict>>store(s -> s.conflicts(false))).isEmpty();
    }

    @Test
    void shouldMakeNoWriteOnEitherSideWhenRunAgainWithoutChange() {
        // Given products on both sides, with decimals each system writes its own way, synced
        WebcrmOwner webcrm = webcrmOwner("Fynsk A/S", "DK11223344", "mette.hansen@fynsk.dk");
        harness.webcrm.createAsUser(WebcrmEntity.PRODUCT, webcrmProduct(webcrm, "Pallet rack"));
        CustomcrmOwner customcrm = customcrmOwner("Øresund AB", "SE556677889901", "lars.svensson@oresund.se");
        harness.customcrm.createAsUser(RecordType.PRODUCT, customcrmProduct(customcrm, "Forklift"));
        harness.sync();
        assertThat(harness.writes(Side.WEBCRM)).isPositive();
        assertThat(harness.writes(Side.CUSTOMCRM)).isPositive();

        // When, Then
        harness.assertAnotherSyncWritesNothing();
        assertThat(harness.<Long>store(s -> s.countLinks(Flow.PRODUCTS, LinkState.ACTIVE))).isEqualTo(2L);
        assertThat(harness.<List<ObservedRecord>>store(s -> s.withStatus(RecordStatus.DEAD))).isEmpty();
    }
}
