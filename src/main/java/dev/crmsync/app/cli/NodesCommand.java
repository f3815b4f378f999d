package dev.crmsync.app.cli;

import dev.crmsync.adapters.cluster.ClusterDatabase;
import dev.crmsync.adapters.store.StoreAddress;
import dev.crmsync.app.api.ApiJson;
import dev.crmsync.app.api.ClusterView;
import dev.crmsync.app.cluster.ClusterNode;
import dev.crmsync.app.config.ClusterSettings;
import dev.crmsync.app.config.ConfigException;
import dev.crmsync.app.config.CrmsyncConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code crmsync nodes}: the nodes of the cluster on the file's PostgreSQL store, read from its tables, so that an
 * operator sees who holds what without a node's token, or with every node down.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = {"List the nodes of the cluster on the file's PostgreSQL store: each node's last heartbeat, "
                + "whether it is alive (a heartbeat within cluster.take-over-after), and the connections it holds; "
                + "then the connections of the file that no node holds.",
                "Reads the store only: no token, no running node needed."})
public final class NodesCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print JSON (the shape of GET /api/nodes) instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<CrmsyncConfig> connections = config.loadAllWithoutCredentials();
        ClusterSettings cluster = connections.get(0).service().cluster();
        StoreAddress store = connections.get(0).clusterStore();
        if (!store.isPostgres()) {
            throw new ConfigException("store.url", "is a SQLite store, which has no cluster: crmsync run on it is one "
                    + "process; nodes share a PostgreSQL store (jdbc:postgresql://HOST/DATABASE)");
        }
        List<ClusterView.Node> nodes;
        try (ClusterDatabase database = ClusterDatabase.open(store)) {
            nodes = ClusterNode.nodesOf(database, main.clock().instant(), cluster.takeOverAfter());
        }
        List<String> unheld = new ArrayList<>(connections.stream().map(CrmsyncConfig::connection).toList());
        nodes.forEach(node -> unheld.removeAll(node.connections()));
        if (json) {
            ObjectNode body = ApiJson.nodes(null, nodes);
            unheld.forEach(body.putArray("unheld")::add);
            Json.print(out, body);
            return 0;
        }
        TextTable table = new TextTable("NODE", "STATE", "HEARTBEAT", "HOLDS", "CONNECTIONS", "URL");
        for (ClusterView.Node node : nodes) {
            table.row(node.name(), node.alive() ? "alive" : "silent", node.heartbeat(), node.connections().size(),
                    String.join(", ", node.connections()), node.url());
        }
        table.print(out);
        long alive = nodes.stream().filter(ClusterView.Node::alive).count();
        out.printf("%d node(s), %d alive; %s%n", nodes.size(), alive,
                unheld.isEmpty() ? "every connection is held" : "not held: " + String.join(", ", unheld));
        out.flush();
        return 0;
    }
}
