package dev.crmsync.ports;

/**
 * A write refused because the store's claim was taken over: this node synced the store under an epoch that
 * another node has since passed (it was thought dead, e.g. stalled by a long pause). Nothing of the refused
 * transaction was written; the node must stop syncing this store.
 */
public final class StaleClaimException extends RuntimeException {

    /**
     * @param message what was refused, with both epochs where known
     */
    public StaleClaimException(String message) {
        super(message);
    }
}
