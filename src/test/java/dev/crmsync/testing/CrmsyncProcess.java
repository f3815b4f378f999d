package dev.crmsync.testing;

import dev.crmsync.app.CrashPoints;
import dev.crmsync.app.cli.Main;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A {@code crmsync} command as its own process, as an operator or systemd starts it: the product's
 * {@code logback.xml} (the test classes, with their {@code logback-test.xml}, are left off the class path), the
 * environment given, standard error into a file and standard out collected line by line.
 *
 * <p>The environment is this process's, without the variables that choose the log format and level (a
 * developer's shell must not change what a test sees), plus what the caller gives.
 *
 * <p>Not threadsafe: one test drives it.
 */
public final class CrmsyncProcess implements AutoCloseable {

    private final Process process;
    private final Path errFile;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final Thread outReader;

    private CrmsyncProcess(Process process, Path errFile) {
        this.process = process;
        this.errFile = errFile;
        this.outReader = Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    out.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        });
    }

    /**
     * @param errFile where standard error goes
     * @param env     environment variables to set, e.g. the secrets
     * @param args    the command line after {@code crmsync}, e.g. {@code "run", "--config", file}
     * @return the started process
     */
    public static CrmsyncProcess start(Path errFile, Map<String, String> env, String... args) {
        ProcessBuilder builder = builder(List.of(), args);
        builder.environment().putAll(env);
        builder.redirectError(errFile.toFile());
        try {
            return new CrmsyncProcess(builder.start(), errFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * For a caller that drives the process itself, e.g. to kill it at a crash point.
     *
     * @param jvmOptions options for the child JVM, e.g. {@code -XX:TieredStopAtLevel=1}; none for the defaults
     * @param args       the command line, e.g. {@code "sync", "--config", file, "--once"}
     * @return a builder for the process, its environment that of the tests without the variables that choose the
     *         log format and level and without the crash hook's variable (a test that wants one sets it)
     */
    /**
     * Starts a process from a builder of {@link #builder}, its environment set by the caller.
     *
     * @param builder the process
     * @param errFile where its standard error goes
     * @return the running process
     */
    public static CrmsyncProcess start(ProcessBuilder builder, Path errFile) {
        builder.redirectError(errFile.toFile());
        try {
            return new CrmsyncProcess(builder.start(), errFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the process id while the process lives, for a signal
     */
    public java.util.Optional<Long> pid() {
        return process.isAlive() ? java.util.Optional.of(process.pid()) : java.util.Optional.empty();
    }

    public static ProcessBuilder builder(List<String> jvmOptions, String... args) {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        // Without the test classes: their logback-test.xml would replace the product's logging
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(javaCommand, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("CRMSYNC_LOG_FORMAT");
        builder.environment().remove("CRMSYNC_LOG_LEVEL");
        builder.environment().remove(CrashPoints.VARIABLE);
        return builder;
    }

    /**
     * @return the lines printed on standard out so far
     */
    public List<String> out() {
        return List.copyOf(out);
    }

    /**
     * @return the dashboard's URL once {@code run} or {@code demo} has printed it ({@code Dashboard: <url>}), else
     *         null
     */
    public String dashboardUrl() {
        for (String line : out) {
            int at = line.indexOf("Dashboard: ");
            if (at >= 0) {
                return line.substring(at + "Dashboard: ".length()).split("\\s+")[0];
            }
        }
        return null;
    }

    /** Sends SIGTERM, as systemd stops a service. */
    public void terminate() {
        process.destroy();
    }

    /**
     * Waits for the process to end by itself or after {@link #terminate()}, then for the last lines of standard out.
     *
     * @param patience how long to wait
     * @return the exit status
     * @throws IllegalStateException when it has not ended in time; it is killed then
     */
    public int waitFor(Duration patience) {
        try {
            if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("crmsync did not end within " + patience);
            }
            outReader.join(Duration.ofSeconds(10));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return standard error, every line once the process has ended
     */
    public List<String> err() {
        try {
            return Files.readAllLines(errFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process if it still runs, e.g. after a failed assertion. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
