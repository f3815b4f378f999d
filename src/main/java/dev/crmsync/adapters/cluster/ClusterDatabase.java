package dev.crmsync.adapters.cluster;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.crmsync.adapters.store.PostgresStore;
import dev.crmsync.adapters.store.StoreAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.Jdbi;

/**
 * The tables the nodes of a cluster share, in the PostgreSQL schema of the file's store: db-scheduler's
 * {@code scheduled_tasks}, whose executions are the connections the nodes hold, and {@code cluster_nodes}, each
 * node's own heartbeat. Migrated by Flyway from {@code db/cluster}, with a history table of its own beside the
 * store's.
 *
 * <p>This class is threadsafe.
 */
public final class ClusterDatabase implements AutoCloseable {

    private static final String LOCATION = "classpath:db/cluster";
    private static final String HISTORY = "crmsync_cluster_history";
    /** db-scheduler's poller, its heartbeats and dead-execution check, and the node's own heartbeat. */
    private static final int POOL_SIZE = 4;

    /**
     * A node's heartbeat row.
     *
     * @param name      the node's name
     * @param url       the base URL of its management API
     * @param startedAt when it started
     * @param heartbeat its last heartbeat
     */
    public record NodeRow(String name, String url, Instant startedAt, Instant heartbeat) {
    }

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private ClusterDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /**
     * Opens the cluster's tables, creating them if need be.
     *
     * @param store the file's store: a PostgreSQL URL with its user and password
     * @return the open tables
     * @throws IllegalArgumentException when the store is not PostgreSQL
     * @throws IllegalStateException    when the database cannot be reached or migrated; the message names the URL
     *                                  without its password
     */
    public static ClusterDatabase open(StoreAddress store) {
        if (!store.isPostgres()) {
            throw new IllegalArgumentException("the nodes of a cluster share a PostgreSQL store; "
                    + store.redactedUrl() + " is not one");
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(PostgresStore.poolConfig(store, "crmsync-cluster", POOL_SIZE));
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot open the cluster's tables at " + store.redactedUrl() + ": "
                    + cause.getMessage(), e);
        }
        try {
            FluentConfiguration flyway = Flyway.configure().dataSource(dataSource).locations(LOCATION)
                    .table(HISTORY)
                    // The schema may hold the store of a file of one connection already: its tables are not ours,
                    // and ours start at version 1 beside them.
                    .baselineOnMigrate(true).baselineVersion("0");
            store.schema().ifPresent(schema -> flyway.schemas(schema).createSchemas(true));
            migrate(dataSource, flyway, store.schema().orElse("public"));
        } catch (FlywayException e) {
            dataSource.close();
            throw new IllegalStateException("cannot bring the cluster's tables at " + store.redactedUrl()
                    + " to the current schema: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new ClusterDatabase(dataSource);
    }

    /**
     * Migrates while holding an advisory lock of the schema's: nodes started together would otherwise race to create
     * the history table beside a store's tables, and the loser finds it created but not yet marked, which Flyway
     * refuses.
     */
    private static void migrate(DataSource dataSource, FluentConfiguration flyway, String schema) {
        String key = "crmsync-cluster-migration:" + schema;
        try (Connection lock = dataSource.getConnection()) {
            try (PreparedStatement take = lock.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
                take.setString(1, key);
                take.execute();
            }
            try {
                flyway.load().migrate();
            } finally {
                try (PreparedStatement release = lock.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                    release.setString(1, key);
                    release.execute();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock the cluster's tables to create them: " + e.getMessage(), e);
        }
    }

    /**
     * @return the database, for db-scheduler
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Writes the node's heartbeat, adding its row the first time.
     */
    public void heartbeat(String node, String url, Instant startedAt, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO cluster_nodes (name, url, started_at, heartbeat)
                        VALUES (:name, :url, :startedAt, :now)
                        ON CONFLICT (name) DO UPDATE SET url = excluded.url, started_at = excluded.started_at,
                            heartbeat = excluded.heartbeat""")
                .bind("name", node).bind("url", url).bind("startedAt", Timestamp.from(startedAt))
                .bind("now", Timestamp.from(now)).execute());
    }

    /**
     * Removes the node's row: it stopped cleanly and holds nothing more.
     */
    public void leave(String node) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM cluster_nodes WHERE name = :name").bind("name", node)
                .execute());
    }

    /**
     * Forgets the nodes silent for longer than {@code silence}: a node killed long ago has no row to show.
     */
    public void forgetSilent(Instant now, Duration silence) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM cluster_nodes WHERE heartbeat < :before")
                .bind("before", Timestamp.from(now.minus(silence))).execute());
    }

    /**
     * @return every node's row, by name
     */
    public List<NodeRow> nodes() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT name, url, started_at, heartbeat FROM cluster_nodes ORDER BY name")
                .map((rs, ctx) -> new NodeRow(rs.getString("name"), rs.getString("url"),
                        rs.getTimestamp("started_at").toInstant(), rs.getTimestamp("heartbeat").toInstant()))
                .list());
    }

    /**
     * @param taskName the task whose executions are the connections
     * @return each connection that a node has picked, with that node's name
     */
    public Map<String, String> holders(String taskName) {
        Map<String, String> out = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT task_instance, picked_by FROM scheduled_tasks
                        WHERE task_name = :task AND picked ORDER BY task_instance""")
                .bind("task", taskName)
                .map((rs, ctx) -> Map.entry(rs.getString(1), Objects.toString(rs.getString(2), "")))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
