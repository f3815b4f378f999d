package dev.crmsync.adapters.store;

import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Side;
import dev.crmsync.ports.FieldConflict;
import dev.crmsync.ports.HistoryEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON held in the store's TEXT columns other than plain canonical values: a record's own properties, a
 * conflict's field list and a history entry's changes.
 *
 * <p>Properties are the system's JSON, so they go back as plain JSON: floats are read as {@link java.math.BigDecimal}
 * (a price of {@code 12.50} must not come back as the double {@code 12.5} or {@code 12.499999}), integers as
 * {@code Integer} or {@code Long} by size, {@code null} values are kept.
 *
 * <p>This class is threadsafe: the mapper is immutable once built.
 */
final class JsonColumns {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final TypeReference<LinkedHashMap<String, Object>> PROPERTIES = new TypeReference<>() {
    };
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonColumns() {
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    private static IllegalArgumentException malformed(JacksonException cause) {
        return new IllegalArgumentException("stored JSON is malformed: " + cause.getOriginalMessage(), cause);
    }

    // ---------------------------------------------------------------- a record's properties

    static String encodeProperties(Map<String, Object> properties) {
        return MAPPER.writeValueAsString(properties);
    }

    static Map<String, Object> decodeProperties(String json) {
        try {
            return MAPPER.readValue(json, PROPERTIES);
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    // ---------------------------------------------------------------- canonical values, nullable

    static String encodeValues(FieldValues values) {
        return values == null ? null : FieldValuesCodec.encode(values);
    }

    static FieldValues decodeValues(String json) {
        return json == null ? null : FieldValuesCodec.decode(json);
    }

    // ---------------------------------------------------------------- a conflict's fields

    static String encodeFields(List<FieldConflict> fields) {
        ArrayNode array = NODES.arrayNode();
        for (FieldConflict field : fields) {
            ObjectNode node = array.addObject();
            node.put("field", field.field());
            node.set("base", FieldValuesCodec.valueToNode(field.base()));
            node.set("webcrm", FieldValuesCodec.valueToNode(field.webcrm()));
            node.set("customcrm", FieldValuesCodec.valueToNode(field.customcrm()));
            node.put("winner", field.winner() == null ? null : field.winner().name());
        }
        return MAPPER.writeValueAsString(array);
    }

    static List<FieldConflict> decodeFields(String json) {
        List<FieldConflict> fields = new ArrayList<>();
        for (JsonNode node : parse(json)) {
            JsonNode winner = node.path("winner");
            fields.add(new FieldConflict(
                    node.path("field").stringValue(null),
                    FieldValuesCodec.nodeToValue(node.get("base")),
                    FieldValuesCodec.nodeToValue(node.get("webcrm")),
                    FieldValuesCodec.nodeToValue(node.get("customcrm")),
                    winner.isString() ? Side.valueOf(winner.stringValue()) : null));
        }
        return fields;
    }

    // ---------------------------------------------------------------- a history entry's changes

    static String encodeChanges(Map<String, HistoryEntry.Change> changes) {
        ObjectNode object = NODES.objectNode();
        // Name order, so equal entries are stored as equal text.
        new TreeMap<>(changes).forEach((field, change) -> {
            ObjectNode node = object.putObject(field);
            node.set("before", FieldValuesCodec.valueToNode(change.before()));
            node.set("after", FieldValuesCodec.valueToNode(change.after()));
        });
        return MAPPER.writeValueAsString(object);
    }

    static Map<String, HistoryEntry.Change> decodeChanges(String json) {
        Map<String, HistoryEntry.Change> changes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : parse(json).properties()) {
            changes.put(field.getKey(), new HistoryEntry.Change(
                    FieldValuesCodec.nodeToValue(field.getValue().get("before")),
                    FieldValuesCodec.nodeToValue(field.getValue().get("after"))));
        }
        return changes;
    }
}
