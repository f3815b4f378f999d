package dev.crmsync.app.cli;

import dev.crmsync.engine.ConflictResolution;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.FieldConflict;
import dev.crmsync.ports.Store;
import java.io.PrintWriter;
import java.time.InstantSource;
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
 * {@code crmsync conflicts}: fields edited on both sides, open or settled by the policy.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "conflicts", mixinStandardHelpOptions = true,
        description = {"List conflicts: fields edited differently on both sides, with the value that won.",
                "With --resolve ID --keep SIDE, decide a conflict held under the manual policy; the next sync "
                        + "writes the kept values to the other side."})
public final class ConflictsCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--open", description = "Only conflicts still waiting for a person (policy manual).")
    boolean openOnly;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--resolve", paramLabel = "ID", description = "The open conflict to decide.")
    String resolve;

    @Option(names = "--keep", paramLabel = "SIDE", description = "With --resolve: webcrm or customcrm, the side "
            + "whose values win.")
    String keep;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = dev.crmsync.app.SyncConnection.openStore(config.loadWithoutCredentials())) {
            if (resolve != null) {
                return resolve(store, out);
            }
            List<Conflict> conflicts = store.conflicts(openOnly);
            if (json) {
                Json.print(out, conflicts.stream().map(ConflictsCommand::toMap).toList());
                return 0;
            }
            TextTable table = new TextTable("ID", "DETECTED", "FLOW", "FIELD", "WEBCRM", "CUSTOMCRM", "OUTCOME", "LINK");
            for (Conflict c : conflicts) {
                for (FieldConflict f : c.fields()) {
                    table.row(c.id(), c.detectedAt(), c.flow().configName(), f.field(), f.webcrm(), f.customcrm(),
                            c.isOpen() ? "open" : f.winner() == null ? c.resolvedBy()
                                    : f.winner().label() + " won (" + c.resolvedBy() + ")", c.linkId());
                }
            }
            table.print(out);
            out.printf("%d conflict(s)%n", conflicts.size());
            out.flush();
            return 0;
        }
    }

    private int resolve(Store store, PrintWriter out) {
        if (keep == null) {
            throw new IllegalArgumentException("--resolve needs --keep webcrm or --keep customcrm");
        }
        Side side;
        try {
            side = Side.fromConfigName(keep);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--keep must be webcrm or customcrm, not '" + keep + "'");
        }
        Conflict resolved = new ConflictResolution(store, InstantSource.system()).resolve(resolve, side);
        out.printf("conflict %s resolved: %s's values kept for %s; the next sync writes them%n", resolved.id(),
                side.label(), String.join(", ", resolved.fields().stream().map(FieldConflict::field).toList()));
        out.flush();
        return 0;
    }

    private static Map<String, Object> toMap(Conflict c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("flow", c.flow().configName());
        out.put("linkId", c.linkId());
        out.put("open", c.isOpen());
        out.put("policy", c.policy());
        out.put("detectedAt", c.detectedAt().toString());
        out.put("resolvedBy", c.resolvedBy());
        out.put("fields", c.fields().stream().map(f -> {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("field", f.field());
            field.put("base", str(f.base()));
            field.put("webcrm", str(f.webcrm()));
            field.put("customcrm", str(f.customcrm()));
            field.put("winner", f.winner() == null ? null : f.winner().name().toLowerCase(java.util.Locale.ROOT));
            return field;
        }).toList());
        return out;
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }
}
