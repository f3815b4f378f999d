package dev.crmsync.testing;

import dev.crmsync.app.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs {@code crmsync} commands in-process through the real command line, capturing what they print. Not
 * threadsafe: one per test.
 */
public final class CommandRun {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /**
     * @param args the command line, e.g. {@code "sync", "--config", file, "--once"}
     * @return the exit status
     */
    public int crmsync(String... args) {
        CommandLine cli = Main.commandLine();
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

    /** Forgets what was printed, so the next command's output stands alone. */
    public void clear() {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
    }
}
