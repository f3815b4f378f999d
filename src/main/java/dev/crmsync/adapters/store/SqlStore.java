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
import dev.crmsync.ports.StaleClaimException;
import dev.crmsync.ports.Store;
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
import org.jdbi.v3.core.Handle;

/**
 * The {@link Store} on a SQL database: SQLite ({@link SqliteStore}, the embedded default) or PostgreSQL
 * ({@link PostgresStore}), the same statements and migrations on both ({@link StoreStatements}, {@link StoreSchema}).
 * Open one with {@link Stores#open}.
 *
 * <h2>One writer</h2>
 * Every call holds one {@link ReentrantLock}: DESIGN.md gives each sync connection one writer, and the store is
 * that connection's. Reads share the lock: they are index lookups that take microseconds. Where the connection to
 * the database comes from is the {@link Handles}' business: SQLite keeps one for the store's life, PostgreSQL
 * borrows one from its pool per transaction or read and gives it back.
 *
 * <h2>Transactions</h2>
 * {@link #inTransaction} holds the lock for the whole of {@code work}, so every store call that {@code work} makes
 * on its own thread is part of the one transaction; calls from other threads wait until it ends (work that waits
 * for another thread's store call would therefore deadlock). A nested {@code inTransaction} runs inside a
 * savepoint: if it throws, its writes are undone and the exception goes on; when the outermost call ends with an
 * exception, everything is rolled back. Outside {@code inTransaction} every method is a transaction of its own.
 * A {@link CommitObserver} hears each commit, just before and just after it.
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
public final class SqlStore implements Store {

    /**
     * Where the store's database connections come from, and what only one database can do.
     */
    interface Handles {

        /** @return a handle to run statements on; given back through {@link #release} */
        Handle acquire();

        /** Gives back a handle {@link #acquire} gave. */
        void release(Handle handle);

        /** @see Store#backupTo */
        void backupTo(String file);

        /** Closes what the handles came from; called once, with no handle out. */
        void close();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Handles handles;
    private final CommitObserver commits;
    /** The handle of the open transaction; guarded by {@link #lock}, null outside {@code inTransaction}. */
    private Handle current;
    /** How many {@code inTransaction} calls are open on the thread holding the lock; guarded by {@link #lock}. */
    private int depth;
    /** Guarded by {@link #lock}. */
    private boolean closed;
    /** The claim's epoch every write transaction is conditional on, or 0 for none; guarded by {@link #lock}. */
    private long fence;

    SqlStore(Handles handles, CommitObserver commits) {
        this.handles = Objects.requireNonNull(handles, "handles");
        this.commits = Objects.requireNonNull(commits, "commits");
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
        Handle handle = handles.acquire();
        T result;
        try {
            handle.begin();
            current = handle;
            depth = 1;
            if (fence > 0 && !StoreStatements.holdClaim(handle, fence)) {
                throw new StaleClaimException("this store's claim was taken over (now epoch "
                        + StoreStatements.claimEpoch(handle).map(String::valueOf).orElse("none") + "; this node "
                        + "holds epoch " + fence + "): it writes nothing more here");
            }
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
            current = null;
            handles.release(handle);
        }
        // Outside the try: what the observer does can no longer undo a transaction that is durable.
        commits.committed();
        return result;
    }

    private <T> T nested(Supplier<T> work) {
        // Names are unique per level, and SQL-safe: they come from a counter, never from input.
        String savepoint = "crmsync_level_" + depth;
        current.execute("SAVEPOINT " + savepoint);
        depth++;
        try {
            T result = work.get();
            current.execute("RELEASE SAVEPOINT " + savepoint);
            return result;
        } catch (Throwable failure) {
            try {
                // ROLLBACK TO keeps the savepoint open; RELEASE then removes it.
                current.execute("ROLLBACK TO SAVEPOINT " + savepoint);
                current.execute("RELEASE SAVEPOINT " + savepoint);
            } catch (RuntimeException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw failure;
        } finally {
            depth--;
        }
    }

    /**
     * Runs a read, atomic on its own or part of the caller's transaction; also a write of one statement that must
     * not pass the fence of {@link #outermost} ({@link #claim}).
     */
    private <T> T read(Function<Handle, T> query) {
        lock.lock();
        try {
            requireOpen();
            if (depth > 0) {
                return query.apply(current);
            }
            Handle handle = handles.acquire();
            try {
                return query.apply(handle);
            } finally {
                handles.release(handle);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs a write as a transaction of its own, or as a savepoint inside the caller's, so it is all or nothing. */
    private void write(Consumer<Handle> update) {
        inTransaction(() -> {
            update.accept(current);
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
                update.accept(current);
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

    // ---------------------------------------------------------------- claims

    /**
     * {@inheritDoc} Not fenced itself: taking the claim is what a take-over does.
     */
    @Override
    public long claim(String owner, Instant at) {
        lock.lock();
        try {
            requireOpen();
            if (depth > 0) {
                throw new IllegalStateException("a claim is taken in a transaction of its own");
            }
            // One statement, atomic on its own; outside inTransaction, so the fence of an earlier claim is not asked.
            return read(h -> StoreStatements.claim(h, owner, at));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void fenceWith(long epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("an epoch is 1 or more: " + epoch);
        }
        lock.lock();
        try {
            fence = epoch;
        } finally {
            lock.unlock();
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
        return inTransaction(() -> StoreStatements.acceptHeldRemovals(current, flow));
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
     * {@inheritDoc} How depends on the database: see {@link SqliteStore} and {@link PostgresStore}.
     */
    @Override
    public void backupTo(String file) {
        lock.lock();
        try {
            requireOpen();
        } finally {
            lock.unlock();
        }
        // Outside the lock: a copy of a large store takes a while, and the sync goes on meanwhile.
        handles.backupTo(Objects.requireNonNull(file, "file"));
    }

    // ---------------------------------------------------------------- life

    /**
     * Closes the store's connections (SQLite then folds the WAL back into the file). Closing twice does nothing.
     *
     * @throws IllegalStateException when called inside {@link #inTransaction}
     */
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
            handles.close();
        } finally {
            lock.unlock();
        }
    }
}
