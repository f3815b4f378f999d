package dev.crmsync.scenario;

import dev.crmsync.app.CrashPoints;
import dev.crmsync.testing.CrmsyncProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code crmsync sync --once} run as a process of its own, optionally with the crash hook armed, and what it
 * left: its exit status, its output and the steps it printed.
 *
 * @param status the exit status; {@value CrashPoints#EXIT_STATUS} when the hook halted it
 * @param out    what it printed on standard out
 * @param err    what it printed on standard error, line by line (its log and, when armed, its steps)
 */
record SyncProcessRun(int status, String out, List<String> err) {

    /** A JVM that starts quickly: the runs are short, and a hundred of them start one after another. */
    private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto");
    /** Far more than a run of the crash suite's world takes; only a hung process reaches it. */
    private static final long TIMEOUT_SECONDS = 180;

    /**
     * Runs the sync and waits for the process to end.
     *
     * @param config     the configuration file
     * @param crashAfter the value of {@value CrashPoints#VARIABLE}, or null to leave the hook off
     * @param name       a name for the run's output files, unique in the configuration's folder
     * @return how it ended
     * @throws IllegalStateException when it does not end within three minutes (it is then killed)
     */
    static SyncProcessRun of(Path config, String crashAfter, String name) {
        Path out = config.resolveSibling(name + ".out");
        Path err = config.resolveSibling(name + ".err");
        ProcessBuilder builder = CrmsyncProcess.builder(QUICK_START, "sync", "--config", config.toString(), "--once");
        if (crashAfter != null) {
            builder.environment().put(CrashPoints.VARIABLE, crashAfter);
        }
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        try {
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("crmsync sync --once (" + name + ") did not end within "
                        + TIMEOUT_SECONDS + " s:\n" + Files.readString(err));
            }
            return new SyncProcessRun(process.exitValue(), Files.readString(out), Files.readAllLines(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for crmsync", e);
        }
    }

    /**
     * @return the steps the crash hook printed, in order: what step 1, 2, … was
     */
    List<String> steps() {
        return err.stream().filter(line -> line.startsWith(CrashPoints.TRACE_PREFIX))
                .map(line -> line.substring(CrashPoints.TRACE_PREFIX.length())).toList();
    }

    /**
     * @return the last step printed, e.g. {@code 17: after commit 9}, or {@code none}
     */
    String lastStep() {
        List<String> steps = steps();
        return steps.isEmpty() ? "none" : steps.get(steps.size() - 1);
    }

    /**
     * @return the run's output for a failure message: standard out, then standard error without the steps
     */
    String describe() {
        List<String> log = err.stream().filter(line -> !line.startsWith(CrashPoints.TRACE_PREFIX)).toList();
        return "exit status " + status + "; last step " + lastStep() + "\n--- standard out:\n" + out
                + "--- standard error:\n" + String.join("\n", log);
    }
}
