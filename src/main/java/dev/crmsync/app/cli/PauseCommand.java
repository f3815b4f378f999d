package dev.crmsync.app.cli;

import picocli.CommandLine.Command;

/**
 * {@code crmsync pause FLOW}: stops a flow syncing until {@code crmsync resume}, across restarts.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "pause", mixinStandardHelpOptions = true,
        description = {"Pause flows: their records are no longer read or written until they are resumed. The pause "
                + "is kept in the store, so it outlasts a restart of the service.",
                "Works whether or not the service runs: a running service takes it up within 5 seconds, after the "
                        + "cycle under way (the dashboard and POST /api/flows/FLOW/pause do the same at once).",
                "Needs no credentials: it writes only to the store.",
                "Exit status: 0 when done, 2 for a configuration error or an unknown flow."})
public final class PauseCommand extends FlowPauseCommand {

    PauseCommand() {
        super(true);
    }
}
