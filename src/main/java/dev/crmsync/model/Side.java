package dev.crmsync.model;

import java.util.Locale;

/**
 * One of the two systems a sync keeps in step.
 */
public enum Side {
    /** webCRM, the SaaS CRM reached through its REST API v1. */
    WEBCRM("webCRM"),
    /** Customcrm, the customer's own CRM reached through crmsync's published contract. */
    CUSTOMCRM("Customcrm");

    private final String label;

    Side(String label) {
        this.label = label;
    }

    /**
     * @return the other system
     */
    public Side other() {
        return this == WEBCRM ? CUSTOMCRM : WEBCRM;
    }

    /**
     * @return the system's name as people write it
     */
    public String label() {
        return label;
    }

    /**
     * @return the name in configuration, the command line and the API: {@code webcrm}, {@code customcrm}
     */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a side's configuration name, any case
     * @return the side
     * @throws IllegalArgumentException naming the accepted values when there is no such side
     */
    public static Side fromConfigName(String name) {
        for (Side side : values()) {
            if (name != null && side.configName().equalsIgnoreCase(name.strip())) {
                return side;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a side; use webcrm or customcrm");
    }
}
