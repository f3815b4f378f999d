package dev.crmsync.adapters.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * One syncing process per store, held while a connection syncs. Two processes syncing the same pair at once (a
 * {@code crmsync run} and a {@code sync --once} started by hand) would both plan the same creates; the lock refuses
 * the second with a clear message instead. Whatever holds it is dropped when the process dies, so a crash never
 * leaves a stale lock behind:
 * <ul>
 *   <li>SQLite: an exclusive lock on a file beside the store, which the operating system drops;</li>
 *   <li>PostgreSQL: a session advisory lock on a connection of its own, keyed by the store's schema, which the
 *       database drops when the connection ends.</li>
 * </ul>
 *
 * <p>This class is threadsafe.
 */
public final class StoreLock implements AutoCloseable {

    private static final String BUSY = "another crmsync is syncing with this store (%s); stop it first, or pause "
            + "its flows and use its dashboard: one process syncs a store at a time";

    /** How long a lock held by a PostgreSQL session that is ending is waited for. */
    private static final Duration DYING_SESSION_WAIT = Duration.ofSeconds(3);
    /** PostgreSQL's SQLSTATE for a lock not obtained within {@code lock_timeout}. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final AutoCloseable held;

    private StoreLock(AutoCloseable held) {
        this.held = held;
    }

    /**
     * @param jdbcUrl the store's {@code jdbc:sqlite:FILE} URL
     * @return the lock, held until closed
     * @throws StoreBusyException when another connection, in this process or another, holds it
     */
    public static StoreLock acquire(String jdbcUrl) {
        return acquire(StoreAddress.of(jdbcUrl));
    }

    /**
     * @param address where the store lives
     * @return the lock, held until closed
     * @throws StoreBusyException    when another connection, in this process or another, holds it
     * @throws IllegalStateException when a PostgreSQL store cannot be reached
     */
    public static StoreLock acquire(StoreAddress address) {
        return address.isPostgres() ? advisoryLock(address) : fileLock(address.url());
    }

    private static StoreLock fileLock(String jdbcUrl) {
        Path file = lockFile(jdbcUrl);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the store's lock file " + file, e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new StoreLock(channel);
            }
        } catch (OverlappingFileLockException heldHere) {
            // held by another connection of this process: the same answer
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException("cannot lock " + file, e);
        }
        close(channel);
        throw new StoreBusyException(BUSY.formatted(file + " is locked")
                + "; several processes sharing the connections need a PostgreSQL store (store.url: jdbc:postgresql:…)");
    }

    private static StoreLock advisoryLock(StoreAddress address) {
        Properties credentials = new Properties();
        if (address.user() != null) {
            credentials.setProperty("user", address.user());
        }
        if (address.password() != null) {
            credentials.setProperty("password", address.password().reveal());
        }
        Connection connection;
        try {
            connection = DriverManager.getConnection(address.url(), credentials);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the store at " + address.redactedUrl() + ": "
                    + e.getMessage(), e);
        }
        String schema = null;
        try {
            // The URL's schema rather than current_schema(): before the store's first open it may not exist yet.
            try (PreparedStatement named = connection.prepareStatement("SELECT COALESCE(?, current_schema())")) {
                named.setString(1, address.schema().orElse(null));
                ResultSet rs = named.executeQuery();
                rs.next();
                schema = rs.getString(1);
            }
            // A session that has just ended (a process killed a moment ago, restarted at once by its service
            // manager) keeps its lock until its server process is gone: wait a little for that, not for a live one.
            try (Statement wait = connection.createStatement()) {
                wait.execute("SET lock_timeout = '" + DYING_SESSION_WAIT.toMillis() + "ms'");
            }
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT pg_advisory_lock(hashtext('crmsync:' || ?))")) {
                lock.setString(1, schema);
                lock.execute();
            }
            String held = schema;
            return new StoreLock(() -> unlock(connection, held));
        } catch (SQLException e) {
            close(connection);
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new StoreBusyException(BUSY.formatted(address.redactedUrl() + ", schema " + schema
                        + ": its lock is held by another session"));
            }
            throw new IllegalStateException("cannot lock the store at " + address.redactedUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Unlocks before closing: PostgreSQL drops a closed session's locks only once its server process has ended, a
     * moment after the close returns, and a process started right after this one ends must find the lock free.
     */
    private static void unlock(Connection connection, String schema) {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_advisory_unlock(hashtext('crmsync:' || ?))")) {
            statement.setString(1, schema);
            statement.execute();
        } catch (SQLException e) {
            // the connection is going; its end releases the lock all the same
        } finally {
            close(connection);
        }
    }

    /**
     * @param jdbcUrl the store's URL
     * @return the lock file beside the store: {@code crmsync.db} is locked through {@code crmsync.db.lock}
     */
    static Path lockFile(String jdbcUrl) {
        String prefix = SqliteStore.URL_PREFIX;
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("not a SQLite store URL: " + jdbcUrl);
        }
        return Path.of(jdbcUrl.substring(prefix.length()) + ".lock");
    }

    /** Releases the lock: closing the file channel or the connection that holds it is what releases it. */
    @Override
    public void close() {
        close(held);
    }

    private static void close(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            // nothing more to release: a lock goes with what held it
        }
    }
}
