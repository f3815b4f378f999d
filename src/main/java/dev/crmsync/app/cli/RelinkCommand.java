package dev.crmsync.app.cli;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.relink.FlowRelink;
import dev.crmsync.app.relink.Relinker;
import dev.crmsync.app.relink.StampPairing;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Connector;
import java.io.PrintWriter;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync relink}: rebuilds the store's links from the link stamps both systems hold.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 *
 * @see Relinker
 */
@Command(name = "relink", mixinStandardHelpOptions = true,
        description = {"Rebuild the links between webCRM and Customcrm records from the link stamps both systems "
                + "hold (Customcrm external_ids, the webCRM stamp field of each flow), so that the next sync makes "
                + "no duplicate.",
                "Use it when the store file was lost, or an older backup of it was put back, before the next sync "
                        + "or run. Pairs the store already holds are kept as they are; pairs it lacks are added. A "
                        + "pair whose records hold the same values is linked as agreed; one whose records differ is "
                        + "merged by the next sync, field by field under the conflict policy (with newest-wins, the "
                        + "record edited last wins).",
                "Records stamped on one side only (their partner was deleted, or they were linked by VAT number "
                        + "or e-mail, which the next sync does again) are listed and left alone.",
                "It reads every record of both systems (webCRM: one request per 500 records) and writes only to "
                        + "the store. It refuses to run while another crmsync syncs the same store.",
                "Exit status: 0 when done, 2 for a configuration error, 3 when a system could not be reached or "
                        + "another crmsync holds the store."})
