package dev.crmsync.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Ref;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every row of the default property tables, in both directions.
 */
class DefaultMappingsTest {

    /** Organisation 7 / customer cus_7 are linked as L-ORG; person 9 / contact con_9 as L-PER. */
    private static final RefResolver LINKS = new RefResolver() {
        @Override
        public Optional<String> linkIdOf(Flow flow, Side side, String recordId) {
            return switch (flow) {
                case ORGANISATIONS -> recordId.equals(side == Side.WEBCRM ? "7" : "cus_7") ? Optional.of("L-ORG") : Optional.empty();
                case PERSONS -> recordId.equals(side == Side.WEBCRM ? "9" : "con_9") ? Optional.of("L-PER") : Optional.empty();
                default -> Optional.empty();
            };
        }

        @Override
        public Optional<String> recordIdOn(Flow flow, Side side, String linkId) {
            return switch (linkId) {
                case "L-ORG" -> Optional.of(side == Side.WEBCRM ? "7" : "cus_7");
                case "L-PER" -> Optional.of(side == Side.WEBCRM ? "9" : "con_9");
                default -> Optional.empty();
            };
        }
    };

    private final Map<Flow, FlowMapping> mappings = DefaultMappings.all(Locale.ENGLISH);

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }

    private FieldValues canonical(Flow flow, Side side, Map<String, Object> properties) {
        MappedRecord mapped = new RecordMapper(mappings.get(flow))
                .toCanonical(new SideRecord(side, flow, "1", properties, null, false), LINKS);
        assertThat(mapped.problems()).isEmpty();
        assertThat(mapped.waitingFor()).isEmpty();
        return mapped.values();
    }

    private Map<String, Object> system(Flow flow, Side side, FieldValues values) {
        return new RecordMapper(mappings.get(flow)).toSystem(side, values, LINKS);
    }

    // ------------------------------------------------------------ organisations <-> customers

    private static final Map<String, Object> ORGANISATION = map(
            "OrganisationName", "Nordisk Stål A/S", "OrganisationVatNumber", "DK12345678",
            "OrganisationAddress", "Vestergade 12", "OrganisationPostCode", "8000", "OrganisationCity", "Aarhus C",
            "OrganisationState", "Midtjylland", "OrganisationCountry", "Denmark",
            "OrganisationTelephone", "+45 86 12 34 56", "OrganisationWww", "https://www.nordiskstaal.dk",
            "OrganisationDomain", "nordiskstaal.dk", "OrganisationIndustry", "Manufacturing",
            "OrganisationType", "Customer", "OrganisationStatus", "A customer", "OrganisationComment", "Key account");

    private static final Map<String, Object> CUSTOMER = map(
            "name", "Nordisk Stål A/S", "vat_number", "DK12345678",
            "address", map("street", "Vestergade 12", "postal_code", "8000", "city", "Aarhus C",
                    "state", "Midtjylland", "country_code", "DK"),
            "phone", "+45 86 12 34 56", "website", "https://www.nordiskstaal.dk", "domain", "nordiskstaal.dk",
            "industry", "Manufacturing", "type", "customer", "status", "a_customer", "notes", "Key account");

    @Test
    void shouldMapEveryOrganisationPropertyToTheCustomerProperty() {
        FieldValues fromWebcrm = canonical(Flow.ORGANISATIONS, Side.WEBCRM, ORGANISATION);
        FieldValues fromCustomcrm = canonical(Flow.ORGANISATIONS, Side.CUSTOMCRM, CUSTOMER);

        assertThat(fromWebcrm).isEqualTo(fromCustomcrm);
        assertThat(fromWebcrm.names()).hasSize(14);
        assertThat(system(Flow.ORGANISATIONS, Side.CUSTOMCRM, fromWebcrm)).isEqualTo(CUSTOMER);
    }

    @Test
    void shouldMapEveryCustomerPropertyToTheOrganisationProperty() {
        FieldValues fromCustomcrm = canonical(Flow.ORGANISATIONS, Side.CUSTOMCRM, CUSTOMER);

        assertThat(system(Flow.ORGANISATIONS, Side.WEBCRM, fromCustomcrm)).isEqualTo(ORGANISATION);
    }

    @Test
    void shouldTranslateCountryNamesInSeveralLanguagesToIsoCodes() {
        for (String name : List.of("Danmark", "denmark", " DENMARK ", "Dänemark", "DK")) {
            assertThat(canonical(Flow.ORGANISATIONS, Side.WEBCRM, map("OrganisationCountry", name))
                    .get("address.country_code")).as(name).isEqualTo("DK");
        }
        assertThat(canonical(Flow.ORGANISATIONS, Side.WEBCRM, map("OrganisationCountry", "Sverige"))
                .get("address.country_code")).isEqualTo("SE");
        assertThat(canonical(Flow.ORGANISATIONS, Side.WEBCRM, map("OrganisationCountry", "United Kingdom"))
                .get("address.country_code")).isEqualTo("GB");
    }

    @Test
    void shouldWriteCountryNamesInTheConfiguredLanguage() {
        FlowMapping danish = DefaultMappings.all(Locale.of("da")).get(Flow.ORGANISATIONS);
        Map<String, Object> written = new RecordMapper(danish).toSystem(Side.WEBCRM,
                FieldValues.of(map("name", "x", "address.country_code", "DE")), LINKS);

        assertThat(written.get("OrganisationCountry")).isEqualTo("Tyskland");
    }

    @Test
    void shouldReportAnUnknownCountryAsAProblemNamingThePropertyAndValue() {
        MappedRecord mapped = new RecordMapper(mappings.get(Flow.ORGANISATIONS)).toCanonical(
                new SideRecord(Side.WEBCRM, Flow.ORGANISATIONS, "1", map("OrganisationCountry", "Atlantis"), null, false),
                LINKS);

        assertThat(mapped.isReady()).isFalse();
        assertThat(mapped.problems()).singleElement().asString().contains("OrganisationCountry").contains("Atlantis");
    }

    @Test
    void shouldPassAnUnmappedStatusThroughUnchanged() {
        FieldValues values = canonical(Flow.ORGANISATIONS, Side.WEBCRM, map("OrganisationStatus", "VIP"));

        assertThat(values.get("status")).isEqualTo("VIP");
        assertThat(system(Flow.ORGANISATIONS, Side.WEBCRM, values).get("OrganisationStatus")).isEqualTo("VIP");
    }

    // ------------------------------------------------------------ persons <-> contacts

    private static final Map<String, Object> PERSON = map(
            "PersonFirstName", "Mette", "PersonMiddleName", "Marie", "PersonLastName", "Jensen",
            "PersonEmail", "mette.jensen@nordiskstaal.dk", "PersonEmail2", "mette@gmail.com",
            "PersonDirectPhone", "+45 86 12 34 57", "PersonMobilePhone", "+45 20 12 34 56",
            "PersonTitle", "CFO", "PersonSalutation", "Dear Mette", "PersonStatus", "Resigned",
            "PersonBirthday", "1980-05-02T00:00:00", "PersonOrganisationId", 7L, "PersonComment", "Prefers e-mail");

    private static final Map<String, Object> CONTACT = map(
            "first_name", "Mette", "middle_name", "Marie", "last_name", "Jensen",
            "email", "mette.jensen@nordiskstaal.dk", "secondary_email", "mette@gmail.com",
            "phone", "+45 86 12 34 57", "mobile", "+45 20 12 34 56", "job_title", "CFO",
            "salutation", "Dear Mette", "status", "resigned", "birthday", "1980-05-02",
            "customer_id", "cus_7", "notes", "Prefers e-mail");

    @Test
    void shouldMapEveryPersonPropertyToTheContactPropertyAndBack() {
        FieldValues fromWebcrm = canonical(Flow.PERSONS, Side.WEBCRM, PERSON);
        FieldValues fromCustomcrm = canonical(Flow.PERSONS, Side.CUSTOMCRM, CONTACT);

        assertThat(fromWebcrm).isEqualTo(fromCustomcrm);
        assertThat(fromWebcrm.names()).hasSize(13);
        assertThat(fromWebcrm.get("birthday")).isEqualTo(LocalDate.of(1980, 5, 2));
        assertThat(fromWebcrm.get("customer")).isEqualTo(new Ref(Flow.ORGANISATIONS, "L-ORG"));
        assertThat(system(Flow.PERSONS, Side.CUSTOMCRM, fromWebcrm)).isEqualTo(CONTACT);
        assertThat(system(Flow.PERSONS, Side.WEBCRM, fromCustomcrm)).isEqualTo(PERSON);
    }

    @Test
    void shouldMapEachPersonStatus() {
        Map<String, String> expected = Map.of("Active", "active", "Resigned", "resigned", "Other", "other",
                "Guest", "guest");
        expected.forEach((webcrm, customcrm) -> {
            FieldValues values = canonical(Flow.PERSONS, Side.WEBCRM, map("PersonStatus", webcrm));
            assertThat(values.get("status")).isEqualTo(customcrm);
            assertThat(system(Flow.PERSONS, Side.WEBCRM, values).get("PersonStatus")).isEqualTo(webcrm);
        });
    }

    @Test
    void shouldDropTheTimeOfABirthdayReadAsDateTimeWithOrWithoutOffset() {
        assertThat(canonical(Flow.PERSONS, Side.WEBCRM, map("PersonBirthday", "1975-12-24T00:00:00.000Z"))
                .get("birthday")).isEqualTo(LocalDate.of(1975, 12, 24));
        assertThat(canonical(Flow.PERSONS, Side.WEBCRM, map("PersonBirthday", "1975-12-24T13:45:00"))
                .get("birthday")).isEqualTo(LocalDate.of(1975, 12, 24));
    }

    @Test
    void shouldMakeAPersonWaitWhileItsOrganisationIsNotLinked() {
        MappedRecord mapped = new RecordMapper(mappings.get(Flow.PERSONS)).toCanonical(
                new SideRecord(Side.WEBCRM, Flow.PERSONS, "1", map("PersonLastName", "Jensen",
                        "PersonOrganisationId", 8), null, false), LINKS);

        assertThat(mapped.isReady()).isFalse();
        assertThat(mapped.waitingFor()).containsExactly("Organisation 8");
    }

    @Test
    void shouldTreatOrganisationIdZeroAsNoOrganisation() {
        FieldValues values = canonical(Flow.PERSONS, Side.WEBCRM, map("PersonLastName", "Jensen",
                "PersonOrganisationId", 0));

        assertThat(values.has("customer")).isFalse();
    }

    // ------------------------------------------------------------ products <-> products

    private static final Map<String, Object> WEBCRM_PRODUCT = map(
            "ProductCustom1", "Forklift FT-20", "ProductComment", "Installed on site", "ProductPrice", 9500.5,
            "ProductListPrice", 10000, "ProductCostPrice", 6200.25, "ProductDiscount", 5,
            "ProductQuantity", 2, "ProductVatCode", "25%", "ProductProductYear", 2024,
            "ProductStockStatus", "Delivered", "ProductOrganisationId", 7L, "ProductPersonId", 9L);

    private static final Map<String, Object> CUSTOMCRM_PRODUCT = map(
            "name", "Forklift FT-20", "description", "Installed on site", "price", new BigDecimal("9500.50"),
            "list_price", new BigDecimal("10000"), "cost_price", new BigDecimal("6200.25"),
            "discount_percent", new BigDecimal("5.0"), "quantity", new BigDecimal("2"), "vat_code", "25%",
            "year", 2024, "stock_status", "Delivered", "customer_id", "cus_7", "contact_id", "con_9");

    @Test
    void shouldMapEveryProductPropertyBothWays() {
        FieldValues fromWebcrm = canonical(Flow.PRODUCTS, Side.WEBCRM, WEBCRM_PRODUCT);
        FieldValues fromCustomcrm = canonical(Flow.PRODUCTS, Side.CUSTOMCRM, CUSTOMCRM_PRODUCT);

        assertThat(fromWebcrm).isEqualTo(fromCustomcrm);
        assertThat(fromWebcrm.names()).hasSize(12);
        assertThat(fromWebcrm.get("year")).isEqualTo(2024L);

        Map<String, Object> toCustomcrm = system(Flow.PRODUCTS, Side.CUSTOMCRM, fromWebcrm);
        assertThat(toCustomcrm.get("contact_id")).isEqualTo("con_9");
        assertThat(toCustomcrm.get("customer_id")).isEqualTo("cus_7");
        assertThat(FieldValues.of(Map.of("p", toCustomcrm.get("price"))))
                .isEqualTo(FieldValues.of(Map.of("p", new BigDecimal("9500.5"))));

        Map<String, Object> toWebcrm = system(Flow.PRODUCTS, Side.WEBCRM, fromCustomcrm);
        assertThat(toWebcrm.get("ProductOrganisationId")).isEqualTo(7L);
        assertThat(toWebcrm.get("ProductPersonId")).isEqualTo(9L);
        assertThat(toWebcrm.get("ProductCustom1")).isEqualTo("Forklift FT-20");
        assertThat(canonical(Flow.PRODUCTS, Side.WEBCRM, toWebcrm)).isEqualTo(fromCustomcrm);
    }

    @Test
    void shouldRefuseAYearWithAFraction() {
        MappedRecord mapped = new RecordMapper(mappings.get(Flow.PRODUCTS)).toCanonical(
                new SideRecord(Side.CUSTOMCRM, Flow.PRODUCTS, "p", map("year", 2024.5), null, false), LINKS);

        assertThat(mapped.problems()).singleElement().asString().contains("year").contains("whole number");
    }

    @Test
    void shouldRefuseToWriteAReferenceWhoseRecordDoesNotExistOnTheTargetSide() {
        FieldValues values = FieldValues.of(map("name", "x", "customer", new Ref(Flow.ORGANISATIONS, "L-NEW")));

        assertThatThrownBy(() -> system(Flow.PRODUCTS, Side.WEBCRM, values))
                .isInstanceOf(MappingException.class).hasMessageContaining("customer");
    }

    // ------------------------------------------------------------ stamps and keys

    @Test
    void shouldReadTheLinkStampFromEachSide() {
        RecordMapper mapper = new RecordMapper(mappings.get(Flow.ORGANISATIONS));

        assertThat(mapper.stampOf(new SideRecord(Side.WEBCRM, Flow.ORGANISATIONS, "1",
                map("OrganisationCustom5", "L-1"), null, false))).contains("L-1");
        assertThat(mapper.stampOf(new SideRecord(Side.CUSTOMCRM, Flow.ORGANISATIONS, "c",
                map("external_ids", map("crmsync", "L-2")), null, false))).contains("L-2");
        assertThat(mapper.stampOf(new SideRecord(Side.CUSTOMCRM, Flow.ORGANISATIONS, "c",
                map("external_ids", map()), null, false))).isEmpty();
    }

    @Test
    void shouldNormaliseMatchKeys() {
        assertThat(MatchKey.vatNumber("vat_number").keyOf(" dk 12.34-56 78 ")).contains("DK12345678");
        assertThat(MatchKey.email("email").keyOf("  Mette.Jensen@Example.DK ")).contains("mette.jensen@example.dk");
        assertThat(MatchKey.email("email").keyOf(null)).isEmpty();
        assertThat(mappings.get(Flow.PRODUCTS).match()).isEmpty();
    }
}
