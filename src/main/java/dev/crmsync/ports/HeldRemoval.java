package dev.crmsync.ports;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.time.Instant;
import java.util.Objects;

/**
 * A removal of a link (a delete, mark or retirement of the pair) that the delete circuit breaker held back, kept
 * in the store so that it survives a restart until a person accepts or rejects it ({@code crmsync deletes}).
 *
 * @param flow     the flow
 * @param linkId   the link the removal concerns
 * @param seenOn   the side whose record was deleted (or left the filter)
 * @param recordId that record's id on {@code seenOn}
 * @param summary  what the removal would do, for people, with the surviving record's name
 * @param heldAt   when the breaker first held it
 * @param accepted whether a person has let it through: the next sync carries it out, once, whatever the breaker
 *                 says
 */
public record HeldRemoval(Flow flow, String linkId, Side seenOn, String recordId, String summary, Instant heldAt,
                          boolean accepted) {

    public HeldRemoval {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(seenOn, "seenOn");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(heldAt, "heldAt");
    }
}
