package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.app.simulate.webcrm.WebcrmField.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every property of {@code OrganisationDto}, {@code PersonDto} and {@code ProductDto}, in the order of webCRM's
 * Swagger document, with type, maximum length and enum values, plus the properties the simulator adds beyond it.
 * The simulator validates input, serves output and resolves {@code /Queries} columns from this one list, and a test
 * compares it with the Swagger document so the two cannot drift apart.
 *
 * <p>This class is threadsafe: it is immutable after class initialisation.
 *
 * @see WebcrmField
 */
public final class WebcrmFieldCatalogue {

    /** The suffixes of the properties only the server writes; a client's values for them are ignored. */
    private static final Set<String> SERVER_SET = Set.of("Id", "CreatedAt", "CreatedBy", "UpdatedAt", "UpdatedBy");

    private static final Map<WebcrmEntity, List<WebcrmField>> FIELDS = new EnumMap<>(WebcrmEntity.class);
    private static final Map<WebcrmEntity, Map<String, WebcrmField>> BY_LOWER_NAME = new EnumMap<>(WebcrmEntity.class);

    static {
        FIELDS.put(WebcrmEntity.ORGANISATION, new Fields("Organisation")
                .text("Address", 250).text("Alert", 50).int32("ApprovalStatus").text("City", 50).text("Comment")
                .text("CompareName", 500).text("Country", 50).dateTime("CreatedAt").text("CreatedBy")
                .text("DivisionName", 200).text("Domain", 50).numbered(Type.TEXT, "ExtraCustom", 8, 50)
                .text("Fax", 50).text("Gps", 50).int32("Id").text("ImageFileExtension").text("Industry", 50)
                .dateTime("LastDisplayedAt")
                .choice("LastItemType", "Undefined", "Activity", "Opportunity", "Delivery", "Meeting", "SupportCase")
                .dateTime("LastItemUpdatedAt").text("MarketDataId").int32("MarketDataProviderId").text("Name", 200)
                .bool("NoAds").text("History").int32("OutlookSync").text("OverlayUrl").int32("Owner")
                .int32("Owner2").text("PostCode").int32("ReportTemp").int32("Sla").text("State").text("Status")
                .text("Telephone", 50).text("TelephoneSearch").int32("TerritoryId").text("Type")
                .dateTime("UpdatedAt").text("UpdatedBy").text("VatCountry", 10).text("VatGroup", 20)
                .text("VatNumber", 50).text("VatStatus").dateTime("VatVerifiedAt").text("Www", 50)
                .numbered(Type.DATE_TIME, "XDate", 2, 0).numbered(Type.INT32, "XInt", 8, 0)
                .numbered(Type.TEXT, "XMemo", 2, 0).numbered(Type.TEXT, "XText", 8, 50)
                .slots()
                // 2026 clients read this one (API-NOTES §14); a connector must not trip over it.
                .beyondSwagger("CurrencyName")
                .list());
        FIELDS.put(WebcrmEntity.PERSON, new Fields("Person")
                .dateTime("Birthday").bool("BlockMassEmail").bool("BlockMassEmail2").text("CampaignPassword")
                .int32("CampaignWrongPasswordCount").numbered(Type.BOOLEAN, "CheckMark", 10, 0).text("Comment")
                .dateTime("CreatedAt").text("CreatedBy").text("DirectPhone").text("Email").text("Email2")
                .bool("EmailBounces").bool("Email2Bounces").text("FirstName").int32("Id").text("ImageFileExtension")
                .dateTime("LastLoginDateTime").text("LastName").text("LoginLog").text("MarketDateId")
                .int32("MemberGroupId").int32("MemberLanguageId").text("MemberNumber").text("MemberPassword")
                .dateTime("MemberStartDate").int32("MemberStatusId").int32("MemberWrongPasswordCount")
                .text("MiddleName").text("MobilePhone").text("Name").text("History").int32("OrganisationId")
                .text("Password").text("Salutation").text("Skype").int32("SortOrder")
                .choice("Status", "Active", "Resigned", "Other", "Guest").int32("SupportLanguageId")
                .text("TelephoneSearch").text("Title").dateTime("UpdatedAt").text("UpdatedBy")
                .slots()
                .list());
        FIELDS.put(WebcrmEntity.PRODUCT, new Fields("Product")
                .text("Combined").text("Comment").number("CostPrice").dateTime("CreatedAt").text("CreatedBy")
                .number("Discount").int32("Id").number("ListPrice").text("History").int32("OrganisationId")
                .int32("PersonId").number("Price").int32("ProductYear").number("Quantity").int32("SortOrder")
                .text("StockStatus").dateTime("UpdatedAt").text("UpdatedBy").text("VatCode")
                .slots()
                .list());
        FIELDS.forEach((entity, fields) -> {
            Map<String, WebcrmField> byName = new LinkedHashMap<>();
            fields.forEach(f -> byName.put(f.name().toLowerCase(Locale.ROOT), f));
            BY_LOWER_NAME.put(entity, Collections.unmodifiableMap(byName));
        });
    }

