package dev.crmsync.app.simulate.webcrm;

import java.util.List;

/**
 * One property of a webCRM DTO as the simulator checks and serves it.
 *
 * <p>This record is threadsafe: it is immutable.
 *
 * @param name          the JSON property name, e.g. {@code OrganisationName}
 * @param type          the value type
 * @param maxLength     the longest text allowed, or 0 when the Swagger document sets no limit
 * @param allowedValues the only values allowed for a Swagger enum, or empty for free values
 * @param inSwagger     false for the properties the simulator adds beyond the 2019 Swagger document, to keep
 *                      clients honest about unknown properties (API-NOTES §1, §14)
 * @see WebcrmFieldCatalogue
 */
public record WebcrmField(String name, Type type, int maxLength, List<String> allowedValues, boolean inSwagger) {

    /** The value types the three DTOs use, named after their Swagger type and format. */
    public enum Type {
        /** {@code string} */
        TEXT,
        /** {@code integer}, {@code int32} */
        INT32,
        /** {@code number}, {@code double} */
        NUMBER,
        /** {@code boolean} */
        BOOLEAN,
        /** {@code string}, {@code date-time}; served as Copenhagen local time, see {@link WebcrmTimestamps} */
        DATE_TIME
    }

    public WebcrmField {
        allowedValues = List.copyOf(allowedValues);
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must be zero or positive: " + maxLength);
        }
    }

    /**
     * @return true when the text length is limited
     */
    public boolean hasMaxLength() {
        return maxLength > 0;
    }
}
