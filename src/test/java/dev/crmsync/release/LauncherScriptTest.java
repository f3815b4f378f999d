package dev.crmsync.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: the release's {@code bin/crmsync} runs the application on the Java that {@code JAVA_HOME} names, else
 * the {@code java} on the {@code PATH}, with {@code CRMSYNC_JAVA_OPTS}, and says in one line what is wrong when that
 * Java is older than 21 or missing. A stand-in {@code java} answers the version question and prints the command
 * line it was given, so that every case runs on any machine with a POSIX shell.
 */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("src/dist/bin/crmsync");
    private static final String FAKE_JAVA = """
            #!/bin/sh
            if [ "$1" = -XshowSettings:properties ]; then
              echo "Property settings:" >&2
              echo "    java.specification.version = %s" >&2
              exit 0
            fi
            for argument in "$@"; do echo "$argument"; done
            """;

    @TempDir
    Path dir;

    private Path release;

    /** The script in a release's layout: {@code <release>/bin/crmsync} beside {@code <release>/lib}. */
    @BeforeEach
    void installScript() throws IOException {
        release = dir.resolve("crmsync-1.0.0");
        Files.createDirectories(release.resolve("bin"));
        Files.createDirectories(release.resolve("lib"));
        executable(release.resolve("bin/crmsync"), Files.readString(SCRIPT));
    }

    @Test
    void shouldRunTheApplicationOnJavaHomeWithTheJavaOptions() throws Exception {
        // Given
        Path javaHome = fakeJava("jdk-21", "21");

        // When
        Result result = run(release.resolve("bin/crmsync"),
                Map.of("JAVA_HOME", javaHome.toString(), "CRMSYNC_JAVA_OPTS", "-Xmx64m -Dcrmsync.x=1"),
                "sync", "--config", "my file.yaml", "--once");

        // Then
        assertThat(result.status()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).containsExactly("--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-Dcrmsync.x=1",
                "-cp", release.toRealPath() + "/lib/*", "dev.crmsync.app.cli.Main",
                "sync", "--config", "my file.yaml", "--once");
    }

    @Test
    void shouldFindItsLibFolderThroughASymbolicLink() throws Exception {
        // Given: /usr/local/bin/crmsync -> <release>/bin/crmsync, as an administrator may link it
        Path javaHome = fakeJava("jdk-25", "25");
        Path link = Files.createDirectories(dir.resolve("usr-local-bin")).resolve("crmsync");
        Files.createSymbolicLink(link, release.resolve("bin/crmsync"));

        // When
        Result result = run(link, Map.of("JAVA_HOME", javaHome.toString()), "--version");

        // Then
        assertThat(result.status()).isZero();
        assertThat(result.out()).contains(release.toRealPath() + "/lib/*");
    }

    @Test
    void shouldUseTheJavaOnThePathWithoutJavaHomeAndRefuseAnOldOne() throws Exception {
        // Given
        Path java8 = fakeJava("jre-8", "1.8");

        // When
        Result result = run(release.resolve("bin/crmsync"), Map.of("PATH", java8.resolve("bin") + ":/usr/bin:/bin"),
                "--version");

        // Then
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).containsExactly("crmsync: needs Java 21 or newer, but " + java8.resolve("bin/java")
                + " on the PATH is Java 1.8; install a Java 21+ runtime and set JAVA_HOME to it.");
    }

    @Test
    void shouldRefuseAJavaHomeOlderThan21() throws Exception {
        // Given
        Path java17 = fakeJava("jdk-17", "17");

        // When
        Result result = run(release.resolve("bin/crmsync"), Map.of("JAVA_HOME", java17.toString()), "--version");

        // Then
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).containsExactly("crmsync: needs Java 21 or newer, but JAVA_HOME=" + java17
                + " is Java 17; install a Java 21+ runtime and set JAVA_HOME to it.");
    }

    @Test
    void shouldSayWhenJavaHomeHoldsNoJava() throws Exception {
        // Given
        Path empty = Files.createDirectories(dir.resolve("not-a-jdk"));

        // When
        Result result = run(release.resolve("bin/crmsync"), Map.of("JAVA_HOME", empty.toString()), "--version");

        // Then
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).containsExactly("crmsync: JAVA_HOME=" + empty
                + " has no bin/java; point JAVA_HOME at a Java 21 or newer runtime.");
    }

    private record Result(int status, List<String> out, List<String> err) {
    }

    private Path fakeJava(String name, String specificationVersion) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        executable(home.resolve("bin/java"), FAKE_JAVA.formatted(specificationVersion));
        return home;
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs the launcher with a bare environment: PATH for the shell's tools, and what the test gives. */
    private Result run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the launcher ended").isTrue();
        return new Result(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8));
    }
}
