package dev.crmsync.app.cli;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.ports.Store;
import java.io.PrintWriter;
import java.util.ArrayList;
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
 * {@code crmsync links}: the pairs the store holds.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "links", mixinStandardHelpOptions = true,
        description = "List the linked record pairs the store holds.")
public final class LinksCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--flow", paramLabel = "FLOW", description = "Only this flow: organisations, persons or products.")
    String flow;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Flow only = flow == null ? null : Flow.fromConfigName(flow);
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = dev.crmsync.app.SyncConnection.openStore(config.loadWithoutCredentials())) {
            List<Link> links = new ArrayList<>();
            for (int offset = 0; ; offset += 1000) {
                List<Link> page = store.links(only, offset, 1000);
                links.addAll(page);
                if (page.size() < 1000) {
                    break;
                }
            }
            if (json) {
                Json.print(out, links.stream().map(LinksCommand::toMap).toList());
                return 0;
            }
            TextTable table = new TextTable("FLOW", "WEBCRM", "CUSTOMCRM", "STATE", "UPDATED", "LINK");
            links.forEach(l -> table.row(l.flow().configName(), l.webcrmId(), l.customcrmId(), l.state(),
                    l.updatedAt(), l.id()));
            table.print(out);
            out.printf("%d link(s)%n", links.size());
            out.flush();
            return 0;
        }
    }

    private static Map<String, Object> toMap(Link link) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", link.id());
        out.put("flow", link.flow().configName());
        out.put("webcrmId", link.webcrmId());
        out.put("customcrmId", link.customcrmId());
        out.put("state", link.state().name().toLowerCase(java.util.Locale.ROOT));
        out.put("updatedAt", link.updatedAt().toString());
        Map<String, String> base = new LinkedHashMap<>();
        link.base().asMap().forEach((k, v) -> base.put(k, v.toString()));
        out.put("values", base);
        return out;
    }
}
