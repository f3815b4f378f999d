package dev.crmsync.app.cli;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.RunningService;
import dev.crmsync.app.check.Preflight;
import dev.crmsync.app.check.PreflightReport;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.logging.LogFormat;
import java.io.PrintWriter;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync run}: the long-running service. Checks the configuration against both systems first (the same
 * preflight as {@code crmsync check}); a mapping error stops it before anything is written, a system that does
 * not answer yet does not (the service retries every interval and reports itself not ready meanwhile). Then it
 * serves the management API and dashboard and syncs each flow on its schedule until SIGTERM or Ctrl-C, which
 * end the running cycle after its batch.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run crmsync as a service: sync every flow on its schedule (sync.interval, "
                + "sync.reconcile-interval), serve the dashboard and the management API (server.host, server.port, "
                + "server.token), /metrics and /health. Stops cleanly on SIGTERM or Ctrl-C.",
                "Logs are JSON lines on standard error (CRMSYNC_LOG_FORMAT=text for plain lines).",
                "Exit status: 0 after a clean stop, 1 when the preflight finds a mapping error, 2 for a "
                        + "configuration error, 3 when another crmsync already syncs the same store."})
public final class RunCommand implements Callable<Integer> {

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

    @Spec
    CommandSpec spec;

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
        CrmsyncConfig loaded = config.load();
        if (port != null) {
            loaded = loaded.withService(loaded.service().withPort(port));
        }
        if (!skipCheck) {
            PreflightReport report = Preflight.of(loaded).run();
            if (report.hasErrors() && !report.isUnreachable()) {
                CheckCommand.print(out, loaded, report);
                out.println();
                out.println("crmsync run: the configuration has errors (above); nothing was started.");
                out.flush();
                return CheckCommand.FINDINGS;
            }
            if (report.isUnreachable()) {
                out.println("crmsync run: a system did not answer the preflight; starting anyway, and retrying "
                        + "every interval. /health/ready reports it until it answers.");
            }
        }
        // The hook is in place before anything starts, so a SIGTERM at any moment from here on stops cleanly.
        AtomicReference<RunningService> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            RunningService service = running.get();
            if (service != null) {
                service.close();
            }
            stopped.countDown();
        }, "crmsync-shutdown"));
        RunningService service = RunningService.start(loaded, insecureNoAuth, InstantSource.system(), Sleeper.SYSTEM);
        running.set(service);
        out.println("crmsync is running. Dashboard: " + service.baseUrl() + "/"
                + (insecureNoAuth ? "  (no sign-in: --insecure-no-auth)" : "  (sign in with server.token)"));
        out.flush();
        stopped.await();
        return 0;
    }
}
