package dev.crmsync.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.app.cli.Main;
import dev.crmsync.app.config.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the systemd unit shipped in the release archive ({@code src/dist/systemd/crmsync.service}) works as
 * written: no comment after a value (systemd would take it as part of the value, as the unit once in
 * docs/operations.md did with its {@code EnvironmentFile=}), a user of its own, the secrets from an environment
 * file, {@code bin/crmsync run} of the release, a stop timeout longer than crmsync's own grace, and the documentation
 * shows the very file.
 */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("src/dist/systemd/crmsync.service");
    private static final Path ENVIRONMENT_EXAMPLE = Path.of("src/dist/systemd/crmsync.env.example");
    private static final Path OPERATIONS = Path.of("docs/operations.md");
    /** Where the documentation unpacks the release; the archive's own files lie below it. */
    private static final String INSTALL_DIR = "/opt/crmsync/";

    private static SystemdUnit unit() throws IOException {
        return SystemdUnit.parse(Files.readString(UNIT));
    }

    @Test
    void shouldCarryNoCommentAfterAValue() throws IOException {
        // When
        List<SystemdUnit.Setting> settings = unit().settings();

        // Then
        assertThat(settings).isNotEmpty().allSatisfy(setting -> assertThat(setting.value())
                .as("line %d", setting.line())
                .doesNotContainPattern("\\s[#;]"));
    }

    @Test
    void shouldRunTheReleaseAsAUserOfItsOwnWithTheSecretsFromAnEnvironmentFile() throws IOException {
        // When
        SystemdUnit unit = unit();

        // Then
        assertThat(unit.value("Service", "User")).hasValueSatisfying(user ->
                assertThat(user).isNotBlank().isNotIn("root", "0"));
        assertThat(unit.value("Service", "EnvironmentFile")).hasValueSatisfying(file ->
                assertThat(Path.of(file)).isAbsolute());
        String execStart = unit.value("Service", "ExecStart").orElseThrow();
        assertThat(execStart).matches(INSTALL_DIR + "bin/crmsync run --config /\\S+\\.yaml");
        String launcher = execStart.split(" ")[0].substring(INSTALL_DIR.length());
        assertThat(Path.of("src/dist").resolve(launcher)).as("the launcher the archive ships").isRegularFile();
        assertThat(unit.value("Install", "WantedBy")).hasValue("multi-user.target");
    }

    @Test
    void shouldGiveAStopMoreTimeThanCrmsyncsOwnGrace() throws IOException {
        // Given: run's --stop-grace default, after which it cuts the batch short
        String graceDefault = Main.commandLine().getSubcommands().get("run").getCommandSpec()
                .findOption("--stop-grace").defaultValue();
        Duration grace = Durations.parse("--stop-grace", graceDefault);

        // When
        Duration timeout = Duration.ofSeconds(Long.parseLong(unit().value("Service", "TimeoutStopSec").orElseThrow()));

        // Then
        assertThat(timeout).isGreaterThan(grace);
    }

    @Test
    void shouldDocumentTheShippedUnitVerbatim() throws IOException {
        // Given
        String shipped = Files.readString(UNIT);

        // When
        String operations = Files.readString(OPERATIONS);

        // Then
        assertThat(operations).contains("```ini\n" + shipped + "```");
    }

    @Test
    void shouldGiveAnEnvironmentFileExampleOfPlainAssignments() throws IOException {
        // When
        List<String> assignments = Files.readAllLines(ENVIRONMENT_EXAMPLE).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();

        // Then
        assertThat(assignments).extracting(line -> line.substring(0, line.indexOf('=')))
                .containsExactly("WEBCRM_TOKEN", "CUSTOMCRM_API_KEY", "CRMSYNC_TOKEN");
        assertThat(assignments).allSatisfy(line -> assertThat(line).matches("[A-Z_]+=\\S+"));
    }

    @Test
    void shouldRefuseTheInlineCommentTheOldUnitCarried() {
        // Given: the EnvironmentFile= line of the unit docs/operations.md used to show
        String old = "[Service]\nEnvironmentFile=/etc/crmsync/secrets.env      # WEBCRM_TOKEN=…\n";

        // When
        SystemdUnit parsed = SystemdUnit.parse(old);

        // Then: the parser keeps the comment in the value, where the check above finds it
        assertThat(parsed.value("Service", "EnvironmentFile")).hasValueSatisfying(value ->
                assertThat(value).containsPattern("\\s#"));
        assertThatThrownBy(() -> SystemdUnit.parse("User=crmsync\n"))
                .hasMessageContaining("line 1 is neither a section nor a setting");
    }
}
