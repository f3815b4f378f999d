package dev.crmsync.adapters.webcrm;

import dev.crmsync.model.Flow;
import java.util.List;
import java.util.Objects;

/**
 * What a webCRM tenant has configured for one field, as {@code GET /FieldsMetadata/{Entity}} reports it
 * (API-NOTES §4.4): the generic slots such as {@code OrganisationCustom1} only mean something once a tenant has
 * labelled them, and a dropdown's values are the exact texts webCRM accepts (API-NOTES §7.4).
 *
 * <p>This record is threadsafe: it is immutable.
 *
 * @param flow           the flow whose webCRM entity the field belongs to
 * @param property       the DTO property, e.g. {@code OrganisationCustom1}
 * @param dbFieldName    webCRM's {@code FieldMetadataDbFieldName}, e.g. {@code o_custom1}; empty when not sent
 * @param label          what the tenant calls the field ({@code FieldMetadataLabel}); empty when not sent
 * @param displayType    webCRM's {@code FieldMetadataDisplayType}, e.g. {@code T}; empty when not sent
 * @param maxLength      the longest text allowed ({@code FieldMetadataTextFieldMaxLength}), 0 for no limit given
 * @param dropdownValues the values a dropdown offers, in order ({@code FieldMetadataDropdownListData}'s
 *                       {@code Text}); empty for a field that is no dropdown
 * @see WebcrmTenantFields
 */
public record WebcrmFieldMetadata(Flow flow, String property, String dbFieldName, String label, String displayType,
                                  int maxLength, List<String> dropdownValues) {

    /** The display type webCRM's metadata gives a plain text field. */
    public static final String TEXT_DISPLAY_TYPE = "T";

    public WebcrmFieldMetadata {
        Objects.requireNonNull(flow, "flow");
        if (property == null || property.isBlank()) {
            throw new IllegalArgumentException("property must not be blank");
        }
        dbFieldName = dbFieldName == null ? "" : dbFieldName;
        label = label == null ? "" : label;
        displayType = displayType == null ? "" : displayType;
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must be zero or positive: " + maxLength);
        }
        dropdownValues = List.copyOf(dropdownValues);
    }

    /**
     * @return whether the field offers a fixed list of values
     */
    public boolean isDropdown() {
        return !dropdownValues.isEmpty();
    }

    /**
     * @return whether the metadata shows a plain text field: display type {@code T} and no dropdown values
     */
    public boolean isFreeText() {
        return TEXT_DISPLAY_TYPE.equalsIgnoreCase(displayType) && !isDropdown();
    }

    /**
     * @return whether the metadata gives a text length limit
     */
    public boolean hasMaxLength() {
        return maxLength > 0;
    }
}
