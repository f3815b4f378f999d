package dev.crmsync.adapters.customcrm;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Customcrm's JSON as the connector reads and writes it: records become {@link SideRecord}s whose properties are
 * the record's JSON as plain Java values (nested maps for {@code address} and {@code external_ids}), decimals as
 * {@link java.math.BigDecimal} so that a price of 1234.10 comes back as 1234.10, not as the nearest double.
 *
 * <p>Unknown members never fail a read: the contract lets a server add fields, and they travel on as properties.
 *
 * <p>This class is threadsafe.
 */
final class RecordJson {

    /** Decimals as BigDecimal; unknown members are data, never an error. */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** An answer that is not what the contract promises: cut-off JSON, a page without items, a record without id. */
    static final class MalformedAnswer extends RuntimeException {
        MalformedAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One page of the change feed. */
    record Page(List<SideRecord> records, String next, boolean hasMore) {
    }

    private RecordJson() {
    }

    /**
     * @param value properties to send
     * @return them as JSON text
     * @throws JacksonException when a value cannot be written as JSON
     */
    static String write(Map<String, Object> value) {
        return MAPPER.writeValueAsString(value);
    }

    /**
     * @param body an answer's body
     * @return it as a JSON object
     * @throws MalformedAnswer when it is not a JSON object
     */
    static Map<String, Object> object(String body) {
        Object parsed;
        try {
            parsed = body == null || body.isBlank() ? null : MAPPER.readValue(body, Object.class);
        } catch (JacksonException e) {
            throw new MalformedAnswer("the answer is not valid JSON", e);
        }
        return asObject(parsed, "the answer");
    }

    /**
     * @param flow the flow the page belongs to
     * @param body the body of {@code GET /{type}?since=…}
     * @return the page
     * @throws MalformedAnswer when the body is not a page as the contract defines it
     */
    static Page page(Flow flow, String body) {
        Map<String, Object> page = object(body);
        if (!(page.get("items") instanceof List<?> items)) {
            throw new MalformedAnswer("the page has no items array", null);
        }
        if (!(page.get("next") instanceof String next) || next.isEmpty()) {
            throw new MalformedAnswer("the page has no next cursor", null);
        }
        // has_more is required by the contract; a server that leaves it out is read as "maybe more", which costs
        // one more request but never stops a read early.
        boolean hasMore = !(page.get("has_more") instanceof Boolean more) || more;
        List<SideRecord> records = items.stream().map(item -> record(flow, asObject(item, "an item"))).toList();
        return new Page(records, next, hasMore);
    }

    /**
     * @param flow   the flow
     * @param record a record or tombstone as the contract shows it
     * @return it as a side record: a tombstone as {@link SideRecord#deletion}, a live record with its JSON as
     *         properties and {@code updated_at} as modification time
     * @throws MalformedAnswer when it has no id or an unreadable {@code updated_at}
     */
    static SideRecord record(Flow flow, Map<String, Object> record) {
        Object id = record.get("id");
        if (!(id instanceof String || id instanceof Number) || id.toString().isBlank()) {
            throw new MalformedAnswer("a record has no id", null);
        }
        Instant updatedAt = instant(record.get("updated_at"));
        if (Boolean.TRUE.equals(record.get("deleted"))) {
            return SideRecord.deletion(Side.CUSTOMCRM, flow, id.toString(), updatedAt);
        }
        return new SideRecord(Side.CUSTOMCRM, flow, id.toString(), record, updatedAt, false);
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.toString()).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedAnswer("updated_at is not an RFC 3339 timestamp: " + value, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new MalformedAnswer(what + " is not a JSON object", null);
        }
        return new LinkedHashMap<>((Map<String, Object>) map);
    }
}
