package dev.crmsync.engine;

import dev.crmsync.model.FieldValues;
import java.time.Instant;
import java.util.Objects;

/**
 * A side's current canonical values of a record and when that side last modified it.
 *
 * @param values     the canonical values
 * @param modifiedAt the side's modification time; null when unknown
 * @param changed    whether the values differ from what the link last saw on or wrote to that side
 */
public record SideValues(FieldValues values, Instant modifiedAt, boolean changed) {

    public SideValues {
        Objects.requireNonNull(values, "values");
    }
}
