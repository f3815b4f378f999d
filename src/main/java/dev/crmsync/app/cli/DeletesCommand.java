package dev.crmsync.app.cli;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.api.HeldDeletes;
import dev.crmsync.app.api.HeldDeletes.HeldDelete;
import dev.crmsync.engine.HeldRemovalDecisions;
import dev.crmsync.model.Flow;
import dev.crmsync.ports.HeldRemoval;
import dev.crmsync.ports.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync deletes}: the removals the delete circuit breaker holds back, and a person's answer to them
 * ({@code accept}, {@code reject}). Reads and writes the store only; the systems are not asked, so no credential
 * is needed.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 *
 * @see HeldRemovalDecisions
 */
@Command(name = "deletes", mixinStandardHelpOptions = true,
        subcommands = {DeletesCommand.Accept.class, DeletesCommand.Reject.class},
        description = {"List the deletes the delete circuit breaker holds back: per flow, the record deleted on "
                + "one system, the record on the other system the sync would delete, mark or unlink, its name, "
                + "and since when it is held.",
                "Decide with 'crmsync deletes accept' or 'crmsync deletes reject' (see their --help). Until then "
                        + "every sync holds them again and exits with status 1.",
                "Exit status: 0 when listed (also when nothing is held), 2 for a configuration error."})
public final class DeletesCommand implements Callable<Integer> {

    /** Inherited, so that it may stand before or after {@code accept} and {@code reject}. */
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The YAML configuration file (see README: Configuration).")
    Path configFile;

    @Option(names = "--connection", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "The connection to work on, where the file lists several under connections:.")
    String connection;

    @Option(names = "--flow", paramLabel = "FLOW", description = "Only this flow: organisations, persons or "
            + "products.")
    String flow;

    @Option(names = "--json", description = "Print JSON instead of a table: an array of held deletes, each as GET "
            + "/api/held-deletes of the management API gives it.")
    boolean json;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = SyncConnection.openStore(ConfigOption.loadWithoutCredentials(configFile, connection))) {
            List<HeldDelete> held = new HeldDeletes(store).list(flowOf(flow));
            if (json) {
                Json.print(out, HeldDeletes.json(held));
                return 0;
            }
            if (held.isEmpty()) {
                out.println("no deletes are held by the delete circuit breaker");
            } else {
                print(out, held);
                out.printf("%d held delete(s); 'crmsync deletes accept' lets them through on the next sync, "
                        + "'crmsync deletes reject' retires their links and deletes nothing%n", held.size());
            }
            out.flush();
            return 0;
        }
    }

    static Flow flowOf(String name) {
        return name == null ? null : Flow.fromConfigName(name);
    }

    static void print(PrintWriter out, List<HeldDelete> held) {
        TextTable table = new TextTable("FLOW", "DELETED ON", "RECORD", "NAME", "WOULD", "HELD SINCE", "ACCEPTED");
        for (HeldDelete h : held) {
            HeldRemoval r = h.removal();
            table.row(r.flow().configName(), r.seenOn().label(), r.recordId(), h.title(), r.summary(), r.heldAt(),
                    r.accepted() ? "yes" : "no");
        }
        table.print(out);
    }

    /** What accept and reject share: the options, the store, and printing what was decided. */
    abstract static class Decision implements Callable<Integer> {

        @Option(names = "--flow", paramLabel = "FLOW", description = "Only this flow's held deletes: "
                + "organisations, persons or products (default: all).")
        String flow;

        @Spec
        CommandSpec spec;

        @ParentCommand
        DeletesCommand deletes;

        /**
         * @param decisions the decisions on the store
         * @param flow      the flow, or null for all
         * @return the held removals decided
         */
        abstract List<HeldRemoval> decide(HeldRemovalDecisions decisions, Flow flow);

        /**
         * @return the line printed after the decided removals, given how many
         */
        abstract String outcome(int count);

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Flow chosen = flowOf(flow);
            try (Store store = SyncConnection.openStore(ConfigOption.loadWithoutCredentials(deletes.configFile, deletes.connection))) {
                List<HeldRemoval> decided = decide(new HeldRemovalDecisions(store, deletes.main.clock()), chosen);
                if (decided.isEmpty()) {
                    out.println("no deletes are held by the delete circuit breaker"
                            + (chosen == null ? "" : " in " + chosen.configName()) + "; nothing to decide");
                } else {
                    print(out, new HeldDeletes(store).describe(decided));
                    out.println(outcome(decided.size()));
                }
                out.flush();
                return 0;
            }
        }
    }

    /** {@code crmsync deletes accept}. */
    @Command(name = "accept", mixinStandardHelpOptions = true,
            description = {"Accept the held deletes: the next sync ('crmsync sync' or the running service's next "
                    + "cycle) carries out exactly these deletes, marks and link retirements, once, whatever the "
                    + "circuit breaker says. Other deletes it finds are weighed by the breaker as usual.",
                    "Exit status: 0 (also when nothing is held), 2 for a configuration error or an unknown flow."})
    static final class Accept extends Decision {

        @Override
        List<HeldRemoval> decide(HeldRemovalDecisions decisions, Flow flow) {
            return decisions.accept(flow);
        }

        @Override
        String outcome(int count) {
            return "accepted " + count + " held delete(s): the next sync carries out exactly these";
        }
    }

    /** {@code crmsync deletes reject}. */
    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = {"Reject the held deletes: nothing is deleted or marked on either system. Each held pair's "
                    + "link is retired at once, so the record that still exists on the other system stays as it "
                    + "is and is no longer synced (a later edit of it is not copied back, nor is it created "
                    + "again); the link's history says a person rejected the delete. A rejected delete is not "
                    + "held again by later syncs.",
                    "Exit status: 0 (also when nothing is held), 2 for a configuration error or an unknown flow."})
    static final class Reject extends Decision {

        @Override
        List<HeldRemoval> decide(HeldRemovalDecisions decisions, Flow flow) {
            return decisions.reject(flow);
        }

        @Override
        String outcome(int count) {
            return "rejected " + count + " held delete(s): their links are retired, nothing was deleted or marked";
        }
    }
}
