package dev.crmsync.app.cli;

import picocli.CommandLine.Command;

/**
 * {@code crmsync resume FLOW}: lets a paused flow sync again.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Resume paused flows: a running service syncs them within 5 seconds, catching up on what "
                + "changed meanwhile; a stopped one syncs them when it starts.",
                "Needs no credentials: it writes only to the store.",
                "Exit status: 0 when done, 2 for a configuration error or an unknown flow."})
public final class ResumeCommand extends FlowPauseCommand {

    ResumeCommand() {
        super(false);
    }
}
