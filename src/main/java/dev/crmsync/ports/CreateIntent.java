package dev.crmsync.ports;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.time.Instant;
import java.util.Objects;

/**
 * A create crmsync is about to make, written to the outbox before the call (invariant 4). If the answer to the
 * create is lost, the next run looks for a record stamped with {@code linkId} on {@code target} before it tries
 * again, so a retry never makes a second record.
 *
 * @param linkId    the link the new record belongs to, stamped on it
 * @param flow      the flow
 * @param target    the side the record is created on
 * @param createdAt when the intent was written
 */
public record CreateIntent(String linkId, Flow flow, Side target, Instant createdAt) {

    public CreateIntent {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
