package dev.crmsync.ports;

import dev.crmsync.model.Flow;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one service cycle did for one flow, kept so that status survives a restart and the dashboard can chart
 * the last day.
 *
 * @param flow       the flow
 * @param startedAt  when the cycle started
 * @param finishedAt when it ended
 * @param trigger    why it ran: {@code schedule}, {@code hook}, {@code manual} or {@code start}
 * @param reconcile  whether the complete id lists were read
 * @param read       records read from both systems
 * @param written    writes that landed on both systems
 * @param failed     writes that failed (dead letters and retries)
 * @param maxLag     the longest end-to-end lag of a write (edit seen -> written), or null when nothing was written
 * @param error      why the cycle stopped early, or null
 */
public record CycleLog(Flow flow, Instant startedAt, Instant finishedAt, String trigger, boolean reconcile, int read,
                       int written, int failed, Duration maxLag, String error) {

    public CycleLog {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(trigger, "trigger");
    }
}