    private WebcrmFieldCatalogue() {
    }

    /**
     * @param entity the record kind
     * @return its properties in Swagger order, the added ones last
     */
    public static List<WebcrmField> fields(WebcrmEntity entity) {
        return FIELDS.get(entity);
    }

    /**
     * Looks a property up the way webCRM's query engine resolves a column: ignoring letter case.
     *
     * @param entity the record kind
     * @param name   the property name in any letter case
     * @return the property, or empty when the entity has none of that name
     */
    public static Optional<WebcrmField> find(WebcrmEntity entity, String name) {
        return Optional.ofNullable(BY_LOWER_NAME.get(entity).get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * @param entity the record kind
     * @param field  a property of it
     * @return true for the id and the created/updated stamps, which only the server writes
     */
    public static boolean isServerSet(WebcrmEntity entity, WebcrmField field) {
        return SERVER_SET.stream().anyMatch(suffix -> field.name().equals(entity.field(suffix)));
    }

    /** Collects one DTO's properties in order; names are given without the entity prefix. */
    private static final class Fields {
        private final String prefix;
        private final List<WebcrmField> list = new ArrayList<>();

        Fields(String prefix) {
            this.prefix = prefix;
        }

        Fields text(String name) {
            return text(name, 0);
        }

        Fields text(String name, int maxLength) {
            return add(name, Type.TEXT, maxLength, List.of(), true);
        }

        Fields int32(String name) {
            return add(name, Type.INT32, 0, List.of(), true);
        }

        Fields number(String name) {
            return add(name, Type.NUMBER, 0, List.of(), true);
        }

        Fields bool(String name) {
            return add(name, Type.BOOLEAN, 0, List.of(), true);
        }

        Fields dateTime(String name) {
            return add(name, Type.DATE_TIME, 0, List.of(), true);
        }

        Fields choice(String name, String... values) {
            return add(name, Type.TEXT, 0, List.of(values), true);
        }

        Fields numbered(Type type, String stem, int count, int maxLength) {
            for (int i = 1; i <= count; i++) {
                add(stem + i, type, maxLength, List.of(), true);
            }
            return this;
        }

        /** The generic slots every DTO ends with: Plus1–20, Custom1–15 and Memo. */
        Fields slots() {
            return numbered(Type.TEXT, "Plus", 20, 0).numbered(Type.TEXT, "Custom", 15, 0).text("Memo");
        }

        Fields beyondSwagger(String name) {
            return add(name, Type.TEXT, 0, List.of(), false);
        }

        List<WebcrmField> list() {
            return List.copyOf(list);
        }

        private Fields add(String name, Type type, int maxLength, List<String> values, boolean inSwagger) {
            list.add(new WebcrmField(prefix + name, type, maxLength, values, inSwagger));
            return this;
        }
    }
}
