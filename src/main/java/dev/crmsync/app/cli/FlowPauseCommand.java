package dev.crmsync.app.cli;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.model.Flow;
import dev.crmsync.ports.Store;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What {@code pause} and {@code resume} share: they write a flow's paused state to the store, which the service
 * reads at start and follows while it runs, so no running service is needed and none is bypassed.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
abstract class FlowPauseCommand implements Callable<Integer> {

    private final boolean pause;

    @Mixin
    ConfigOption config;

    @Parameters(arity = "1..*", paramLabel = "FLOW", description = "organisations, persons or products.")
    List<String> flows;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    FlowPauseCommand(boolean pause) {
        this.pause = pause;
    }

    @Override
    public Integer call() {
        // Every name is checked before anything is written: a typo pauses nothing.
        Set<Flow> chosen = EnumSet.noneOf(Flow.class);
        flows.forEach(name -> chosen.add(Flow.fromConfigName(name)));
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = SyncConnection.openStore(config.loadWithoutCredentials())) {
            Instant now = main.clock().instant();
            for (Flow flow : chosen) {
                store.setPaused(flow, pause, now);
            }
            Set<Flow> paused = store.pausedFlows();
            for (Flow flow : chosen) {
                out.printf("%s %s%n", flow.configName(), pause ? "paused" : "resumed");
            }
            out.printf("paused now: %s%n", paused.isEmpty() ? "none"
                    : String.join(", ", paused.stream().map(Flow::configName).toList()));
        }
        out.flush();
        return 0;
    }
}
