package dev.crmsync.app.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server of a node of a cluster knows of the cluster: which connections this node holds now, and every
 * node with its heartbeat and its connections. A node serves the routes of the connections it holds; a request
 * for another connection is told which node holds it.
 *
 * <p>Implementations are threadsafe.
 */
public interface ClusterView {

    /**
     * @return this node's name
     */
    String node();

    /**
     * @param connection a connection's name
     * @return what the server serves of it while this node holds it; empty when it does not
     */
    Optional<ManagementApi.Served> held(String connection);

    /**
     * @return every node that has a heartbeat in the cluster's table, this one among them
     */
    List<Node> nodes();

    /**
     * One node, as its heartbeat row and the scheduler's table tell it.
     *
     * @param name        the node's name
     * @param url         the base URL of its management API
     * @param startedAt   when it started
     * @param heartbeat   its last heartbeat
     * @param alive       whether the heartbeat is recent enough for the node to keep its connections
     * @param connections the connections it holds, by name
     */
    record Node(String name, String url, Instant startedAt, Instant heartbeat, boolean alive,
                List<String> connections) {

        public Node {
            Objects.requireNonNull(name, "name");
            connections = List.copyOf(connections);
        }
    }

    /**
     * @param connection a connection's name
     * @return the node that holds it, if any does
     */
    default Optional<Node> holder(String connection) {
        return nodes().stream().filter(n -> n.connections().contains(connection)).findFirst();
    }
}
