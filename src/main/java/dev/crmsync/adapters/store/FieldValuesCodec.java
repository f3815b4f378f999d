package dev.crmsync.adapters.store;

import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Ref;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes canonical values ({@link FieldValues}, and the single values of a
 * {@link dev.crmsync.ports.FieldConflict} or a {@link dev.crmsync.ports.HistoryEntry.Change}) as JSON text and back,
 * keeping each value's exact type.
 *
 * <p>Plain JSON cannot tell a {@code Long} from a {@code BigDecimal}, a date from a string, or a {@link Ref} from
 * anything, and a JSON number read as a double would lose a decimal's digits and scale. So every value is wrapped
 * in a one-entry object whose key names its type, with the same tags {@link FieldValues#hash()} uses:
 *
 * <table>
 *   <caption>Type tags</caption>
 *   <tr><th>Java type</th><th>JSON</th></tr>
 *   <tr><td>{@link String}</td><td>{@code {"s":"Acme"}}</td></tr>
 *   <tr><td>{@link BigDecimal}</td><td>{@code {"d":"12.50"}}: {@link BigDecimal#toString()}, exact in value and scale</td></tr>
 *   <tr><td>{@link Long}</td><td>{@code {"i":"2024"}}: text, so readers that hold numbers as doubles lose nothing</td></tr>
 *   <tr><td>{@link Boolean}</td><td>{@code {"b":true}}</td></tr>
 *   <tr><td>{@link LocalDate}</td><td>{@code {"t":"1990-04-01"}}</td></tr>
 *   <tr><td>{@link Ref}</td><td>{@code {"r":"organisations:L-1"}}: the flow's config name, a colon, the link id</td></tr>
 * </table>
 *
 * <p>A whole record is an object of field name to wrapped value, e.g.
 * {@code {"customer":{"r":"organisations:L-1"},"name":{"s":"Acme"},"price":{"d":"12.50"}}}. A single value may also
 * be JSON {@code null}.
 *
 * <p>This class is threadsafe: it is stateless.
 *
 * @see SqlStore
 */
public final class FieldValuesCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FieldValuesCodec() {
    }

    // ---------------------------------------------------------------- text

    /**
     * @param values canonical values
     * @return their JSON text, fields in name order
     */
    public static String encode(FieldValues values) {
        return JsonColumns.MAPPER.writeValueAsString(toNode(values));
    }

    /**
     * @param json text made by {@link #encode(FieldValues)}
     * @return the values
     * @throws IllegalArgumentException when the text is not such JSON
     */
    public static FieldValues decode(String json) {
        return fromNode(JsonColumns.parse(json));
    }

    /**
     * @param value a canonical value ({@link String}, {@link BigDecimal}, {@link Long}, {@link Boolean},
     *              {@link LocalDate} or {@link Ref}), or null
     * @return its JSON text
     * @throws IllegalArgumentException when the value has another type: widening it silently would not be lossless
     */
    public static String encodeValue(Object value) {
        return JsonColumns.MAPPER.writeValueAsString(valueToNode(value));
    }

    /**
     * @param json text made by {@link #encodeValue(Object)}
     * @return the value, of the type it was encoded with, or null
     * @throws IllegalArgumentException when the text is not such JSON
     */
    public static Object decodeValue(String json) {
        return nodeToValue(JsonColumns.parse(json));
    }

    // ---------------------------------------------------------------- trees, for the store's composite columns

    static ObjectNode toNode(FieldValues values) {
        ObjectNode node = NODES.objectNode();
        values.asMap().forEach((name, value) -> node.set(name, valueToNode(value)));
        return node;
    }

    static FieldValues fromNode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("encoded field values must be a JSON object: " + node);
        }
        Map<String, Object> raw = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            raw.put(field.getKey(), nodeToValue(field.getValue()));
        }
        return FieldValues.of(raw);
    }

    static JsonNode valueToNode(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case String s -> NODES.objectNode().put("s", s);
            case BigDecimal d -> NODES.objectNode().put("d", d.toString());
            case Long l -> NODES.objectNode().put("i", l.toString());
            case Boolean b -> NODES.objectNode().put("b", b);
            case LocalDate t -> NODES.objectNode().put("t", t.toString());
            case Ref r -> NODES.objectNode().put("r", r.flow().configName() + ":" + r.linkId());
            default -> throw new IllegalArgumentException("a value of type " + value.getClass().getName()
                    + " is not canonical: expected String, BigDecimal, Long, Boolean, LocalDate or Ref");
        };
    }

    static Object nodeToValue(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException("an encoded value must be an object with one type tag: " + node);
        }
        Map.Entry<String, JsonNode> only = node.properties().iterator().next();
        String tag = only.getKey();
        JsonNode content = only.getValue();
        try {
            return switch (tag) {
                case "s" -> text(tag, content);
                case "d" -> new BigDecimal(text(tag, content));
                // Accept a bare number too: a person editing the database by hand may well write one.
                case "i" -> content.isIntegralNumber() ? content.longValue() : Long.valueOf(text(tag, content));
                case "b" -> {
                    if (!content.isBoolean()) {
                        throw new IllegalArgumentException("tag b needs a JSON boolean: " + node);
                    }
                    yield content.booleanValue();
                }
                case "t" -> LocalDate.parse(text(tag, content));
                case "r" -> ref(text(tag, content));
                default -> throw new IllegalArgumentException("unknown type tag '" + tag + "' in " + node);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("malformed encoded value " + node + ": " + e.getMessage(), e);
        }
    }

    private static String text(String tag, JsonNode content) {
        if (!content.isString()) {
            throw new IllegalArgumentException("tag " + tag + " needs a JSON string, got " + content);
        }
        return content.stringValue();
    }

    private static Ref ref(String text) {
        // The link id may itself hold colons; the flow's name never does.
        int colon = text.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("a reference must read flow:linkId, got '" + text + "'");
        }
        return new Ref(Flow.fromConfigName(text.substring(0, colon)), text.substring(colon + 1));
    }
}
