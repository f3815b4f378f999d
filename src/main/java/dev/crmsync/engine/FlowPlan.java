package dev.crmsync.engine;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.util.List;

/**
 * The plan for one flow in one cycle: a value that {@code --dry-run} prints and the {@link PlanApplier} carries
 * out.
 *
 * @param flow    the flow
 * @param changes what happens, record by record, in order
 */
public record FlowPlan(Flow flow, List<PlannedChange> changes) {

    public FlowPlan {
        changes = List.copyOf(changes);
    }

    /**
     * @return how many creates the plan makes on {@code side}
     */
    public long creates(Side side) {
        return count(a -> a instanceof Action.Create c && c.target() == side);
    }

    /**
     * @return how many updates the plan makes on {@code side}
     */
    public long updates(Side side) {
        return count(a -> a instanceof Action.Update u && u.target() == side);
    }

    /**
     * @return how many deletes the plan makes on {@code side}
     */
    public long deletes(Side side) {
        return count(a -> a instanceof Action.Delete d && d.target() == side);
    }

    /**
     * @return how many changes delete or retire a link
     */
    public long linkRemovals() {
        return changes.stream().filter(PlannedChange::removesLink).count();
    }

    /**
     * @return whether anything in the plan writes to a system or changes links
     */
    public boolean isQuiet() {
        return changes.stream().noneMatch(PlannedChange::changesState);
    }

    /**
     * @return the same plan without the changes that delete or retire links
     */
    public FlowPlan withoutRemovals() {
        return new FlowPlan(flow, changes.stream().filter(c -> !c.removesLink()).toList());
    }

    /**
     * @return only the changes that delete or retire links
     */
    public FlowPlan removalsOnly() {
        return new FlowPlan(flow, changes.stream().filter(PlannedChange::removesLink).toList());
    }

    private long count(java.util.function.Predicate<Action> test) {
        return changes.stream().flatMap(c -> c.actions().stream()).filter(test).count();
    }
}
