package dev.crmsync.engine;

import dev.crmsync.model.Side;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A flow's delete policies: one for deletes seen on webCRM and one for deletes seen in Customcrm, and, for
 * {@link DeletePolicy#MARK}, what is written on the surviving record of each side.
 *
 * @param seenOn by the side the delete was seen on, the policy
 * @param marks  by the side of the surviving record, what {@code mark} writes there; every policy {@code mark} of
 *               a delete seen on one side needs the mark of the other
 */
public record DeleteRules(Map<Side, DeletePolicy> seenOn, Map<Side, DeleteMark> marks) {

    /** Today's default: a delete is propagated where the other system can delete, else the link is retired. */
    public static final DeleteRules DEFAULT = both(DeletePolicy.PROPAGATE);

    public DeleteRules {
        EnumMap<Side, DeletePolicy> policies = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            policies.put(side, seenOn.getOrDefault(side, DeletePolicy.PROPAGATE));
        }
        seenOn = Map.copyOf(policies);
        marks = Map.copyOf(marks);
        for (Side side : Side.values()) {
            if (seenOn.get(side) == DeletePolicy.MARK && !marks.containsKey(side.other())) {
                throw new IllegalArgumentException("a delete seen on " + side.label() + " is to mark the "
                        + side.other().label() + " record, but no mark says what to write there");
            }
        }
    }

    /**
     * @return the same policy for deletes on either side, without marks
     */
    public static DeleteRules both(DeletePolicy policy) {
        return new DeleteRules(Map.of(Side.WEBCRM, policy, Side.CUSTOMCRM, policy), Map.of());
    }

    /**
     * @param side the side the delete was seen on
     * @return what to do with the linked record on the other side
     */
    public DeletePolicy onDeleteSeenOn(Side side) {
        return seenOn.get(side);
    }

    /**
     * @param survivor the side of the record that is marked
     * @return what {@code mark} writes there, if configured
     */
    public Optional<DeleteMark> markOn(Side survivor) {
        return Optional.ofNullable(marks.get(survivor));
    }
}
