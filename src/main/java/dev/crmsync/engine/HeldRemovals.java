package dev.crmsync.engine;

import dev.crmsync.model.Flow;
import dev.crmsync.ports.HeldRemoval;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The link removals of a plan as the delete circuit breaker holds them ({@link HeldRemoval}s, kept in the store
 * until a person decides) and as a person's accept lets them through: an accepted removal is carried out once,
 * whatever the breaker says, and only the others are weighed and held.
 */
final class HeldRemovals {

    /**
     * History action of a removal carried out because a person accepted it. The breaker does not count such a
     * removal in its window: a person has looked at it, so it must not make the next small delete look like a
     * mass delete.
     */
    static final String ACCEPTED = "delete-accepted";

    private static final String HELD = "held by the delete circuit breaker";

    private HeldRemovals() {
    }

    /**
     * @param held a flow's held removals
     * @return the links whose removal a person accepted
     */
    static Set<String> acceptedLinks(List<HeldRemoval> held) {
        return held.stream().filter(HeldRemoval::accepted).map(HeldRemoval::linkId).collect(Collectors.toSet());
    }

    /**
     * @param change   a planned change
     * @param accepted the links whose removal a person accepted
     * @return whether the change removes a link and a person accepted that
     */
    static boolean isAccepted(PlannedChange change, Set<String> accepted) {
        return change.removesLink() && change.linkId().map(accepted::contains).orElse(false);
    }

    /**
     * @param plan     a plan
     * @param accepted the links whose removal a person accepted
     * @param now      when
     * @return the plan, each accepted removal noting in the link's history that a person accepted it
     */
    static FlowPlan noteAccepted(FlowPlan plan, Set<String> accepted, Instant now) {
        if (accepted.isEmpty()) {
            return plan;
        }
        List<PlannedChange> changes = new ArrayList<>();
        for (PlannedChange change : plan.changes()) {
            if (!isAccepted(change, accepted)) {
                changes.add(change);
                continue;
            }
            List<Action> actions = new ArrayList<>(change.actions());
            actions.add(new Action.Note(new HistoryEntry(change.linkId().orElseThrow(), plan.flow(), now, null,
                    ACCEPTED, "held by the delete circuit breaker, accepted by a person: carried out", Map.of())));
            changes.add(new PlannedChange("accepted by a person: " + change.summary(), actions, true));
        }
        return new FlowPlan(plan.flow(), changes);
    }

    /**
     * @param plan     a plan the breaker holds
     * @param accepted the links whose removal a person accepted, which go ahead
     * @param now      when the breaker holds it
     * @return its other removals, as held removals not yet accepted
     */
    static List<HeldRemoval> of(FlowPlan plan, Set<String> accepted, Instant now) {
        return plan.changes().stream().filter(c -> c.removesLink() && !isAccepted(c, accepted))
                .flatMap(change -> held(plan.flow(), change, now).stream())
                .toList();
    }

    /**
     * @param plan     a plan the breaker holds
     * @param accepted the links whose removal a person accepted, which go ahead
     * @return the plan with every other removal replaced by its deleted records waiting, so that they are
     *         planned again, and held again, until a person decides or the records come back
     */
    static FlowPlan hold(FlowPlan plan, Set<String> accepted) {
        List<PlannedChange> kept = new ArrayList<>();
        for (PlannedChange change : plan.changes()) {
            if (!change.removesLink() || isAccepted(change, accepted)) {
                kept.add(change);
                continue;
            }
            List<Action> holds = change.actions().stream()
                    .filter(a -> a instanceof Action.Settle || a instanceof Action.Delete)
                    .map(a -> a instanceof Action.Delete d ? d.source() : ((Action.Settle) a).record())
                    .filter(r -> r.record().deleted())
                    .<Action>map(r -> new Action.Settle(r, RecordStatus.WAITING, HELD))
                    .distinct()
                    .toList();
            kept.add(new PlannedChange(HELD + ": " + change.summary(), holds, false));
        }
        return new FlowPlan(plan.flow(), kept);
    }

    private static Optional<HeldRemoval> held(Flow flow, PlannedChange change, Instant now) {
        // The record that caused the removal is the first one the change settles (the tombstone, or the record
        // that left the filter).
        Optional<ObservedRecord> cause = change.actions().stream()
                .filter(a -> a instanceof Action.Settle).map(a -> ((Action.Settle) a).record()).findFirst();
        return change.linkId().flatMap(link -> cause.map(record -> new HeldRemoval(flow, link, record.side(),
                record.id(), change.summary(), now, false)));
    }
}
