package dev.crmsync.app.cli;

import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync dead-letters}: records that failed for good, with the system's reason.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = {"List records that could not be synced, with the reason (usually the refusing system's own).",
                "A dead letter clears itself when a newer version of the record goes through."})
public final class DeadLettersCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = dev.crmsync.app.SyncConnection.openStore(config.load())) {
            List<ObservedRecord> dead = store.withStatus(RecordStatus.DEAD);
            if (json) {
                Json.print(out, dead.stream().map(DeadLettersCommand::toMap).toList());
                return 0;
            }
            TextTable table = new TextTable("FLOW", "SIDE", "ID", "ATTEMPTS", "REASON");
            dead.forEach(r -> table.row(r.flow().configName(), r.side().label(), r.id(), r.attempts(), r.reason()));
            table.print(out);
            out.printf("%d dead letter(s)%n", dead.size());
            out.flush();
            return 0;
        }
    }

    private static Map<String, Object> toMap(ObservedRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("flow", r.flow().configName());
        out.put("side", r.side().configName());
        out.put("id", r.id());
        out.put("attempts", r.attempts());
        out.put("reason", r.reason());
        out.put("observedAt", r.observedAt().toString());
        return out;
    }
}
