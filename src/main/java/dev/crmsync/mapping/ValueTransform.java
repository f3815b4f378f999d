package dev.crmsync.mapping;

/**
 * Turns a property value as one system holds it into the canonical value, and back. Both directions must agree:
 * {@code toCanonical(fromCanonical(v))} equals {@code v} for every canonical value the transform accepts, or a
 * written value would come back as a change and the sync would never settle.
 *
 * <p>Implementations are immutable and threadsafe.
 *
 * @see Transforms
 */
public interface ValueTransform {

    /**
     * @param raw the property value as the system sent it (a JSON value); may be null
     * @return the canonical value, or null for none
     * @throws MappingException when the value cannot be understood
     */
    Object toCanonical(Object raw);

    /**
     * @param canonical a canonical value; may be null
     * @return the property value to send to the system, or null for none
     * @throws MappingException when the value cannot be expressed on that system
     */
    Object fromCanonical(Object canonical);

    /**
     * @return the system-side data type as the dataflow document names it, e.g. {@code string}
     */
    String systemType();

    /**
     * @return what the transform does, for the dataflow document; empty for a plain copy
     */
    default String describe() {
        return "";
    }

    /**
     * @return for a value map, its pairs of system value to canonical value, in document order; otherwise empty
     */
    default java.util.Map<String, String> valuePairs() {
        return java.util.Map.of();
    }
}
