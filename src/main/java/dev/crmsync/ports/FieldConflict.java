package dev.crmsync.ports;

import dev.crmsync.model.Side;

/**
 * One field edited differently on both sides since the last agreed value.
 *
 * @param field     the canonical field
 * @param base      the last agreed value, or null (none, or no base at a first link)
 * @param webcrm    webCRM's value, or null
 * @param customcrm Customcrm's value, or null
 * @param winner    the side whose value was kept, or null while a person has to decide
 */
public record FieldConflict(String field, Object base, Object webcrm, Object customcrm, Side winner) {

    /**
     * @param side a system
     * @return that side's value
     */
    public Object valueOn(Side side) {
        return side == Side.WEBCRM ? webcrm : customcrm;
    }
}
