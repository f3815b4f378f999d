package dev.crmsync.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What one cycle saw, planned and did.
 *
 * @param plans       the plan of each flow, in dependency order
 * @param applied     what landed (empty in a dry run)
 * @param read        records read from both systems
 * @param breakerTrips one line per flow whose deletes the circuit breaker held back
 * @param dryRun      whether nothing was written
 */
public record CycleReport(List<FlowPlan> plans, ApplyResult applied, int read, List<String> breakerTrips,
                          boolean dryRun) {

    public CycleReport {
        plans = List.copyOf(plans);
        breakerTrips = List.copyOf(breakerTrips);
    }

    /**
     * @return whether the cycle found nothing to write and changed no link
     */
    public boolean isQuiet() {
        return plans.stream().allMatch(FlowPlan::isQuiet);
    }

    /**
     * @return every planned change, flow after flow
     */
    public List<PlannedChange> changes() {
        List<PlannedChange> all = new ArrayList<>();
        plans.forEach(p -> all.addAll(p.changes()));
        return all;
    }
}
