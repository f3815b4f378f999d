package dev.crmsync.app.check;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Small readings of sampled JSON values the checks share.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class Values {

    /** The longest stretch of a sampled value quoted in a message: enough to recognise it, not to leak a record. */
    private static final int MAX_QUOTED = 40;
    /** How many example values a message names. */
    private static final int MAX_EXAMPLES = 3;

    private Values() {
    }

    /**
     * @param record a record's properties
     * @param path   a property name, or a dotted path into nested objects ({@code address.city})
     * @return the value there, or null
     */
    static Object at(Map<String, Object> record, String path) {
        Object current = record;
        for (String segment : path.split("\\.", -1)) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(segment);
        }
        return current;
    }

    /**
     * @param value a value
     * @return whether it is null or blank text
     */
    static boolean isBlank(Object value) {
        return value == null || value instanceof String s && s.isBlank();
    }

    /**
     * @param value a value
     * @return its JSON type: {@code string}, {@code integer}, {@code number}, {@code boolean}, {@code object},
     *         {@code array}, or {@code null}
     */
    static String jsonType(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "string";
            case Integer i -> "integer";
            case Long l -> "integer";
            case Short s -> "integer";
            case BigInteger b -> "integer";
            case BigDecimal d -> d.stripTrailingZeros().scale() <= 0 ? "integer" : "number";
            case Number n -> n.doubleValue() == Math.rint(n.doubleValue()) ? "integer" : "number";
            case Boolean b -> "boolean";
            case Map<?, ?> m -> "object";
            case Collection<?> c -> "array";
            default -> "string";
        };
    }

    /**
     * @param value a value
     * @return it quoted for a message, shortened
     */
    static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        String shown = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text;
        return value instanceof String ? "'" + shown + "'" : shown;
    }

    /**
     * @param examples distinct values met, in order
     * @return the first few, quoted and joined
     */
    static String examples(Collection<?> examples) {
        return examples(examples, MAX_EXAMPLES);
    }

    /**
     * @param values distinct values, in order
     * @param limit  how many to name
     * @return the first {@code limit}, quoted and joined
     */
    static String examples(Collection<?> values, int limit) {
        List<?> first = values.stream().limit(limit).toList();
        String joined = first.stream().map(Values::quote).collect(Collectors.joining(", "));
        return values.size() > limit ? joined + ", …" : joined;
    }

    /**
     * @param count a count
     * @param noun  the noun in the singular
     * @return e.g. {@code 1 value} or {@code 3 values}
     */
    static String count(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
