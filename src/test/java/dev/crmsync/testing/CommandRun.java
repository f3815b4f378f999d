package dev.crmsync.testing;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.InstantSource;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Runs {@code crmsync} commands in-process through the real command line, capturing what they print. Not
 * threadsafe: one per test.
 */
public final class CommandRun {

    private static final Pattern STACK_TRACE = Pattern.compile(
            "(?m)^\\s+at [\\w$.]+\\(|^Caused by: |\\b(?:java|javax|dev|picocli|tools)\\.[\\w$.]*(?:Exception|Error)\\b");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final InstantSource clock;
    private final Sleeper sleeper;

    /** Commands on the system clock that really wait. */
    public CommandRun() {
        this(InstantSource.system(), Sleeper.SYSTEM);
    }

    /**
     * Commands whose waits move a test's clock instead, so that retries against a system that cannot be reached
     * are spent at once.
     *
     * @param clock the commands' time source, e.g. a {@link MutableClock}
     */
    public CommandRun(MutableClock clock) {
        this(clock, clock::advance);
    }

    private CommandRun(InstantSource clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * @param args the command line, e.g. {@code "sync", "--config", file, "--once"}
     * @return the exit status
     */
    public int crmsync(String... args) {
        CommandLine cli = Main.commandLine(clock, sleeper);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /**
     * @return what the commands printed on standard out so far
     */
    public String out() {
        return out.toString();
    }

    /**
     * @return what the commands printed on standard error so far
     */
    public String err() {
        return err.toString();
    }

    /**
     * @return whether anything printed so far holds a Java stack trace: a frame line, a {@code Caused by:}, or an
     *         exception's class name followed by its message
     */
    public boolean printedStackTrace() {
        String all = out + "\n" + err;
        return STACK_TRACE.matcher(all).find();
    }

    /** Forgets what was printed, so the next command's output stands alone. */
    public void clear() {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
    }
}
