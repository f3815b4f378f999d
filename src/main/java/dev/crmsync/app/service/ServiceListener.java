package dev.crmsync.app.service;

import dev.crmsync.ports.HistoryEntry;

/**
 * Told when something a page shows has changed, so it can update at once (server-sent events).
 *
 * <p>Called from the service's worker thread; implementations must not block.
 */
public interface ServiceListener {

    /** A flow's status changed: a cycle started or ended, progress moved, a flow was paused or resumed. */
    void statusChanged();

    /**
     * A link's history grew.
     *
     * @param entry the new entry
     */
    void changed(HistoryEntry entry);
}
