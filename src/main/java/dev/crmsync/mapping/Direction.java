package dev.crmsync.mapping;

import dev.crmsync.model.Side;

/**
 * Which way a field flows: both ways, or only from its owning side to the other.
 */
public enum Direction {
    /** Edits on either side are carried to the other. */
    BOTH,
    /** webCRM owns the field: its value is written to Customcrm, Customcrm edits are overwritten. */
    WEBCRM_TO_CUSTOMCRM,
    /** Customcrm owns the field: its value is written to webCRM, webCRM edits are overwritten. */
    CUSTOMCRM_TO_WEBCRM;

    /**
     * @return the side that owns the field, or null when both may edit it
     */
    public Side owner() {
        return switch (this) {
            case BOTH -> null;
            case WEBCRM_TO_CUSTOMCRM -> Side.WEBCRM;
            case CUSTOMCRM_TO_WEBCRM -> Side.CUSTOMCRM;
        };
    }

    /**
     * @param side a system
     * @return whether crmsync writes this field to that system
     */
    public boolean writesTo(Side side) {
        Side owner = owner();
        return owner == null || owner != side;
    }
}
