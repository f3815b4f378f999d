package dev.crmsync.app.cli;

import picocli.CommandLine.Command;

/**
 * {@code crmsync simulate}: the parent of the two simulator commands.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run a local simulator of webCRM or of a Customcrm, with realistic data and fault injection.",
        subcommands = {SimulateWebcrmCommand.class, SimulateCustomcrmCommand.class})
public final class SimulateCommand {
}
