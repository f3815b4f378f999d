package dev.crmsync.app.simulate.customcrm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The reference server's SQLite database: opened in WAL mode so that readers never wait for the writer, migrated
 * by Flyway from {@code db/customcrm}, and written by one writer at a time.
 *
 * <p>Writes are serialised by a lock in this process rather than left to SQLite's busy handling: a change takes
 * its feed number inside its transaction, and one writer at a time is what guarantees that changes commit in
 * feed order, so that no reader is ever handed a cursor past a change that is still to commit.
 *
 * <p>This class is threadsafe.
 */
final class CustomcrmDatabase implements AutoCloseable {

    private static final String FILE_NAME = "customcrm.db";

    private final Jdbi jdbi;
    private final Path privateDirectory;
    private final ReentrantLock writerLock = new ReentrantLock();
    /**
     * The one writer's connection, open for the database's life. Besides saving a connection per write, it keeps
     * SQLite from checkpointing and removing the WAL file each time the last connection closes, which would cost
     * a file sync per write.
     */
    private final Handle writer;

    private CustomcrmDatabase(Jdbi jdbi, Path privateDirectory) {
        this.jdbi = jdbi;
        this.privateDirectory = privateDirectory;
        this.writer = jdbi.open();
    }

    /**
     * Opens the database, creating and migrating it as needed.
     *
     * @param file the database file; null for a private database in a temporary directory, deleted on close
     * @return the open database
     * @throws UncheckedIOException when the file's directory cannot be made
     */
    static CustomcrmDatabase open(Path file) {
        try {
            Path privateDirectory = file == null ? Files.createTempDirectory("customcrm-") : null;
            Path path = (file == null ? privateDirectory.resolve(FILE_NAME) : file).toAbsolutePath();
            Files.createDirectories(path.getParent());
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(10_000);
            // Take the write lock when a transaction begins, not at its first write, so that a transaction never
            // has to be abandoned half-way because another connection wrote first.
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            SQLiteDataSource dataSource = new SQLiteDataSource(config);
            dataSource.setUrl("jdbc:sqlite:" + path);
            Flyway.configure().dataSource(dataSource).locations("classpath:db/customcrm")
                    .failOnMissingLocations(true).load().migrate();
            return new CustomcrmDatabase(Jdbi.create(dataSource), privateDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database directory for " + file, e);
        }
    }

    /**
     * Reads outside any transaction: each statement sees the last committed state.
     *
     * @param work the reads
     * @param <T>  what they return
     * @return what the reads return
     */
    <T> T read(HandleCallback<T, RuntimeException> work) {
        return jdbi.withHandle(work);
    }

    /**
     * Runs {@code work} as the only writer, in one transaction: all of it commits, or none of it when it throws.
     *
     * @param work the reads and writes
     * @param <T>  what they return
     * @return what the work returns
     */
    <T> T write(HandleCallback<T, RuntimeException> work) {
        writerLock.lock();
        try {
            return writer.inTransaction(work);
        } finally {
            writerLock.unlock();
        }
    }

    /** Closes the database and deletes it when it is private; a caller's file is left in place. */
    @Override
    public void close() {
        writerLock.lock();
        try {
            writer.close();
        } finally {
            writerLock.unlock();
        }
        if (privateDirectory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(privateDirectory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the private database in " + privateDirectory, e);
        }
    }
}
