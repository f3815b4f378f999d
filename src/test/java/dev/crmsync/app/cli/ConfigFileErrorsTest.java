package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testing.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: a configuration file that is missing or wrong in its keys, through the real command line. Each is a
 * configuration error (exit status 2) whose message says what is wrong and where, never a secret.
 */
class ConfigFileErrorsTest {

    @TempDir
    Path dir;

    private final CommandRun run = new CommandRun();

    @Test
    void shouldSayPlainlyThatTheFileWasNotFoundWithItsAbsolutePath() {
        // Given a relative path to a file that is not there
        String relative = "no-such-crmsync-config.yaml";
        Path absolute = Path.of(relative).toAbsolutePath();

        // When
        int links = run.crmsync("links", "--config", relative);
        int service = run.crmsync("run", "--config", relative);

        // Then
        assertThat(links).isEqualTo(Main.CONFIG_ERROR);
        assertThat(service).isEqualTo(Main.CONFIG_ERROR);
        assertThat(run.err()).isEqualTo(("crmsync: configuration error: configuration file not found: " + absolute
                + System.lineSeparator()).repeat(2));
    }

    @Test
    void shouldRefuseASectionGivenTwiceNamingBothLines() throws IOException {
        // Given a second webcrm block that would silently replace the first
        Path file = dir.resolve("crmsync.yaml");
        Files.writeString(file, """
                webcrm:    { url: http://127.0.0.1:1, token: secret-4711 }
                customcrm: { url: http://127.0.0.1:1, api-key: k }
                webcrm:    { url: http://127.0.0.1:2 }
                """);

        // When
        int status = run.crmsync("check", "--config", file.toString());

        // Then
        assertThat(status).isEqualTo(Main.CONFIG_ERROR);
        assertThat(run.err()).contains("webcrm: given twice, on lines 1 and 3").doesNotContain("secret-4711");
    }

    @Test
    void shouldReportEveryUnknownKeyInOneMessage() throws IOException {
        // Given
        Path file = dir.resolve("crmsync.yaml");
        Files.writeString(file, """
                webcrm:    { url: http://127.0.0.1:1, tokn: secret-4711 }
                customcrm: { url: http://127.0.0.1:1, api-key: k }
                server:    { prot: 8080 }
                """);

        // When
        int status = run.crmsync("docs", "--config", file.toString());

        // Then
        assertThat(status).isEqualTo(Main.CONFIG_ERROR);
        assertThat(run.err()).contains("2 unknown keys")
                .contains("webcrm.tokn: unknown key; did you mean webcrm.token?")
                .contains("server.prot: unknown key; did you mean server.port?")
                .doesNotContain("secret-4711");
    }

    @Test
    void shouldPointAtTheLineOfAYamlSyntaxErrorWithoutQuotingTheFile() throws IOException {
        // Given a brace left open on a line that holds a token written into the file
        Path file = dir.resolve("crmsync.yaml");
        Files.writeString(file, """
                webcrm:    { url: http://127.0.0.1:1, token: secret-4711
                customcrm: { url: http://127.0.0.1:1, api-key: k }
                """);

        // When
        int sync = run.crmsync("sync", "--config", file.toString(), "--once");
        String syncErr = run.err();
        run.clear();
        int check = run.crmsync("check", "--config", file.toString());
        String checkErr = run.err();
        run.clear();
        int service = run.crmsync("run", "--config", file.toString());
        String runErr = run.err();

        // Then each command says where the syntax breaks, in one line, and quotes nothing of the file
        for (String err : List.of(syncErr, checkErr, runErr)) {
            assertThat(err).isEqualTo("crmsync: configuration error: the configuration is not valid YAML: line 2, "
                    + "column 10: expected ',' or '}', but got : (in the mapping that opens on line 1, column 12)"
                    + System.lineSeparator());
        }
        assertThat(List.of(sync, check, service)).containsOnly(Main.CONFIG_ERROR);
        assertThat(run.out()).isEmpty();
    }
}
