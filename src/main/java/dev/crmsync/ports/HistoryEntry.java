package dev.crmsync.ports;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.time.Instant;
import java.util.Map;

/**
 * One thing that happened to a link, for the per-record history: which side a change came from, and each
 * field's value before and after.
 *
 * @param linkId  the link
 * @param flow    the flow
 * @param at      when
 * @param origin  the side where the change was made; null for crmsync's own decisions
 * @param action  what happened, e.g. {@code linked}, {@code created}, {@code updated}, {@code deleted}, {@code retired}
 * @param detail  a sentence for people
 * @param changes field name to its value before and after
 */
public record HistoryEntry(String linkId, Flow flow, Instant at, Side origin, String action, String detail,
                           Map<String, Change> changes) {

    public HistoryEntry {
        changes = Map.copyOf(changes);
    }

    /**
     * A field's value before and after; either may be null.
     */
    public record Change(Object before, Object after) {
    }
}
