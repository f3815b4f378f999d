package dev.crmsync.adapters.store;

/**
 * Told about every transaction a {@link SqlStore} commits, on either side of the commit: the moments at which a
 * process that dies leaves the store file in a different state. Used by the crash test hook
 * ({@code dev.crmsync.app.CrashPoints}); the store has no other use for it.
 *
 * <p>Only the outermost transaction commits: a single write made outside {@link SqlStore#inTransaction} is one,
 * a nested {@code inTransaction} is part of its caller's, and a transaction that rolls back is none. Methods are
 * called on the thread that commits, while it holds the store's lock, so they must be quick and must not call the
 * store.
 */
public interface CommitObserver {

    /** Observes nothing. */
    CommitObserver NONE = new CommitObserver() {
    };

    /** The transaction's work is done, and its commit is about to be sent to the database. */
    default void beforeCommit() {
    }

    /** The commit went through: the transaction is durable. */
    default void committed() {
    }
}
