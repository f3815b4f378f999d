package dev.crmsync.mapping;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.util.List;
import java.util.Objects;

/**
 * One row of a flow's property table: a canonical field, the property that holds it on each side with the
 * transform between that property and the canonical value, and which way it flows.
 *
 * @param field             the canonical field name
 * @param webcrmProperty    the webCRM DTO property, e.g. {@code OrganisationName}
 * @param webcrm            webCRM value to canonical value and back
 * @param customcrmProperty the Customcrm property path, dotted for nested objects, e.g. {@code address.city}
 * @param customcrm         Customcrm value to canonical value and back
 * @param direction         which way the field flows
 * @param references        for a reference field, the flow of the record it points at; otherwise null
 */
public record FieldMapping(String field, String webcrmProperty, ValueTransform webcrm, String customcrmProperty,
                           ValueTransform customcrm, Direction direction, Flow references) {

    public FieldMapping {
        requireName("field", field);
        requireName("webcrmProperty", webcrmProperty);
        requireName("customcrmProperty", customcrmProperty);
        Objects.requireNonNull(webcrm, "webcrm");
        Objects.requireNonNull(customcrm, "customcrm");
        Objects.requireNonNull(direction, "direction");
    }

    /**
     * A field that flows both ways.
     */
    public static FieldMapping both(String field, String webcrmProperty, ValueTransform webcrm,
                                    String customcrmProperty, ValueTransform customcrm) {
        return new FieldMapping(field, webcrmProperty, webcrm, customcrmProperty, customcrm, Direction.BOTH, null);
    }

    /**
     * A reference to a record of another flow, translated through that flow's links.
     */
    public static FieldMapping reference(String field, String webcrmProperty, String customcrmProperty,
                                         Flow references) {
        return new FieldMapping(field, webcrmProperty, Transforms.text(), customcrmProperty, Transforms.text(),
                Direction.BOTH, Objects.requireNonNull(references, "references"));
    }

    /**
     * @return whether this field points at a record of another flow
     */
    public boolean isReference() {
        return references != null;
    }

    /**
     * @param side a system
     * @return the property that holds this field on that side
     */
    public String propertyOn(Side side) {
        return side == Side.WEBCRM ? webcrmProperty : customcrmProperty;
    }

    /** Joins the properties of a row that concatenates several on one side, e.g. {@code PersonFirstName+PersonLastName}. */
    public static final String PART_SEPARATOR = "+";

    /**
     * @param side a system
     * @return the properties this field is read from and written to on that side: one, or the parts of a join
     */
    public List<String> partsOn(Side side) {
        String property = propertyOn(side);
        // Asked for every field of every record: the common single property costs no split.
        return property.contains(PART_SEPARATOR) ? List.of(property.split("\\+")) : List.of(property);
    }

    /**
     * @return whether one side holds this field in several properties, joined into one value
     */
    public boolean isJoined() {
        return partsOn(Side.WEBCRM).size() > 1 || partsOn(Side.CUSTOMCRM).size() > 1;
    }

    /**
     * @param side a system
     * @return the transform between that side's property and the canonical value
     */
    public ValueTransform transformOn(Side side) {
        return side == Side.WEBCRM ? webcrm : customcrm;
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
