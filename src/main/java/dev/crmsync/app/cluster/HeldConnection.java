package dev.crmsync.app.cluster;

import dev.crmsync.app.api.ManagementApi;
import java.time.Duration;

/**
 * A connection a node has taken up: opened with the store's claim (every write of its store fenced with the
 * claim's epoch), then synced until the node lets it go.
 */
public interface HeldConnection {

    /**
     * @return what the node's server serves of the connection while it holds it
     */
    ManagementApi.Served served();

    /** Starts the sync. */
    void start();

    /**
     * Confirms the claim with a fenced write that changes nothing.
     *
     * @throws dev.crmsync.ports.StaleClaimException when another node has claimed the store since: the database
     *                                               refused the write
     */
    void confirmClaim();

    /**
     * Stops the sync: the running cycle ends after its batch.
     *
     * @param grace how long to wait for it
     * @return whether it ended within {@code grace}
     */
    boolean stop(Duration grace);

    /** Closes the connection, after {@link #stop}. */
    void close();
}
