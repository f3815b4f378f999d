package dev.crmsync.model;

import java.util.Objects;

/**
 * A canonical reference to a record of another flow: the id of the link that pairs the referenced records. It is
 * the same value whichever side the reference was read from, so a Person's organisation and its Contact's
 * customer compare equal exactly when they point at the same linked pair.
 *
 * @param flow   the flow of the referenced record
 * @param linkId the id of the referenced record's link
 */
public record Ref(Flow flow, String linkId) implements Comparable<Ref> {

    public Ref {
        Objects.requireNonNull(flow, "flow");
        if (linkId == null || linkId.isBlank()) {
            throw new IllegalArgumentException("linkId must not be blank");
        }
    }

    @Override
    public int compareTo(Ref other) {
        int byFlow = flow.compareTo(other.flow);
        return byFlow != 0 ? byFlow : linkId.compareTo(other.linkId);
    }

    @Override
    public String toString() {
        return flow.configName() + ":" + linkId;
    }
}
