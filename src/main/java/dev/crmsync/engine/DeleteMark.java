package dev.crmsync.engine;

import java.util.Objects;

/**
 * What the {@link DeletePolicy#MARK} policy writes on the surviving record: one property of that record's own
 * system set to one value, e.g. webCRM {@code PersonStatus} to {@code Resigned}, or a Customcrm contact's
 * {@code status} to {@code resigned}.
 *
 * @param property the property, named as the surviving record's system names it
 * @param value    the value written into it
 */
public record DeleteMark(String property, String value) {

    public DeleteMark {
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(value, "value");
        if (property.isBlank()) {
            throw new IllegalArgumentException("a mark needs a property");
        }
    }
}
