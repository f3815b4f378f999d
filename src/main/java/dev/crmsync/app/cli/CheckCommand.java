package dev.crmsync.app.cli;

import dev.crmsync.app.check.Finding;
import dev.crmsync.app.check.Preflight;
import dev.crmsync.app.check.PreflightReport;
import dev.crmsync.app.check.Severity;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.io.PrintWriter;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync check}: the preflight. Prints the findings of a {@link Preflight} grouped per flow, one line
 * each, and a summary line.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a configuration before the first sync: reach both systems, read one page of each "
                + "record type, webCRM's field metadata and Customcrm's contract, and report every mapping that "
                + "would fail or lose data. Writes nothing.",
                "Exit status: 0 when no finding is an error, 1 when one is, 2 for a configuration error, "
                        + "3 when a system could not be reached or refused the credentials."})
public final class CheckCommand implements Callable<Integer> {

    /** Exit status when a finding is an error. */
    static final int FINDINGS = 1;

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CrmsyncConfig loaded = config.load();
        PreflightReport report = new Preflight(loaded, main.clock(), main.sleeper()).run();
        print(out, loaded, report);
        out.flush();
        if (report.isUnreachable()) {
            return Main.SYSTEM_ERROR;
        }
        return report.hasErrors() ? FINDINGS : 0;
    }

    static void print(PrintWriter out, CrmsyncConfig config, PreflightReport report) {
        out.printf("crmsync check: webCRM %s, Customcrm %s%n", config.webcrm().url(), config.customcrm().url());
        StringJoiner sampled = new StringJoiner("; ", "sampled one page: ", "");
        for (Flow flow : Flow.values()) {
            sampled.add(flow.configName() + " " + count(report, flow, Side.WEBCRM) + ", "
                    + count(report, flow, Side.CUSTOMCRM));
        }
        out.println(sampled);
        group(out, "connection", report.findings(null));
        for (Flow flow : Flow.values()) {
            group(out, flow.configName(), report.findings(flow));
        }
        out.println();
        long errors = report.count(Severity.ERROR);
        long warnings = report.count(Severity.WARNING);
        out.printf("%d error%s, %d warning%s%n", errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
    }

    private static void group(PrintWriter out, String title, List<Finding> findings) {
        out.println();
        out.println(title);
        if (findings.isEmpty()) {
            out.println("  no findings");
        }
        findings.forEach(finding -> out.println("  " + finding));
    }

    private static String count(PreflightReport report, Flow flow, Side side) {
        int n = report.sampled(flow, side);
        return side.label() + " " + (n < 0 ? "not read" : Integer.toString(n));
    }
}
