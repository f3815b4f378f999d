package dev.crmsync.adapters.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One syncing process per store: an exclusive lock on a file beside the store, held while a connection syncs.
 * Two processes syncing the same pair at once (a {@code crmsync run} and a {@code sync --once} started by hand)
 * would both plan the same creates; the lock refuses the second with a clear message instead. The operating
 * system drops the lock when the process dies, so a crash never leaves a stale lock behind.
 *
 * <p>This class is threadsafe.
 */
public final class StoreLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param jdbcUrl the store's {@code jdbc:sqlite:FILE} URL
     * @return the lock, held until closed
     * @throws StoreBusyException when another connection, in this process or another, holds it
     */
    public static StoreLock acquire(String jdbcUrl) {
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
                return new StoreLock(channel, lock);
            }
        } catch (OverlappingFileLockException heldHere) {
            // held by another connection of this process: the same answer
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException("cannot lock " + file, e);
        }
        close(channel);
        throw new StoreBusyException("another crmsync is syncing with this store (" + file + " is locked); stop it "
                + "first, or pause its flows and use its dashboard: one process syncs a store at a time");
    }

    /**
     * @param jdbcUrl the store's URL
     * @return the lock file beside the store: {@code crmsync.db} is locked through {@code crmsync.db.lock}
     */
    static Path lockFile(String jdbcUrl) {
        String prefix = "jdbc:sqlite:";
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("not a SQLite store URL: " + jdbcUrl);
        }
        return Path.of(jdbcUrl.substring(prefix.length()) + ".lock");
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel closes below, which releases the lock all the same
        }
        close(channel);
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
