package dev.crmsync.ports;

import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A record pair whose fields were edited differently on both sides. Conflicts that a policy settled are kept as a
 * record of what happened; a conflict under the {@code manual} policy stays open, and its link waits, until a
 * person chooses.
 *
 * @param id              the conflict's id
 * @param flow            the flow
 * @param linkId          the link of the pair
 * @param fields          the fields in conflict
 * @param webcrmValues    webCRM's canonical values when the conflict was seen (kept up to date while it is open)
 * @param customcrmValues Customcrm's canonical values likewise
 * @param policy          the policy in force, e.g. {@code newest-wins}
 * @param detectedAt      when it was seen
 * @param resolvedAt      when it was settled; null while open
 * @param resolvedBy      how it was settled: the policy's name or {@code person}; null while open
 */
public record Conflict(String id, Flow flow, String linkId, List<FieldConflict> fields, FieldValues webcrmValues,
                       FieldValues customcrmValues, String policy, Instant detectedAt, Instant resolvedAt,
                       String resolvedBy) {

    public Conflict {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(linkId, "linkId");
        fields = List.copyOf(fields);
    }

    /**
     * @return whether a person still has to decide
     */
    public boolean isOpen() {
        return resolvedAt == null;
    }
}
