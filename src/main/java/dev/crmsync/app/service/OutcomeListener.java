package dev.crmsync.app.service;

/**
 * Told how each flow's turn ended, e.g. to count it or to notify someone when a flow starts failing.
 *
 * <p>Called on the service's worker thread after every turn of a flow (not for a turn cut short by a stop);
 * implementations must return at once and hand any slow work to a thread of their own. An exception thrown here
 * is logged and does not reach the sync.
 */
@FunctionalInterface
public interface OutcomeListener {

    /**
     * @param outcome how the flow's turn ended
     */
    void cycleEnded(FlowOutcome outcome);
}
