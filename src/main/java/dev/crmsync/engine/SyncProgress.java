package dev.crmsync.engine;

import dev.crmsync.model.Flow;

/**
 * Told how a cycle gets on, so that a long first sync is not silent: how many changes a flow's plan holds, and
 * how many of them are applied after each batch.
 *
 * <p>Called from the thread that runs the cycle.
 */
public interface SyncProgress {

    /** Tells nobody. */
    SyncProgress NONE = new SyncProgress() {
        @Override
        public void planned(Flow flow, int changes, int writes) {
        }

        @Override
        public void applied(Flow flow, int done, int total) {
        }
    };

    /**
     * @param flow    the flow
     * @param changes the plan's changes
     * @param writes  of those, the ones that write to a system
     */
    void planned(Flow flow, int changes, int writes);

    /**
     * @param flow  the flow
     * @param done  changes applied so far in this cycle
     * @param total changes in the plan
     */
    void applied(Flow flow, int done, int total);
}
