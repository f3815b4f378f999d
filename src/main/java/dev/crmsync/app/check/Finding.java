package dev.crmsync.app.check;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.util.Objects;

/**
 * One thing the preflight found: how much it matters, what kind of problem it is, where (flow, system,
 * property; each may be absent for a finding about the whole connection) and what, in words a user acts on.
 * Messages never hold a credential.
 *
 * <p>This record is threadsafe: it is immutable.
 *
 * @param severity how much it matters
 * @param kind     what kind of problem it is
 * @param flow     the flow, or null for the whole connection
 * @param side     the system, or null when both are concerned
 * @param property the property or mapping entry concerned, or null
 * @param message  what was found and why it matters
 */
public record Finding(Severity severity, Kind kind, Flow flow, Side side, String property, String message) {

    /** What kind of problem a finding is. */
    public enum Kind {
        /** A system could not be reached, or refused the credentials. */
        CONNECTION("connection"),
        /** A read the preflight needs failed after the system was reached. */
        READ("read failed"),
        /** The Customcrm contract could not be read, or does not describe a record type. */
        CONTRACT("contract"),
        /** A mapped property the system does not have. */
        UNKNOWN_PROPERTY("unknown property"),
        /** Values that do not read, or would not be written, as the mapping's type. */
        TYPE_MISMATCH("type mismatch"),
        /** Values a value map has no pair for; they pass through unchanged. */
        VALUE_OUTSIDE_MAP("value outside value map"),
        /** Values the receiving system would refuse: not among its allowed values, or not of its pattern. */
        VALUE_NOT_ALLOWED("value not allowed"),
        /** Values longer than the receiving system allows. */
        TOO_LONG("too long"),
        /** A property the system requires on create that no mapping writes. */
        REQUIRED_UNMAPPED("required field unmapped"),
        /** Records the other system holds without a value the receiving system requires. */
        REQUIRED_MISSING("required value missing"),
        /** A link stamp field or key that cannot safely hold crmsync's link ids. */
        STAMP_FIELD("stamp field"),
        /** A delete policy that cannot be carried out as written, and what is done instead. */
        DELETE_POLICY("delete policy"),
        /** Something that could not be checked. */
        UNCHECKED("not checked");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /**
         * @return the kind as the report names it
         */
        public String label() {
            return label;
        }
    }

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(kind, "kind");
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("message must not be blank");
        }
    }

    /**
     * @return the finding as one report line: severity, system, property, kind and message
     */
    @Override
    public String toString() {
        return String.format("%-7s  %-9s  %-24s  %s: %s", severity, side == null ? "both" : side.label(),
                property == null ? "-" : property, kind.label(), message);
    }
}
