package dev.crmsync.app.config;

import dev.crmsync.adapters.store.StoreAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node of a cluster shares the connections with the other nodes on the same PostgreSQL store (the file's
 * {@code cluster:} section; a SQLite store has no cluster).
 *
 * @param node          this node's name, unique in the cluster; null for {@code <host>-<pid>}
 * @param takeOverAfter how long a node may be silent (dead, stopped, cut off) before the others take its connections
 *                      over; its heartbeat comes every quarter of it
 * @param pollInterval  how often a node looks for a connection that no node holds
 * @param store         the file's store, before each connection's own part of it: the nodes' shared tables live
 *                      there; null where the settings come from no file
 */
public record ClusterSettings(String node, Duration takeOverAfter, Duration pollInterval, StoreAddress store) {

    /** What a node's name may be: it goes into log lines, URLs and the scheduler's table. */
    public static final String NODE_NAME = "[A-Za-z0-9._-]{1,60}";
    /** The shortest take-over: a heartbeat a second, four missed. */
    public static final Duration SHORTEST_TAKE_OVER = Duration.ofSeconds(4);

    public ClusterSettings {
        Objects.requireNonNull(takeOverAfter, "takeOverAfter");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (node != null && !node.matches(NODE_NAME)) {
            throw new IllegalArgumentException("a node name is 1 to 60 letters, digits, '.', '_' and '-': " + node);
        }
        if (takeOverAfter.compareTo(SHORTEST_TAKE_OVER) < 0) {
            throw new IllegalArgumentException("take-over-after must be at least 4s: " + takeOverAfter);
        }
        if (pollInterval.isNegative() || pollInterval.isZero() || pollInterval.compareTo(takeOverAfter) >= 0) {
            throw new IllegalArgumentException("poll-interval must be longer than 0s and shorter than "
                    + "take-over-after: " + pollInterval);
        }
    }

    /**
     * @return the node named after its host and process, a take-over after 30 s, a look for work every 2 s
     */
    public static ClusterSettings ofDefaults() {
        return new ClusterSettings(null, Duration.ofSeconds(30), Duration.ofSeconds(2), null);
    }

    /**
     * @return how often the node's heartbeat and its holds' heartbeats are written
     */
    public Duration heartbeatInterval() {
        return takeOverAfter.dividedBy(4);
    }
}
