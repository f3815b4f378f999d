package dev.crmsync.model;

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
}
