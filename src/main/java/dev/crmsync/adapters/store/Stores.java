package dev.crmsync.adapters.store;

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
        if (address.isSqlite()) {
            return SqliteStore.open(address.url(), SqliteStore.DEFAULT_BUSY_TIMEOUT, commits);
        }
        if (address.isPostgres()) {
            return PostgresStore.open(address, commits);
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
