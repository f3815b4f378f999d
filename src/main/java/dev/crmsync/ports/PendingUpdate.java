package dev.crmsync.ports;

import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An update crmsync is about to send, written to the outbox before the call, like a {@link CreateIntent}. If the
 * process dies after the update landed but before its outcome moved the link forward, the next run finds the
 * targets holding exactly {@code values} and records the update then. Without it, crmsync's own write would look
 * like an edit made on the target: a delete of the source would keep the target's copy and retire the pair, and
 * under {@code webcrm-wins} or {@code customcrm-wins} a later edit of the source could lose to it.
 *
 * @param linkId    the link the update moves forward
 * @param flow      the flow
 * @param targets   the sides the update writes to; the other side, if any, already held {@code values}
 * @param values    the canonical values the update writes, the link's base once it lands
 * @param writtenAt when the update was written to the outbox
 */
public record PendingUpdate(String linkId, Flow flow, Set<Side> targets, FieldValues values, Instant writtenAt) {

    public PendingUpdate {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(writtenAt, "writtenAt");
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("a pending update writes to at least one side");
        }
        targets = Set.copyOf(EnumSet.copyOf(targets));
    }
}
