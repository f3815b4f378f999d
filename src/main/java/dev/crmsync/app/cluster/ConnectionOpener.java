package dev.crmsync.app.cluster;

/**
 * Opens a connection of the file for the node that has just picked it, claiming its store.
 */
@FunctionalInterface
public interface ConnectionOpener {

    /**
     * @param connection the connection's name
     * @param node       the node's name, the claim's owner
     * @return the connection, claimed and not started
     */
    HeldConnection open(String connection, String node);
}
