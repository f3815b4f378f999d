package dev.crmsync.app.cli;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.api.UnsyncedRecords;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.ports.Store;
import java.io.PrintWriter;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync dead-letters}: records that failed for good, with the system's reason, and the records that wait,
 * with what they wait for. A child whose parent is a dead letter waits as long as the dead letter stays; listing
 * it here, beside the dead letter, is what makes it visible at all.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 *
 * @see UnsyncedRecords
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = {"List the records that could not be synced: the dead letters, with the reason (usually the "
                + "refusing system's own), and the records that wait, with what they wait for (e.g. a parent "
                + "record that is itself a dead letter).",
                "A dead letter clears itself when a newer version of the record goes through; a waiting record "
                        + "syncs by itself once what it waits for is synced."})
public final class DeadLettersCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print JSON instead of tables: {\"deadLetters\": [...], \"waiting\": "
            + "[...]}, each record as GET /api/dead-letters and GET /api/waiting of the management API give it.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CrmsyncConfig loaded = config.loadWithoutCredentials();
        try (Store store = SyncConnection.openStore(loaded)) {
            UnsyncedRecords unsynced = new UnsyncedRecords(store, loaded.mappings(), InstantSource.system());
            if (json) {
                Json.print(out, unsynced.json());
                return 0;
            }
            UnsyncedText.print(out, unsynced);
            return 0;
        }
    }
}
