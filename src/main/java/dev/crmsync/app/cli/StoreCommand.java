package dev.crmsync.app.cli;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.ports.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync store}: looking after the store file itself.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Look after the store file: 'crmsync store backup --to FILE'.",
        subcommands = {StoreCommand.Backup.class, CommandLine.HelpCommand.class})
public final class StoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.CONFIG_ERROR;
    }

    /** {@code crmsync store backup --to FILE}: a consistent copy of the store, while the service runs too. */
    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Write a consistent copy of the store to FILE: SQLite's online backup (VACUUM INTO), a "
                    + "snapshot of one moment, taken while 'crmsync run' or 'sync' goes on writing; nothing needs "
                    + "to stop. The copy is a complete store file, write-ahead log folded in.",
                    "An existing FILE is left alone unless --force is given; then the copy is written beside it "
                            + "and moved over it only once complete.",
                    "Restore: stop the service, copy the backup over the store file (and delete its -wal and "
                            + "-shm files), start it again; after an older backup, run 'crmsync relink' first "
                            + "(see docs/operations.md, Backup and restore).",
                    "Needs no credentials: it reads only the store.",
                    "Exit status: 0 when written, 1 when the copy could not be written (e.g. no such folder), 2 for a "
                            + "configuration error or when FILE exists."})
    static final class Backup implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Option(names = "--to", required = true, paramLabel = "FILE", description = "Where the copy goes.")
        Path target;

        @Option(names = "--force", description = "Replace FILE if it exists.")
        boolean force;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path file = target.toAbsolutePath();
            if (Files.exists(file) && !force) {
                throw new IllegalArgumentException(file + " exists already; choose another file, or give --force "
                        + "to replace it");
            }
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(file + " is a folder; name the file the copy goes to");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Store store = SyncConnection.openStore(config.loadWithoutCredentials())) {
                if (Files.exists(file)) {
                    replace(store, file);
                } else {
                    store.backupTo(file.toString());
                }
            } catch (IllegalStateException | UncheckedIOException e) {
                spec.commandLine().getErr().println("crmsync: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
            out.printf("store backed up to %s (%d bytes)%n", file, size(file));
            out.flush();
            return 0;
        }

        /** The old file stays whole until the new copy is: a failed backup must not cost the last good one. */
        private static void replace(Store store, Path file) {
            Path fresh = file.resolveSibling(file.getFileName() + ".partial");
            try {
                Files.deleteIfExists(fresh);
                store.backupTo(fresh.toString());
                Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replace " + file + ": " + e.getMessage(), e);
            } finally {
                try {
                    Files.deleteIfExists(fresh);
                } catch (IOException ignored) {
                    // Only a leftover of a failed copy; the message above says what went wrong.
                }
            }
        }

        private static long size(Path file) {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
