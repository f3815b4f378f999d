package dev.crmsync.mapping;

import dev.crmsync.model.FieldValues;
import java.util.List;
import java.util.Optional;

/**
 * A record of one side in canonical form, or why it could not be put in that form.
 *
 * @param values         the canonical values that could be mapped
 * @param stamp          the link id stamped on the record, if any
 * @param waitingFor     references to parent records that are not linked yet: the record must wait for them
 * @param problems       values that cannot be mapped at all: the record is a dead letter with these reasons
 */
public record MappedRecord(FieldValues values, Optional<String> stamp, List<String> waitingFor,
                           List<String> problems) {

    public MappedRecord {
        waitingFor = List.copyOf(waitingFor);
        problems = List.copyOf(problems);
    }

    /**
     * @return whether the record can take part in the sync now
     */
    public boolean isReady() {
        return waitingFor.isEmpty() && problems.isEmpty();
    }
}
