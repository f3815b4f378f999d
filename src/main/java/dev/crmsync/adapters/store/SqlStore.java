package dev.crmsync.adapters.store;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.CreateIntent;
import dev.crmsync.ports.CycleLog;
import dev.crmsync.ports.HeldRemoval;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.PendingUpdate;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded default {@link Store}: one SQLite file, opened from a JDBC URL such as
 * {@code jdbc:sqlite:crmsync.db}, brought to the current schema by Flyway on open.
 *
 * <h2>One connection, one writer</h2>
 * The store holds a single connection behind a {@link ReentrantLock}. SQLite allows one writer per file at a time
 * whatever the number of connections, and DESIGN.md gives each sync connection one writer, so a pool would add
 * only {@code SQLITE_BUSY} retries. Reads share the lock: they are index lookups that take microseconds.
 * The file is set up for other processes too (a CLI reading status while the service runs):
 * <ul>
 *   <li>WAL journal, so readers in other processes do not block the writer nor it them;</li>
 *   <li>{@code busy_timeout}, so a short lock held by another process is waited for, not failed on;</li>
 *   <li>{@code BEGIN IMMEDIATE} transactions, which take the write lock up front: a transaction that started as a
 *       reader and upgrades later can fail with {@code SQLITE_BUSY} at once, which no timeout helps;</li>
 *   <li>{@code synchronous=FULL}: a committed outbox intent or cursor must survive a power cut, or a create
 *       could be repeated (invariants 4 and 5); the cost is one more sync per commit;</li>
 *   <li>foreign keys on: outbox, conflict and history rows must belong to a link.</li>
 * </ul>
 *
 * <h2>Transactions</h2>
 * {@link #inTransaction} holds the lock for the whole of {@code work}, so every store call that {@code work} makes
 * on its own thread is part of the one transaction; calls from other threads wait until it ends (work that waits
 * for another thread's store call would therefore deadlock). A nested {@code inTransaction} runs inside a
 * savepoint: if it throws, its writes are undone and the exception goes on; when the outermost call ends with an
 * exception, everything is rolled back. Outside {@code inTransaction} every method is a transaction of its own.
 * A {@link CommitObserver} given to {@link #open(String, Duration, CommitObserver)} hears each commit, just before
 * and just after it.
 *
 * <h2>Errors</h2>
 * A link claiming a record that another link of the flow already holds raises {@link IllegalStateException}.
 * Other database failures surface as Jdbi's unchecked {@link org.jdbi.v3.core.JdbiException}.
 *
 * <p>This class is threadsafe.
 *
 * @see Store
 * @see FieldValuesCodec
 */
public final class SqliteStore implements Store {

    /**
     * How long a statement waits for another process's lock on the file before failing. Long enough to ride out
     * a checkpoint or a CLI's read transaction, short enough that a stuck process shows up as an error.
     */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);

    private static final String URL_PREFIX = "jdbc:sqlite:";

    private final ReentrantLock lock = new ReentrantLock();
    private final SQLiteDataSource dataSource;
    private final Handle handle;
    private final CommitObserver commits;
    /** How many {@code inTransaction} calls are open on the thread holding the lock; guarded by {@link #lock}. */
    private int depth;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    private SqliteStore(SQLiteDataSource dataSource, Handle handle, CommitObserver commits) {
        this.dataSource = dataSource;
        this.handle = handle;
        this.commits = commits;
    }

    /**
     * Opens the store with {@link #DEFAULT_BUSY_TIMEOUT}, creating the file and its schema if need be.
     *
     * @param jdbcUrl e.g. {@code jdbc:sqlite:/var/lib/crmsync/crmsync.db}
     * @return the open store
     * @throws IllegalArgumentException when the URL is not a SQLite file URL
     * @throws IllegalStateException    when the file cannot be opened or migrated
     */
    public static SqliteStore open(String jdbcUrl) {
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
    public static SqliteStore open(String jdbcUrl, Duration busyTimeout) {
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
    public static SqliteStore open(String jdbcUrl, Duration busyTimeout, CommitObserver commits) {
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
        return new SqliteStore(dataSource, Jdbi.create(() -> connection).open(), commits);
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

    // ---------------------------------------------------------------- transactions

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        lock.lock();
        try {
            requireOpen();
            return depth == 0 ? outermost(work) : nested(work);
        } finally {
            lock.unlock();
        }
    }

    private <T> T outermost(Supplier<T> work) {
        handle.begin();
        depth = 1;
        T result;
        try {
            result = work.get();
            // The one place a transaction commits: every committed write passes here, whatever its size.
            commits.beforeCommit();
            // A deferred foreign key is checked here, so commit may fail too, and then it must roll back.
            handle.commit();
        } catch (Throwable failure) {
            try {
                handle.rollback();
            } catch (RuntimeException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw failure;
        } finally {
            depth = 0;
        }
        // Outside the try: what the observer does can no longer undo a transaction that is durable.
        commits.committed();
        return result;
    }

    private <T> T nested(Supplier<T> work) {
        // Names are unique per level, and SQL-safe: they come from a counter, never from input.
        String savepoint = "crmsync_level_" + depth;
        handle.execute("SAVEPOINT " + savepoint);
        depth++;
        try {
            T result = work.get();
            handle.execute("RELEASE SAVEPOINT " + savepoint);
            return result;
        } catch (Throwable failure) {
            try {
                // ROLLBACK TO keeps the savepoint open; RELEASE then removes it.
                handle.execute("ROLLBACK TO SAVEPOINT " + savepoint);
                handle.execute("RELEASE SAVEPOINT " + savepoint);
            } catch (RuntimeException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw failure;
        } finally {
            depth--;
        }
    }

    /** Runs a read on the connection: one statement, atomic on its own, or part of the caller's transaction. */
    private <T> T read(Function<Handle, T> query) {
        lock.lock();
        try {
            requireOpen();
            return query.apply(handle);
        } finally {
            lock.unlock();
        }
    }

    /** Runs a write as a transaction of its own, or as a savepoint inside the caller's, so it is all or nothing. */
    private void write(Consumer<Handle> update) {
        inTransaction(() -> {
            update.accept(handle);
            return null;
        });
    }

    /**
     * Runs a write whose only writing statement is one SQL statement (reads before it change nothing), so it is
     * atomic by itself: inside the caller's transaction it needs no savepoint of its own, which would cost two more
     * round trips on every write of a large batch.
     */
    private void writeStatement(Consumer<Handle> update) {
        lock.lock();
        try {
            requireOpen();
            if (depth == 0) {
                write(update);
            } else {
                update.accept(handle);
            }
        } finally {
            lock.unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }

    // ---------------------------------------------------------------- links

    @Override
    public Optional<Link> link(String linkId) {
        return read(h -> StoreStatements.link(h, linkId));
    }

    @Override
    public Optional<Link> linkOf(Flow flow, Side side, String recordId) {
        return read(h -> StoreStatements.linkOf(h, flow, side, recordId));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when another link of the flow already holds one of its record ids
     */
    @Override
    public Map<String, Link> linksOf(Flow flow, Side side, Collection<String> recordIds) {
        return read(h -> StoreStatements.linksOf(h, flow, side, recordIds));
    }

    @Override
    public void saveLink(Link link) {
        writeStatement(h -> StoreStatements.saveLink(h, link));
    }

    @Override
    public long countLinks(Flow flow, LinkState state) {
        return read(h -> StoreStatements.countLinks(h, flow, state));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when offset or limit is negative
     */
    @Override
    public List<Link> links(Flow flow, int offset, int limit) {
        return read(h -> StoreStatements.links(h, flow, offset, limit));
    }

    // ---------------------------------------------------------------- observed records

    @Override
    public void observe(List<ObservedRecord> records) {
        write(h -> StoreStatements.observe(h, records));
    }

    @Override
    public Optional<ObservedRecord> observed(Flow flow, Side side, String recordId) {
        return read(h -> StoreStatements.observed(h, flow, side, recordId));
    }

    @Override
    public Map<String, ObservedRecord> observed(Flow flow, Side side, Collection<String> recordIds) {
        return read(h -> StoreStatements.observed(h, flow, side, recordIds));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when limit is negative
     */
    @Override
    public List<ObservedRecord> due(Flow flow, Instant now, int limit) {
        return read(h -> StoreStatements.due(h, flow, now, limit));
    }

    @Override
    public int retryNow() {
        int[] made = {0};
        writeStatement(h -> made[0] = StoreStatements.retryNow(h));
        return made[0];
    }

    @Override
    public Map<String, List<ObservedRecord>> byMatchKeys(Flow flow, Side side, Collection<String> matchKeys) {
        return read(h -> StoreStatements.byMatchKeys(h, flow, side, matchKeys));
    }

    @Override
    public List<ObservedRecord> byMatchKey(Flow flow, Side side, String matchKey) {
        return read(h -> StoreStatements.byMatchKey(h, flow, side, matchKey));
    }

    @Override
    public List<String> observedIds(Flow flow, Side side) {
        return read(h -> StoreStatements.observedIds(h, flow, side));
    }

    @Override
    public List<ObservedRecord> withStatus(RecordStatus status) {
        return read(h -> StoreStatements.withStatus(h, status));
    }

    // ---------------------------------------------------------------- cursors

    @Override
    public Optional<String> cursor(Flow flow, Side side) {
        return read(h -> StoreStatements.cursor(h, flow, side));
    }

    @Override
    public void saveCursor(Flow flow, Side side, String cursor) {
        writeStatement(h -> StoreStatements.saveCursor(h, flow, side, cursor));
    }

    // ---------------------------------------------------------------- held removals

    @Override
    public void holdRemovals(Flow flow, List<HeldRemoval> removals) {
        // Several statements: the flow's rows are replaced all or nothing.
        write(h -> StoreStatements.holdRemovals(h, flow, removals));
    }

    @Override
    public List<HeldRemoval> heldRemovals(Flow flow) {
        return read(h -> StoreStatements.heldRemovals(h, flow));
    }

    @Override
    public List<HeldRemoval> acceptHeldRemovals(Flow flow) {
        return inTransaction(() -> StoreStatements.acceptHeldRemovals(handle, flow));
    }

    // ---------------------------------------------------------------- outbox

    /**
     * {@inheritDoc} Adding an intent that is already there keeps the first one.
     */
    @Override
    public void addIntent(CreateIntent intent) {
        writeStatement(h -> StoreStatements.addIntent(h, intent));
    }

    @Override
    public List<CreateIntent> intents() {
        return read(StoreStatements::intents);
    }

    @Override
    public void removeIntent(String linkId, Side target) {
        writeStatement(h -> StoreStatements.removeIntent(h, linkId, target));
    }

    @Override
    public void addPendingUpdates(List<PendingUpdate> updates) {
        if (!updates.isEmpty()) {
            writeStatement(h -> StoreStatements.addPendingUpdates(h, updates));
        }
    }

    @Override
    public Map<String, PendingUpdate> pendingUpdates(Flow flow) {
        return read(h -> StoreStatements.pendingUpdates(h, flow));
    }

    @Override
    public void removePendingUpdates(Collection<String> linkIds) {
        if (!linkIds.isEmpty()) {
            writeStatement(h -> StoreStatements.removePendingUpdates(h, linkIds));
        }
    }

    // ---------------------------------------------------------------- conflicts and history

    @Override
    public void saveConflict(Conflict conflict) {
        writeStatement(h -> StoreStatements.saveConflict(h, conflict));
    }

    @Override
    public List<Conflict> conflicts(boolean openOnly) {
        return read(h -> StoreStatements.conflicts(h, openOnly));
    }

    @Override
    public Optional<Conflict> openConflictOf(String linkId) {
        return read(h -> StoreStatements.openConflictOf(h, linkId));
    }

    @Override
    public void appendHistory(HistoryEntry entry) {
        writeStatement(h -> StoreStatements.appendHistory(h, entry));
    }

    @Override
    public long countHistory(Flow flow, Collection<String> actions, Instant since) {
        return read(h -> StoreStatements.countHistory(h, flow, actions, since));
    }

    @Override
    public List<HistoryEntry> history(String linkId) {
        return read(h -> StoreStatements.history(h, linkId));
    }

    // ---------------------------------------------------------------- life

    /**
     * Closes the connection; SQLite then folds the WAL back into the file. Closing twice does nothing.
     *
     * @throws IllegalStateException when called inside {@link #inTransaction}
     */
    // ---------------------------------------------------------------- the service's reads and cycle log

    @Override
    public Map<Flow, Long> countWithStatus(RecordStatus status) {
        return read(h -> ServiceStatements.countWithStatus(h, status));
    }

    @Override
    public Map<Flow, Long> countOpenConflicts() {
        return read(ServiceStatements::countOpenConflicts);
    }

    @Override
    public List<HistoryEntry> recentHistory(Flow flow, int limit) {
        return read(h -> ServiceStatements.recentHistory(h, flow, limit));
    }

    @Override
    public List<Link> searchLinks(Flow flow, String text, int offset, int limit) {
        return read(h -> ServiceStatements.searchLinks(h, flow, text, offset, limit));
    }

    @Override
    public void appendCycle(CycleLog entry) {
        writeStatement(h -> ServiceStatements.appendCycle(h, entry));
    }

    @Override
    public List<CycleLog> cycles(Instant since) {
        return read(h -> ServiceStatements.cycles(h, since));
    }

    @Override
    public void pruneCycles(Instant before) {
        writeStatement(h -> ServiceStatements.pruneCycles(h, before));
    }

    @Override
    public Set<Flow> pausedFlows() {
        return read(ServiceStatements::pausedFlows);
    }

    @Override
    public void setPaused(Flow flow, boolean paused, Instant at) {
        writeStatement(h -> ServiceStatements.setPaused(h, flow, paused, at));
    }

    /**
     * Copies the store with SQLite's {@code VACUUM INTO} on a connection of its own: it reads one snapshot of the
     * file (WAL lets the writer go on meanwhile) and writes a compact, self-contained database, WAL folded in.
     *
     * @throws IllegalArgumentException when {@code target} exists
     * @throws IllegalStateException    when the copy fails, e.g. the folder is not writable
     */
    @Override
    public void backupTo(String file) {
        Path target = Path.of(Objects.requireNonNull(file, "file"));
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
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (depth > 0) {
                throw new IllegalStateException("cannot close the store inside inTransaction");
            }
            closed = true;
            handle.close();
        } finally {
            lock.unlock();
        }
    }
}
