package dev.crmsync.app.cli;

import dev.crmsync.app.RunningService;
import dev.crmsync.app.check.Finding;
import dev.crmsync.app.check.Preflight;
import dev.crmsync.app.check.PreflightReport;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.config.Durations;
import dev.crmsync.app.logging.LogFormat;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync run}: the long-running service. Checks the configuration against both systems first (the same
 * preflight as {@code crmsync check}); a mapping error stops it before anything is written, and so does a system
 * that refuses the credentials, which waiting does not mend; a system that does not answer yet does not stop it
 * (the service retries every interval and reports itself not ready meanwhile). Then it
 * serves the management API and dashboard and syncs each flow on its schedule until SIGTERM or Ctrl-C, which
 * end the running cycle after its batch. A file of several connections has all of them served by this one process
 * unless {@code --connection} names one; each is checked first.
 *
 * <p>The command's own thread does the stop and returns the exit status: 0 after a clean stop, as systemd expects
 * of a service it stops, and {@link #UNCLEAN_STOP} when the running cycle had to be cut short. The JVM's default
 * for a SIGTERM is 143, which systemd counts as a failure.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run crmsync as a service: sync every flow on its schedule (sync.interval, "
                + "sync.reconcile-interval), serve the dashboard and the management API (server.host, server.port, "
                + "server.token), /metrics and /health. Stops cleanly on SIGTERM or Ctrl-C.",
                "A file of several connections: every one is served, each under /connections/NAME/ of the one "
                        + "server, unless --connection names the one to serve.",
                "On a PostgreSQL store the process is a node of a cluster: start the same command on several "
                        + "machines and they share the connections, each taking over those of a node that dies "
                        + "(cluster.take-over-after). /api/nodes lists the nodes.",
                "Logs are JSON lines on standard error (CRMSYNC_LOG_FORMAT=text for plain lines).",
                "Exit status: 0 after a clean stop (SIGTERM or Ctrl-C), 1 when the preflight finds a mapping error, "
                        + "2 for a configuration error, 3 when a system refuses the credentials or another crmsync "
                        + "already syncs the same store, 4 when a stop had to cut a running cycle short (see "
                        + "--stop-grace)."})
public final class RunCommand implements Callable<Integer> {

    /** What the shutdown hook allows beyond the grace for the server and the store to close. */
    private static final Duration HOOK_MARGIN = Duration.ofSeconds(10);

    /**
     * Exit status when the running cycle did not reach the end of its batch within the stop grace and was
     * interrupted. Nothing is lost (what it had not written is planned again at the next start), but the stop was
     * not the clean one an operator asked for, and a service manager should say so.
     */
    static final int UNCLEAN_STOP = 4;

    @Mixin
    ConfigOption config;

    @Option(names = "--insecure-no-auth",
            description = "Serve the API and dashboard without a token. For a local demo only: anyone who can "
                    + "reach the port can resolve conflicts and pause flows.")
    boolean insecureNoAuth;

    @Option(names = "--port", paramLabel = "PORT", description = "Listen on this port instead of server.port.")
    Integer port;

    @Option(names = "--skip-check", description = "Start without the preflight check.")
    boolean skipCheck;

    @Option(names = "--stop-grace", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long a stop waits for the running cycle to finish the batch it is applying before "
                    + "cutting it short (exit status 4), e.g. 30s (the default) or 2m. Keep it below the service "
                    + "manager's own limit (systemd: TimeoutStopSec, 90s by default).")
    String stopGrace;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    /**
     * Makes JSON the log format of {@code run} unless the process chose one: a service's logs are read by
     * machines. Called by {@link Main} before the first log line, since logback reads its format once.
     *
     * @param args the command line
     */
    static void preferJsonLogs(String[] args) {
        boolean run = args.length > 0 && args[0].equals("run");
        if (run && System.getProperty(LogFormat.PROPERTY) == null && System.getenv(LogFormat.ENVIRONMENT) == null) {
            System.setProperty(LogFormat.PROPERTY, "json");
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        List<CrmsyncConfig> served = config.loadServed();
        Duration grace = Durations.parse("--stop-grace", stopGrace);
        if (port != null) {
            served = served.stream().map(c -> c.withService(c.service().withPort(port))).toList();
        }
        if (!skipCheck) {
            for (CrmsyncConfig loaded : served) {
                Integer refused = preflight(loaded, served.size() > 1, out);
                if (refused != null) {
                    return refused;
                }
            }
        }
        // The signals and the hook are in place before anything starts, so a stop at any moment from here on is a
        // clean one: a signal during the start is answered as soon as the service runs.
        CountDownLatch stopped = new CountDownLatch(1);
        try (StopSignals stop = StopSignals.install()) {
            Thread hook = new Thread(() -> {
                // Any other shutdown: this thread stops the service; the JVM waits for it, not for its status.
                stop.request("shutdown");
                awaitQuietly(stopped, grace.plus(HOOK_MARGIN));
            }, "crmsync-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                // On PostgreSQL every run is a node of a cluster, of one node or several: the same command on each.
                RunningService service = served.get(0).store().isPostgres()
                        ? RunningService.startNode(served, insecureNoAuth, main.clock(), main.sleeper())
                        : RunningService.start(served, insecureNoAuth, main.clock(), main.sleeper());
                out.println("crmsync is running. Dashboard: " + service.baseUrl() + "/"
                        + (insecureNoAuth ? "  (no sign-in: --insecure-no-auth)" : "  (sign in with server.token)"));
                out.flush();
                String reason = stop.await();
                // Not a static logger: preferJsonLogs must run before logback reads its format.
                Logger log = LoggerFactory.getLogger(RunCommand.class);
                log.atInfo().addKeyValue("reason", reason).log("crmsync is stopping");
                return service.stop(grace) ? 0 : UNCLEAN_STOP;
            } finally {
                stopped.countDown();
                removeQuietly(hook);
            }
        }
    }

    /**
     * Checks one connection against its systems, as {@code crmsync check} does.
     *
     * @param several whether the file's other connections are served too: then each line names its connection
     * @return the exit status when the check stops the start, null when it may go on
     */
    private Integer preflight(CrmsyncConfig loaded, boolean several, PrintWriter out) {
        String whose = several ? " (connection " + loaded.connection() + ")" : "";
        PreflightReport report = new Preflight(loaded, main.clock(), main.sleeper()).run();
        if (report.isRefused()) {
            // One line per refusal, as sync gives it: the rest of the report is moot without the system.
            PrintWriter err = spec.commandLine().getErr();
            report.findings(null).stream().filter(f -> f.kind() == Finding.Kind.CONNECTION)
                    .forEach(f -> err.println("crmsync: " + f.message() + whose + "; nothing was started"));
            err.flush();
            return Main.SYSTEM_ERROR;
        }
        if (report.hasErrors() && !report.isUnreachable()) {
            CheckCommand.print(out, loaded, report);
            out.println();
            out.println("crmsync run: the configuration" + whose + " has errors (above); nothing was started.");
            out.flush();
            return CheckCommand.FINDINGS;
        }
        if (report.isUnreachable()) {
            out.println("crmsync run: a system" + whose + " did not answer the preflight; starting anyway, and "
                    + "retrying every interval. /health/ready reports it until it answers.");
        }
        return null;
    }

    private static void awaitQuietly(CountDownLatch latch, Duration limit) {
        try {
            latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it finds the service stopped
        }
    }
}
