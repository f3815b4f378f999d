package dev.crmsync.app.cli;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.adapters.store.StoreBusyException;
import dev.crmsync.app.CrashPoints;
import dev.crmsync.app.config.ConfigException;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.io.PrintWriter;
import java.time.InstantSource;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code crmsync} command.
 */
@Command(name = "crmsync", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Two-way sync between webCRM and a customer's own CRM (Customcrm).",
        subcommands = {DemoCommand.class, RunCommand.class, SyncCommand.class, LinksCommand.class, ConflictsCommand.class,
                CheckCommand.class,
                DocsCommand.class, RelinkCommand.class, PauseCommand.class, ResumeCommand.class, ResyncCommand.class,
                StoreCommand.class,
                DeadLettersCommand.class, DeletesCommand.class, NodesCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    /** Exit status of a wrong or incomplete configuration or command line. */
    public static final int CONFIG_ERROR = 2;
    /** Exit status when a system could not be reached or refused the credentials. */
    public static final int SYSTEM_ERROR = 3;

    private final InstantSource clock;
    private final Sleeper sleeper;

    private Main(InstantSource clock, Sleeper sleeper) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        try {
            // A test hook, off unless the variable is set: the crash suite makes the process die at a chosen step.
            CrashPoints.armProcess(System.getenv(CrashPoints.VARIABLE));
        } catch (IllegalArgumentException e) {
            System.err.println("crmsync: " + e.getMessage());
            System.exit(CONFIG_ERROR);
        }
        RunCommand.preferJsonLogs(args);
        System.exit(commandLine().execute(args));
    }

    /**
     * @return the command line with crmsync's error handling, for {@code main} and for tests
     */
    public static CommandLine commandLine() {
        return commandLine(InstantSource.system(), Sleeper.SYSTEM);
    }

    /**
     * @param clock   the time source of the commands that reach the systems ({@code check}, {@code sync},
     *                {@code run})
     * @param sleeper how they wait between retries; a test passes one that moves its clock, so that a system that
     *                cannot be reached is reported at once
     * @return the command line with crmsync's error handling
     */
    public static CommandLine commandLine(InstantSource clock, Sleeper sleeper) {
        CommandLine cli = new CommandLine(new Main(clock, sleeper));
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            PrintWriter err = commandLine.getErr();
            int status;
            if (e instanceof ConfigException) {
                err.println("crmsync: configuration error: " + e.getMessage());
                status = CONFIG_ERROR;
            } else if (e instanceof IllegalArgumentException) {
                err.println("crmsync: " + e.getMessage());
                status = CONFIG_ERROR;
            } else if (e instanceof TransientCrmException || e instanceof PermanentCrmException
                    || e instanceof StoreBusyException) {
                err.println("crmsync: " + e.getMessage());
                status = SYSTEM_ERROR;
            } else {
                throw e;
            }
            err.flush();
            return status;
        });
        return cli;
    }

    /**
     * @return the time source of the commands that reach the systems
     */
    InstantSource clock() {
        return clock;
    }

    /**
     * @return how the commands that reach the systems wait between retries
     */
    Sleeper sleeper() {
        return sleeper;
    }

    /** The version and the commit of the build (see {@link BuildInfo}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.current().versionLine()};
        }
    }
}
