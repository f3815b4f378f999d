package dev.crmsync.app.service;

import dev.crmsync.model.Flow;
import java.time.Instant;
import java.util.Objects;

/**
 * How a flow's last turn ended, and since when it has ended that way.
 *
 * @param flow        the flow
 * @param result      ok, failed, or held by the delete circuit breaker
 * @param at          when the turn ended
 * @param since       when the first turn of the current run of this result ended: how long a flow has been failing
 * @param detail      why it failed or was held (no secrets); null when it is ok
 * @param deadLetters the flow's dead letters after the turn
 */
public record FlowOutcome(Flow flow, CycleResult result, Instant at, Instant since, String detail,
                          long deadLetters) {

    public FlowOutcome {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(since, "since");
    }

    /**
     * @return whether a person should look: the turn failed or its deletes were held
     */
    public boolean needsAttention() {
        return result != CycleResult.OK;
    }
}
