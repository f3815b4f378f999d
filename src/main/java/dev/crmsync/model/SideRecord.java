package dev.crmsync.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One record as a system returned it, before mapping: its id, its properties in the system's own shape (JSON
 * values: strings, numbers, booleans, nested maps and lists), when it was last modified by that system's clock,
 * and whether it is a tombstone.
 *
 * @param side       the system it came from
 * @param flow       the flow it belongs to
 * @param id         its id on that system
 * @param properties its properties as the system sent them; empty for a tombstone
 * @param modifiedAt when the system says it last changed; null when the system did not say
 * @param deleted    whether this is a delete (a tombstone, or missing from a complete listing)
 */
public record SideRecord(Side side, Flow flow, String id, Map<String, Object> properties, Instant modifiedAt,
                         boolean deleted) {

    public SideRecord {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(flow, "flow");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("record id must not be blank");
        }
        properties = properties == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(properties));
    }

    /**
     * @return a tombstone for the record
     */
    public static SideRecord deletion(Side side, Flow flow, String id, Instant at) {
        return new SideRecord(side, flow, id, Map.of(), at, true);
    }
}
