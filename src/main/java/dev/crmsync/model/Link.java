package dev.crmsync.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The durable pairing of a webCRM record and a Customcrm record in one flow, and what the two sides last agreed
 * on (invariant 1 of DESIGN.md section 4).
 *
 * @param id            crmsync's own id of the pair; also stamped on both records so a lost create can be found
 * @param flow          the flow
 * @param webcrmId      the webCRM record's id; null while a create on webCRM is pending
 * @param customcrmId   the Customcrm record's id; null while a create on Customcrm is pending
 * @param base          the last agreed canonical values: the base of the three-way merge
 * @param webcrmHash    hash of the canonical values last seen on or written to webCRM
 * @param customcrmHash hash of the canonical values last seen on or written to Customcrm
 * @param state         where the link stands
 * @param updatedAt     when the link last changed
 */
public record Link(String id, Flow flow, String webcrmId, String customcrmId, FieldValues base, String webcrmHash,
                   String customcrmHash, LinkState state, Instant updatedAt) {

    public Link {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("link id must not be blank");
        }
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * @param side a system
     * @return the record's id on that side, or null when it has none yet
     */
    public String idOn(Side side) {
        return side == Side.WEBCRM ? webcrmId : customcrmId;
    }

    /**
     * @param side a system
     * @return the hash last seen on or written to that side, or null
     */
    public String hashOn(Side side) {
        return side == Side.WEBCRM ? webcrmHash : customcrmHash;
    }

    /**
     * @return a copy with the record id on {@code side} set
     */
    public Link withIdOn(Side side, String recordId) {
        return side == Side.WEBCRM
                ? new Link(id, flow, recordId, customcrmId, base, webcrmHash, customcrmHash, state, updatedAt)
                : new Link(id, flow, webcrmId, recordId, base, webcrmHash, customcrmHash, state, updatedAt);
    }

    /**
     * @return a copy with the hash of {@code side} set
     */
    public Link withHashOn(Side side, String hash) {
        return side == Side.WEBCRM
                ? new Link(id, flow, webcrmId, customcrmId, base, hash, customcrmHash, state, updatedAt)
                : new Link(id, flow, webcrmId, customcrmId, base, webcrmHash, hash, state, updatedAt);
    }

    /**
     * @return a copy with a new base, state and time
     */
    public Link with(FieldValues newBase, LinkState newState, Instant at) {
        return new Link(id, flow, webcrmId, customcrmId, newBase, webcrmHash, customcrmHash, newState, at);
    }
}
