package dev.crmsync.adapters.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.time.Duration;
import java.util.Objects;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The store on PostgreSQL, for a store that outlives one machine: opened from
 * {@code jdbc:postgresql://HOST[:PORT]/DATABASE} (a {@code currentSchema} parameter puts it in a schema of its own,
 * created on first open when the user may), brought to the current schema version by the same Flyway migrations
 * as SQLite.
 *
 * <h2>Connections</h2>
 * A small HikariCP pool per store. {@link SqlStore} lets one thread in at a time, so the store itself uses one
 * connection at a time: borrowed for a transaction or a read and given back at once, so that a database restart
 * costs the calls under way, not the store. The pool's other connections serve the moments a connection is being
 * replaced; {@link StoreLock}'s lock is a connection of its own.
 *
 * <h2>Durability</h2>
 * PostgreSQL's defaults ({@code synchronous_commit=on}, {@code fsync=on}) make a commit durable before it returns,
 * which the outbox and the cursors need (invariants 4 and 5); crmsync relies on them and changes neither.
 *
 * <h2>Backup</h2>
 * With PostgreSQL's own tools ({@code pg_dump}, or the provider's snapshots): {@code crmsync store backup} copies
 * SQLite stores only, and says so here.
 *
 * <p>This class is threadsafe: it is stateless.
 */
public final class PostgresStore {

    static final String URL_PREFIX = "jdbc:postgresql:";

    /** Enough for the store's one connection at a time, and one being replaced. */
    private static final int POOL_SIZE = 2;

    private PostgresStore() {
    }

    /**
     * Opens the store, creating its tables if need be.
     *
     * @param address a {@code jdbc:postgresql:} URL, with its user and password
     * @param commits told before and after each commit
     * @return the open store
     * @throws IllegalArgumentException when the URL is not a PostgreSQL URL
     * @throws IllegalStateException    when the database cannot be reached or migrated; the message names the URL
     *                                  without its password
     */
    public static SqlStore open(StoreAddress address, CommitObserver commits) {
        return open(address, commits, null);
    }

    /**
     * Opens the store, creating its tables if need be.
     *
     * @param address              a {@code jdbc:postgresql:} URL, with its user and password
     * @param commits              told before and after each commit
     * @param idleTransactionLimit how long PostgreSQL lets a transaction of this store wait for its next statement
     *                             before it ends the session; null for no limit
     * @return the open store
     */
    public static SqlStore open(StoreAddress address, CommitObserver commits, Duration idleTransactionLimit) {
        Objects.requireNonNull(commits, "commits");
        HikariDataSource dataSource = dataSource(address, idleTransactionLimit);
        try {
            StoreSchema.migrate(dataSource, address.schema().orElse(null));
        } catch (FlywayException e) {
            dataSource.close();
            throw new IllegalStateException("cannot bring the store at " + address.redactedUrl()
                    + " to the current schema: " + e.getMessage(), e);
        }
        return new SqlStore(new Pool(dataSource, Jdbi.create(dataSource), address), commits);
    }

    /**
     * A pool of connections to the store's database, reached at once so that a wrong URL or password is said
     * when crmsync starts, not at its first write.
     *
     * @throws IllegalArgumentException when the URL is not a PostgreSQL URL
     * @throws IllegalStateException    when the database cannot be reached
     */
    private static HikariDataSource dataSource(StoreAddress address, Duration idleTransactionLimit) {
        if (!address.isPostgres()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://HOST/DATABASE): "
                    + address.redactedUrl());
        }
        HikariConfig config = poolConfig(address, "crmsync-store", POOL_SIZE);
        if (idleTransactionLimit != null) {
            // A number, not text from outside: nothing to quote.
            config.setConnectionInitSql("SET idle_in_transaction_session_timeout = "
                    + Math.max(1, idleTransactionLimit.toMillis()));
        }
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot open the store at " + address.redactedUrl() + ": "
                    + cause.getMessage(), e);
        }
    }

    /**
     * The settings of a small pool of connections to a PostgreSQL database: its URL and credentials, at least one
     * connection kept open, 10 s to get one.
     *
     * @param address  the database
     * @param poolName the pool's name, in Hikari's own log lines
     * @param size     the most connections
     * @return the settings, for more to be added
     */
    public static HikariConfig poolConfig(StoreAddress address, String poolName, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(address.url());
        if (address.user() != null) {
            config.setUsername(address.user());
        }
        if (address.password() != null) {
            config.setPassword(address.password().reveal());
        }
        config.setPoolName(poolName);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        return config;
    }

    /** Lends a pooled connection per call. */
    private record Pool(HikariDataSource dataSource, Jdbi jdbi, StoreAddress address) implements SqlStore.Handles {

        @Override
        public Handle acquire() {
            return jdbi.open();
        }

        @Override
        public void release(Handle handle) {
            handle.close();
        }

        @Override
        public void backupTo(String file) {
            throw new IllegalStateException("the store at " + address.redactedUrl() + " is a PostgreSQL database: "
                    + "back it up with PostgreSQL's own tools (pg_dump, or your provider's snapshots); "
                    + "'crmsync store backup' copies SQLite stores");
        }

        @Override
        public void close() {
            dataSource.close();
        }
    }
}