public final class RelinkCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--flow", paramLabel = "FLOW", description = "Only this flow: organisations, persons or "
            + "products. Relink parents first: a person's organisation must be linked for the person to be in sync.")
    String flow;

    @Option(names = "--dry-run", description = "Read both systems and report what would be linked, and write "
            + "nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print JSON instead of text: {\"dryRun\": ..., \"flows\": [...]}.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Set<Flow> flows = flow == null ? EnumSet.allOf(Flow.class) : EnumSet.of(Flow.fromConfigName(flow));
        PrintWriter out = spec.commandLine().getOut();
        List<FlowRelink> results;
        // The connection holds the store's lock: a running crmsync is refused before anything is read.
        try (SyncConnection connection = SyncConnection.open(config.load())) {
            Map<Side, Connector> connectors = new EnumMap<>(Side.class);
            for (Side side : Side.values()) {
                connectors.put(side, connection.connector(side));
            }
            results = new Relinker(connection.store(), connectors, connection.config().mappings(),
                    InstantSource.system()).relink(flows, dryRun);
        }
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("dryRun", dryRun);
            body.put("flows", results.stream().map(RelinkCommand::toMap).toList());
            Json.print(out, body);
            return 0;
        }
        print(out, results);
        return 0;
    }

    private void print(PrintWriter out, List<FlowRelink> results) {
        out.println(dryRun ? "Dry run: nothing was written to the store."
                : "Links rebuilt from the stamps on both systems.");
        for (FlowRelink r : results) {
            Flow f = r.flow();
            out.printf("%n%s: %d pair(s) stamped on both sides: %d %s (%d in sync, %d to merge at the next sync), "
                            + "%d kept%s%n", f.configName(), r.found(), r.added().size(), dryRun ? "to add" : "added",
                    r.added().size() - r.toMerge(), r.toMerge(), r.kept().size(),
                    r.outsideFilter().isEmpty() ? "" : ", " + r.outsideFilter().size() + " outside the filter");
            for (FlowRelink.Kept kept : r.kept()) {
                if (!kept.agrees()) {
                    out.printf("  kept the store's link %s (%s %s, %s %s); the stamps pair %s with %s under link %s%n",
                            kept.stored().id(), label(f, Side.WEBCRM), kept.stored().webcrmId(),
                            label(f, Side.CUSTOMCRM), kept.stored().customcrmId(), kept.pair().webcrm().id(),
                            kept.pair().customcrm().id(), kept.pair().linkId());
                }
            }
            for (StampPairing.Pair pair : r.outsideFilter()) {
                out.printf("  outside the filter, not linked: %s %s and %s %s (link %s)%n", label(f, Side.WEBCRM),
                        pair.webcrm().id(), label(f, Side.CUSTOMCRM), pair.customcrm().id(), pair.linkId());
            }
            for (StampPairing.Unpaired u : r.webcrmOnly()) {
                out.printf("  stamped on webCRM only: %s %s (link %s)%n", label(f, Side.WEBCRM), u.record().id(),
                        u.linkId());
            }
            for (StampPairing.Unpaired u : r.customcrmOnly()) {
                out.printf("  stamped on Customcrm only: %s %s (link %s%s)%n", label(f, Side.CUSTOMCRM),
                        u.record().id(), u.linkId(), u.names() == null ? ""
                                : ", names webCRM " + f.entityOn(Side.WEBCRM) + " " + u.names() + ", which is not there");
            }
            r.ambiguous().forEach(a -> out.println("  not linked: " + a));
        }
        long oneSided = results.stream().mapToLong(r -> r.webcrmOnly().size() + r.customcrmOnly().size()).sum();
        if (oneSided > 0) {
            out.printf("%n%d record(s) stamped on one side only were left alone: the partner was deleted, or the "
                    + "pair was linked by VAT number or e-mail, which the next sync does again.%n", oneSided);
        }
        long toMerge = results.stream().mapToLong(FlowRelink::toMerge).sum();
        if (!dryRun) {
            out.printf("%nNext: crmsync sync --config %s --once%s%n", config.file,
                    toMerge == 0 ? "" : " (it merges the " + toMerge + " pair(s) whose records differ)");
        }
        out.flush();
    }

    private static String label(Flow flow, Side side) {
        return side.label() + " " + flow.entityOn(side);
    }

    private static Map<String, Object> toMap(FlowRelink r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("flow", r.flow().configName());
        out.put("found", r.found());
        out.put("added", r.added().size());
        out.put("inSync", r.added().size() - r.toMerge());
        out.put("toMerge", r.toMerge());
        out.put("kept", r.kept().size());
        List<Map<String, Object>> pairs = new ArrayList<>();
        r.added().forEach(a -> pairs.add(pair(a.link().id(), a.link().webcrmId(), a.link().customcrmId(),
                a.inSync() ? "added-in-sync" : "added-to-merge", null)));
        r.kept().forEach(k -> pairs.add(pair(k.pair().linkId(), k.pair().webcrm().id(), k.pair().customcrm().id(),
                "kept", k.agrees() ? null : k.stored().id())));
        r.outsideFilter().forEach(p -> pairs.add(pair(p.linkId(), p.webcrm().id(), p.customcrm().id(),
                "outside-filter", null)));
        out.put("pairs", pairs);
        out.put("webcrmOnly", r.webcrmOnly().stream().map(u -> unpaired(u)).toList());
        out.put("customcrmOnly", r.customcrmOnly().stream().map(u -> unpaired(u)).toList());
        out.put("ambiguous", r.ambiguous());
        return out;
    }

    private static Map<String, Object> pair(String linkId, String webcrmId, String customcrmId, String outcome,
                                            String storeLinkId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("linkId", linkId);
        out.put("webcrmId", webcrmId);
        out.put("customcrmId", customcrmId);
        out.put("outcome", outcome);
        if (storeLinkId != null) {
            // The store links one of the records under another link, which was kept.
            out.put("storeLinkId", storeLinkId);
        }
        return out;
    }

    private static Map<String, Object> unpaired(StampPairing.Unpaired u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", u.record().id());
        out.put("linkId", u.linkId());
        if (u.names() != null) {
            out.put("namesWebcrmId", u.names());
        }
        return out;
    }
}
