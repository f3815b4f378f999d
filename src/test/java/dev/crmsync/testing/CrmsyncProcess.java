package dev.crmsync.testing;

import dev.crmsync.app.CrashPoints;
import dev.crmsync.app.cli.Main;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Starts {@code crmsync} as a process of its own, as an operator, systemd or a cron job starts it: a child JVM
 * running {@link Main} on the build's class path, with the product's logging. Unlike {@link CommandRun}, the
 * process can be signalled, can die, and holds its own store lock and connections.
 */
public final class CrmsyncProcess {

    private CrmsyncProcess() {
    }

    /**
     * @param jvmOptions options for the child JVM, e.g. {@code -XX:TieredStopAtLevel=1}; none for the defaults
     * @param args       the command line, e.g. {@code "sync", "--config", file, "--once"}
     * @return a builder for the process, its environment that of the tests without {@code CRMSYNC_LOG_FORMAT} and
     *         without the crash hook's variable (a test that wants either sets it)
     */
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
        builder.environment().remove(CrashPoints.VARIABLE);
        return builder;
    }
}
