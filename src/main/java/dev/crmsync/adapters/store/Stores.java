package dev.crmsync.adapters.store;

import java.time.Duration;

/**
 * Opens the store an address names: SQLite or PostgreSQL, by the URL's scheme.
 *
 * <p>This class is threadsafe: it is stateless.
 */
public final class Stores {

    private Stores() {
    }

    /**
     * @param address where the store lives
     * @param commits told before and after each commit
     * @return the open store, its schema brought up to date
     * @throws IllegalArgumentException when the URL is of neither database
     * @throws IllegalStateException    when the store cannot be opened or migrated
     */
    public static SqlStore open(StoreAddress address, CommitObserver commits) {
        return open(address, commits, null);
    }

    /**
     * Opens the store of a node of a cluster: PostgreSQL ends any transaction of it that waits longer than
     * {@code idleTransactionLimit} for its next statement. A node stopped mid-transaction (SIGSTOP, a long pause)
     * would otherwise keep the row lock of its claim, and the node taking its connection over would wait for it
     * as long as the stop lasts.
     *
     * @param address              where the store lives: a PostgreSQL store
     * @param commits              told before and after each commit
     * @param idleTransactionLimit the longest wait of a transaction for its next statement; null for no limit
     * @return the open store, its schema brought up to date
     * @throws IllegalArgumentException when the URL is of neither database
     * @throws IllegalStateException    when the store cannot be opened or migrated
     */
    public static SqlStore open(StoreAddress address, CommitObserver commits, Duration idleTransactionLimit) {
        if (address.isSqlite()) {
            return SqliteStore.open(address.url(), SqliteStore.DEFAULT_BUSY_TIMEOUT, commits);
        }
        if (address.isPostgres()) {
            return PostgresStore.open(address, commits, idleTransactionLimit);
        }
        throw new IllegalArgumentException("not a store URL: " + address.redactedUrl()
                + " (jdbc:sqlite:FILE or jdbc:postgresql://HOST/DATABASE)");
    }

    /**
     * @param address where the store lives
     * @return the open store
     */
    public static SqlStore open(StoreAddress address) {
        return open(address, CommitObserver.NONE);
    }
}
