package dev.crmsync.adapters.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded default store: one SQLite file, opened from a JDBC URL such as {@code jdbc:sqlite:crmsync.db},
 * brought to the current schema by Flyway on open.
 *
 * <h2>One connection</h2>
 * The store keeps a single connection for its whole life. SQLite allows one writer per file at a time whatever the
 * number of connections, and {@link SqlStore} lets one thread in at a time anyway, so a pool would add only
 * {@code SQLITE_BUSY} retries. The file is set up for other processes too (a CLI reading status while the service
 * runs):
 * <ul>
 *   <li>WAL journal, so readers in other processes do not block the writer nor it them;</li>
 *   <li>{@code busy_timeout}, so a short lock held by another process is waited for, not failed on;</li>
 *   <li>{@code BEGIN IMMEDIATE} transactions, which take the write lock up front: a transaction that started as a
 *       reader and upgrades later can fail with {@code SQLITE_BUSY} at once, which no timeout helps;</li>
 *   <li>{@code synchronous=FULL}: a committed outbox intent or cursor must survive a power cut, or a create
 *       could be repeated (invariants 4 and 5); the cost is one more sync per commit;</li>
 *   <li>foreign keys on: outbox, conflict and history rows must belong to a link.</li>
 * </ul>
 * A backup is SQLite's {@code VACUUM INTO}, on a connection of its own.
 *
 * <p>This class is threadsafe: it is stateless.
 */
public final class SqliteStore {

    /**
     * How long a statement waits for another process's lock on the file before failing. Long enough to ride out
     * a checkpoint or a CLI's read transaction, short enough that a stuck process shows up as an error.
     */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);

    static final String URL_PREFIX = "jdbc:sqlite:";

    private SqliteStore() {
    }

    /**
     * Opens the store with {@link #DEFAULT_BUSY_TIMEOUT}, creating the file and its schema if need be.
     *
     * @param jdbcUrl e.g. {@code jdbc:sqlite:/var/lib/crmsync/crmsync.db}
     * @return the open store
     * @throws IllegalArgumentException when the URL is not a SQLite file URL
     * @throws IllegalStateException    when the file cannot be opened or migrated
     */
    public static SqlStore open(String jdbcUrl) {
        return open(jdbcUrl, DEFAULT_BUSY_TIMEOUT);
    }

    /**
     * Opens the store, creating the file and its schema if need be.
     *
     * @param jdbcUrl     e.g. {@code jdbc:sqlite:/var/lib/crmsync/crmsync.db}
     * @param busyTimeout how long to wait for another process's lock on the file
     * @return the open store
     * @throws IllegalArgumentException when the URL is not a SQLite file URL, or the timeout is negative
     * @throws IllegalStateException    when the file cannot be opened or migrated
     */
    public static SqlStore open(String jdbcUrl, Duration busyTimeout) {
        return open(jdbcUrl, busyTimeout, CommitObserver.NONE);
    }

    /**
     * Opens the store, creating the file and its schema if need be, and tells {@code commits} about every
     * transaction it commits from then on (the schema's migration is not one of them).
     *
     * @param jdbcUrl     e.g. {@code jdbc:sqlite:/var/lib/crmsync/crmsync.db}
     * @param busyTimeout how long to wait for another process's lock on the file
     * @param commits     told before and after each commit
     * @return the open store
     * @throws IllegalArgumentException when the URL is not a SQLite file URL, or the timeout is negative
     * @throws IllegalStateException    when the file cannot be opened or migrated
     */
    public static SqlStore open(String jdbcUrl, Duration busyTimeout, CommitObserver commits) {
        Objects.requireNonNull(commits, "commits");
        requireFileUrl(jdbcUrl);
        if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busyTimeout must be 0.." + Integer.MAX_VALUE + " ms: " + busyTimeout);
        }
        SQLiteDataSource dataSource = new SQLiteDataSource(config(busyTimeout));
        dataSource.setUrl(jdbcUrl);
        try {
            StoreSchema.migrate(dataSource);
        } catch (FlywayException e) {
            throw new IllegalStateException("cannot bring the store at " + jdbcUrl + " to the current schema: "
                    + e.getMessage(), e);
        }
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the store at " + jdbcUrl + ": " + e.getMessage(), e);
        }
        // The handle lives as long as the store; closing it closes the connection.
        return new SqlStore(new OneConnection(dataSource, Jdbi.create(() -> connection).open()), commits);
    }

    private static SQLiteConfig config(Duration busyTimeout) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout((int) busyTimeout.toMillis());
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config;
    }

    private static void requireFileUrl(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("not a SQLite JDBC URL (jdbc:sqlite:<file>): " + jdbcUrl);
        }
        String path = jdbcUrl.substring(URL_PREFIX.length());
        // Flyway migrates through its own connection, and an in-memory database is private to one connection:
        // the store would open an empty database beside the migrated one. A store is meant to last anyway.
        if (path.isBlank() || path.contains(":memory:") || path.contains("mode=memory")) {
            throw new IllegalArgumentException("the store needs a database file, not an in-memory database: "
                    + jdbcUrl + " (tests can use a temporary file)");
        }
    }

    /** The one connection a SQLite store keeps, lent to every call. */
    private record OneConnection(SQLiteDataSource dataSource, Handle handle) implements SqlStore.Handles {

        @Override
        public Handle acquire() {
            return handle;
        }

        @Override
        public void release(Handle handle) {
            // kept for the next call
        }

        /**
         * Copies the store with SQLite's {@code VACUUM INTO} on a connection of its own: it reads one snapshot of
         * the file (WAL lets the writer go on meanwhile) and writes a compact, self-contained database, WAL folded
         * in.
         *
         * @throws IllegalArgumentException when {@code target} exists
         * @throws IllegalStateException    when the copy fails, e.g. the folder is not writable
         */
        @Override
        public void backupTo(String file) {
            Path target = Path.of(file);
            if (Files.exists(target)) {
                throw new IllegalArgumentException("the backup file " + target.toAbsolutePath() + " exists already");
            }
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
                vacuum.setString(1, target.toAbsolutePath().toString());
                vacuum.execute();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot back the store up to " + target.toAbsolutePath() + ": "
                        + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            handle.close();
        }
    }
}
