package dev.crmsync.engine;

import java.util.Locale;

/**
 * What a delete on one side does to the linked record on the other (invariant 7).
 */
public enum DeletePolicy {
    /** Delete the other record too, where its system allows it; otherwise retire the link. */
    PROPAGATE,
    /** Leave the other record alone and retire the link, so the pair is no longer synced. */
    RETIRE;

    /**
     * @param name {@code propagate} or {@code retire}, any case
     * @return the policy
     * @throws IllegalArgumentException listing the accepted values
     */
    public static DeletePolicy fromConfigName(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "propagate" -> PROPAGATE;
            case "retire" -> RETIRE;
            default -> throw new IllegalArgumentException("unknown delete policy '" + name
                    + "': expected propagate or retire");
        };
    }
}
