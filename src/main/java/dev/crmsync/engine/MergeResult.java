package dev.crmsync.engine;

import dev.crmsync.model.FieldValues;
import dev.crmsync.ports.FieldConflict;
import java.util.List;

/**
 * The outcome of a three-way merge.
 *
 * @param merged    the values both sides should hold; meaningless when {@code held}
 * @param conflicts the fields edited differently on both sides, with the side that won each
 * @param held      whether a conflict waits for a person (policy {@code manual})
 */
public record MergeResult(FieldValues merged, List<FieldConflict> conflicts, boolean held) {

    public MergeResult {
        conflicts = List.copyOf(conflicts);
    }
}
