package dev.crmsync.app.simulate.webcrm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the simulated tenant has configured for its generic slots, served by {@code GET /FieldsMetadata}: the
 * labels of the custom fields the seed fills or the connector uses, and the dropdown values of organisation type
 * and status. This is the one place those facts live; tests and the seeder read them from here.
 *
 * <p>The {@code FieldMetadataDbFieldName} values ({@code o_custom1} and so on) and display types are the
 * simulator's invention: webCRM does not document them.
 *
 * <p>This class is threadsafe: it is immutable.
 */
public final class WebcrmFieldsMetadata {

    /** The label of the slot where the connector keeps its link id, on every entity. */
    public static final String LINK_ID_LABEL = "crmsync link id";

    /** The organisation types the tenant offers, in dropdown order. */
    public static final List<String> ORGANISATION_TYPES = List.of("Customer", "Prospect", "Partner", "Supplier");

    /** The organisation statuses the tenant offers, in dropdown order. */
    public static final List<String> ORGANISATION_STATUSES = List.of("A customer", "B customer", "C customer",
            "Lead");

    /**
     * One configured field.
     *
     * @param id          the {@code FieldMetadataId}
     * @param entity      the record kind it belongs to
     * @param field       the DTO property, e.g. {@code OrganisationCustom1}
     * @param label       what the tenant calls it
     * @param displayType the {@code FieldMetadataDisplayType}: {@code T} for text, {@code D} for a dropdown
     * @param choices     the dropdown values; empty for a text field
     */
    public record Entry(int id, WebcrmEntity entity, String field, String label, String displayType,
                        List<String> choices) {
        public Entry {
            choices = List.copyOf(choices);
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            text(1, WebcrmEntity.ORGANISATION, "OrganisationCustom1", "Customer number"),
            text(2, WebcrmEntity.ORGANISATION, "OrganisationCustom5", LINK_ID_LABEL),
            new Entry(3, WebcrmEntity.ORGANISATION, "OrganisationType", "Type", "D", ORGANISATION_TYPES),
            new Entry(4, WebcrmEntity.ORGANISATION, "OrganisationStatus", "Status", "D", ORGANISATION_STATUSES),
            text(5, WebcrmEntity.PERSON, "PersonCustom5", LINK_ID_LABEL),
            text(6, WebcrmEntity.PRODUCT, "ProductCustom1", "Product name"),
            text(7, WebcrmEntity.PRODUCT, "ProductCustom5", LINK_ID_LABEL));

    /** The text length the metadata reports for custom text slots; the Swagger document sets no limit. */
    private static final int TEXT_MAX_LENGTH = 255;

    private WebcrmFieldsMetadata() {
    }

    /**
     * @return every configured field
     */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /**
     * @param entityTypes the path value of {@code /FieldsMetadata/{entityTypes}}: an entity name or {@code All}
     * @return the {@code FieldMetadataDto}s for it; empty for an entity type without configured fields
     */
    static List<Map<String, Object>> dtos(String entityTypes) {
        boolean all = entityTypes.equalsIgnoreCase("All");
        return ENTRIES.stream()
                .filter(e -> all || e.entity().singular().equalsIgnoreCase(entityTypes))
                .map(WebcrmFieldsMetadata::dto)
                .toList();
    }

    private static Map<String, Object> dto(Entry entry) {
        Map<String, Object> dto = new LinkedHashMap<>();
        String slot = entry.field().substring(entry.entity().singular().length()).toLowerCase(Locale.ROOT);
        dto.put("FieldMetadataDbFieldName", (entry.entity() == WebcrmEntity.PRODUCT ? "pr_"
                : entry.entity().singular().substring(0, 1).toLowerCase(Locale.ROOT) + "_") + slot);
        dto.put("FieldMetadataFriendlyFieldName", entry.field());
        dto.put("FieldMetadataId", entry.id());
        dto.put("FieldMetadataLabel", entry.label());
        dto.put("FieldMetadataSortOrder", entry.id());
        dto.put("FieldMetadataDisplayType", entry.displayType());
        dto.put("FieldMetadataTextFieldMaxLength", entry.choices().isEmpty() ? TEXT_MAX_LENGTH : 0);
        dto.put("FieldMetadataDropdownListData", entry.choices().stream()
                .map(c -> Map.of("Text", c, "Value", c)).toList());
        return dto;
    }

    private static Entry text(int id, WebcrmEntity entity, String field, String label) {
        return new Entry(id, entity, field, label, "T", List.of());
    }
}
