package dev.crmsync.mapping;

import static dev.crmsync.mapping.FieldMapping.both;
import static dev.crmsync.mapping.FieldMapping.reference;
import static dev.crmsync.mapping.Transforms.countryCode;
import static dev.crmsync.mapping.Transforms.countryName;
import static dev.crmsync.mapping.Transforms.date;
import static dev.crmsync.mapping.Transforms.dateAsDateTime;
import static dev.crmsync.mapping.Transforms.decimal;
import static dev.crmsync.mapping.Transforms.integer;
import static dev.crmsync.mapping.Transforms.text;
import static dev.crmsync.mapping.Transforms.valueMap;

import dev.crmsync.model.Flow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The property tables of DESIGN.md section 1, the mapping crmsync uses when the configuration names no other.
 * Canonical values follow Customcrm's conventions (ISO country codes, lower-case statuses, dates), so the
 * Customcrm side is mostly a plain copy and the webCRM side carries the translations.
 */
public final class DefaultMappings {

    /** The Customcrm {@code external_ids} key under which crmsync keeps its link id. */
    public static final String CUSTOMCRM_STAMP_KEY = "crmsync";

    private DefaultMappings() {
    }

    /**
     * @param webcrmCountryLanguage the language webCRM's country names are written in
     * @return the three flows' default mappings, in dependency order
     */
    public static Map<Flow, FlowMapping> all(Locale webcrmCountryLanguage) {
        Map<Flow, FlowMapping> out = new LinkedHashMap<>();
        out.put(Flow.ORGANISATIONS, organisations(new Countries(webcrmCountryLanguage)));
        out.put(Flow.PERSONS, persons());
        out.put(Flow.PRODUCTS, products());
        return out;
    }

    /**
     * @return webCRM Organisations to Customcrm Customers
     */
    public static FlowMapping organisations(Countries countries) {
        return new FlowMapping(Flow.ORGANISATIONS, List.of(
                both("name", "OrganisationName", text(), "name", text()),
                both("vat_number", "OrganisationVatNumber", text(), "vat_number", text()),
                both("address.street", "OrganisationAddress", text(), "address.street", text()),
                both("address.postal_code", "OrganisationPostCode", text(), "address.postal_code", text()),
                both("address.city", "OrganisationCity", text(), "address.city", text()),
                both("address.state", "OrganisationState", text(), "address.state", text()),
                both("address.country_code", "OrganisationCountry", countryName(countries),
                        "address.country_code", countryCode()),
                both("phone", "OrganisationTelephone", text(), "phone", text()),
                both("website", "OrganisationWww", text(), "website", text()),
                both("domain", "OrganisationDomain", text(), "domain", text()),
                both("industry", "OrganisationIndustry", text(), "industry", text()),
                both("type", "OrganisationType", valueMap(organisationTypes()), "type", text()),
                both("status", "OrganisationStatus", valueMap(organisationStatuses()), "status", text()),
                both("notes", "OrganisationComment", text(), "notes", text())),
                MatchKey.vatNumber("vat_number"), "OrganisationCustom5", CUSTOMCRM_STAMP_KEY);
    }

    /**
     * @return webCRM Persons to Customcrm Contacts
     */
    public static FlowMapping persons() {
        return new FlowMapping(Flow.PERSONS, List.of(
                both("first_name", "PersonFirstName", text(), "first_name", text()),
                both("middle_name", "PersonMiddleName", text(), "middle_name", text()),
                both("last_name", "PersonLastName", text(), "last_name", text()),
                both("email", "PersonEmail", text(), "email", text()),
                both("secondary_email", "PersonEmail2", text(), "secondary_email", text()),
                both("phone", "PersonDirectPhone", text(), "phone", text()),
                both("mobile", "PersonMobilePhone", text(), "mobile", text()),
                both("job_title", "PersonTitle", text(), "job_title", text()),
                both("salutation", "PersonSalutation", text(), "salutation", text()),
                both("status", "PersonStatus", valueMap(personStatuses()), "status", text()),
                both("birthday", "PersonBirthday", dateAsDateTime(), "birthday", date()),
                reference("customer", "PersonOrganisationId", "customer_id", Flow.ORGANISATIONS),
                both("notes", "PersonComment", text(), "notes", text())),
                MatchKey.email("email"), "PersonCustom5", CUSTOMCRM_STAMP_KEY);
    }

    /**
     * @return webCRM Products to Customcrm Products
     */
    public static FlowMapping products() {
        return new FlowMapping(Flow.PRODUCTS, List.of(
                both("name", "ProductCustom1", text(), "name", text()),
                both("description", "ProductComment", text(), "description", text()),
                both("price", "ProductPrice", decimal(), "price", decimal()),
                both("list_price", "ProductListPrice", decimal(), "list_price", decimal()),
                both("cost_price", "ProductCostPrice", decimal(), "cost_price", decimal()),
                both("discount_percent", "ProductDiscount", decimal(), "discount_percent", decimal()),
                both("quantity", "ProductQuantity", decimal(), "quantity", decimal()),
                both("vat_code", "ProductVatCode", text(), "vat_code", text()),
                both("year", "ProductProductYear", integer(), "year", integer()),
                both("stock_status", "ProductStockStatus", text(), "stock_status", text()),
                reference("customer", "ProductOrganisationId", "customer_id", Flow.ORGANISATIONS),
                reference("contact", "ProductPersonId", "contact_id", Flow.PERSONS)),
                null, "ProductCustom5", CUSTOMCRM_STAMP_KEY);
    }

    private static Map<String, String> personStatuses() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("Active", "active");
        map.put("Resigned", "resigned");
        map.put("Other", "other");
        map.put("Guest", "guest");
        return map;
    }

    private static Map<String, String> organisationTypes() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("Customer", "customer");
        map.put("Prospect", "prospect");
        map.put("Partner", "partner");
        map.put("Supplier", "supplier");
        return map;
    }

    private static Map<String, String> organisationStatuses() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("A customer", "a_customer");
        map.put("B customer", "b_customer");
        map.put("C customer", "c_customer");
        map.put("Lead", "lead");
        return map;
    }
}
