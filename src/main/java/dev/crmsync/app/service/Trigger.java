package dev.crmsync.app.service;

import java.util.Locale;

/**
 * Why a cycle runs, as the status and the cycle log show it.
 */
public enum Trigger {
    /** The service started: every flow syncs and reconciles at once. */
    START,
    /** The flow's interval passed. */
    SCHEDULE,
    /** A system's change hook said something changed. */
    HOOK,
    /** A person asked: sync now, resume, a resolved conflict or a replayed dead letter. */
    MANUAL,
    /** A person asked for a resync: the flow's records are read again in full from both sides. */
    RESYNC;

    /**
     * @return the lower-case name used in JSON and the store
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
