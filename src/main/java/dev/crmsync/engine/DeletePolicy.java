package dev.crmsync.engine;

import java.util.Locale;

/**
 * What a delete seen on one side does to the linked record on the other (invariant 7). Chosen per flow and per
 * side the delete was seen on, see {@link DeleteRules}.
 */
public enum DeletePolicy {
    /** Delete the other record too, where its system allows it; otherwise retire the link. */
    PROPAGATE("propagate"),
    /** Leave the other record alone and retire the link, so the pair is no longer synced. */
    RETIRE_LINK("retire-link"),
    /**
     * Write a configured value into a configured property of the other record (e.g. webCRM {@code PersonStatus}
     * to {@code Resigned}), then retire the link.
     */
    MARK("mark"),
    /**
     * Touch nothing: the other record stays, and so does the link, pointing at the record that is gone. Later
     * edits of the surviving record are settled without a write, since there is nothing left to write to.
     */
    IGNORE("ignore");

    private final String configName;

    DeletePolicy(String configName) {
        this.configName = configName;
    }

    /**
     * @return the name in the configuration file, e.g. {@code retire-link}
     */
    public String configName() {
        return configName;
    }

    /**
     * @param name {@code propagate}, {@code retire-link} (or its older name {@code retire}), {@code mark} or
     *             {@code ignore}, any case
     * @return the policy
     * @throws IllegalArgumentException listing the accepted values
     */
    public static DeletePolicy fromConfigName(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        if (wanted.equals("retire")) {
            return RETIRE_LINK;
        }
        for (DeletePolicy policy : values()) {
            if (policy.configName.equals(wanted)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown delete policy '" + name
                + "': expected propagate, retire-link, mark or ignore");
    }
}
