package dev.crmsync.app.notify;

import dev.crmsync.app.service.CycleResult;
import dev.crmsync.app.service.FlowOutcome;
import dev.crmsync.app.service.OutcomeListener;
import dev.crmsync.model.Flow;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns how each flow's turns end into events, only when something changes: a flow that fails turn after turn is
 * reported once when it starts failing and once when it recovers, not every interval. After a start, a flow's
 * first turn is compared with nothing: failed or held, it is reported; ok, it is not (there is nothing it
 * recovered from in this process).
 *
 * <p>Dead letters are reported when a flow's count reaches the threshold from below it, and again only after it
 * has fallen below it (a person replayed or dismissed them); a count already at or above it at the first turn
 * after a start is reported once.
 *
 * <p>This class is threadsafe, though the service calls it from its one worker thread.
 */
public final class FlowAlerts implements OutcomeListener {

    private final int threshold;
    private final Consumer<AlertEvent> send;
    private final Map<Flow, FlowOutcome> last = new EnumMap<>(Flow.class);
    /** The flows whose dead letters reached the threshold and have not fallen below it since. */
    private final Set<Flow> overThreshold = EnumSet.noneOf(Flow.class);

    /**
     * @param deadLetterThreshold report a flow's dead letters when they reach this many; 0 never
     * @param send                takes each event; must not block (the service's worker calls it)
     */
    public FlowAlerts(int deadLetterThreshold, Consumer<AlertEvent> send) {
        this.threshold = deadLetterThreshold;
        this.send = send;
    }

    @Override
    public synchronized void cycleEnded(FlowOutcome outcome) {
        Flow flow = outcome.flow();
        FlowOutcome before = last.put(flow, outcome);
        CycleResult previous = before == null ? null : before.result();
        if (outcome.result() != previous) {
            AlertEvent.Kind kind = switch (outcome.result()) {
                case FAILED -> AlertEvent.Kind.FAILING;
                case HELD -> AlertEvent.Kind.HELD;
                case OK -> previous == null ? null : AlertEvent.Kind.RECOVERED;
            };
            if (kind != null) {
                // A recovery reports how long the trouble lasted: from when the failed (or held) turns began.
                send.accept(new AlertEvent(kind, flow, outcome.at(),
                        kind == AlertEvent.Kind.RECOVERED ? before.since() : outcome.since(), previous,
                        outcome.detail(), outcome.deadLetters(), threshold));
            }
        }
        if (threshold > 0) {
            if (outcome.deadLetters() < threshold) {
                overThreshold.remove(flow);
            } else if (overThreshold.add(flow)) {
                send.accept(new AlertEvent(AlertEvent.Kind.DEAD_LETTERS, flow, outcome.at(), outcome.at(),
                        previous, null, outcome.deadLetters(), threshold));
            }
        }
    }
}
