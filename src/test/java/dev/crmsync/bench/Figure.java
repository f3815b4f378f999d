package dev.crmsync.bench;

import java.util.Objects;

/**
 * One measured figure of a benchmark run, or one that this run did not measure.
 *
 * @param name       the figure's name, e.g. {@code webcrm_calls_per_create}
 * @param suite      the {@code -Dbench.only} key that measures it again
 * @param measured   the value measured in this run, or null when the run did not measure it
 * @param unit       what the value counts, e.g. {@code requests/record}
 * @param goal       what it should reach
 * @param definition how it is defined and measured, for the report
 * @param notes      what the run saw besides the value, e.g. where the requests went; when the goal is missed
 *                   this is the reason printed beside it, so it must say why. When nothing was measured it says
 *                   why not
 */
public record Figure(String name, String suite, Double measured, String unit, Goal goal, String definition,
                     String notes) {

    /** Where a figure stands against its goal. */
    public enum Status { MET, MISSED, REPORTED, NOT_MEASURED }

    public Figure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(definition, "definition");
        notes = notes == null ? "" : notes.strip();
        if (measured != null && (measured.isNaN() || measured.isInfinite())) {
            throw new IllegalArgumentException(name + ": a measured value must be finite: " + measured);
        }
        if (measured != null && goal.isSet() && !goal.isMetBy(measured) && notes.isEmpty()) {
            throw new IllegalArgumentException(name + " misses its goal " + goal.text() + ": say why in notes");
        }
        if (measured == null && notes.isEmpty()) {
            throw new IllegalArgumentException(name + " was not measured: say why in notes");
        }
    }

    /**
     * @return where the figure stands against its goal
     */
    public Status status() {
        if (measured == null) {
            return Status.NOT_MEASURED;
        }
        if (!goal.isSet()) {
            return Status.REPORTED;
        }
        return goal.isMetBy(measured) ? Status.MET : Status.MISSED;
    }
}
