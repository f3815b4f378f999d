package dev.crmsync.adapters.store;

/**
 * Another connection is syncing with the same store.
 *
 * @see StoreLock
 */
public final class StoreBusyException extends RuntimeException {

    /**
     * @param message what to tell the person, naming the lock file
     */
    public StoreBusyException(String message) {
        super(message);
    }
}
