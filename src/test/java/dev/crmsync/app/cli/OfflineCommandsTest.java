package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testing.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: the commands that only read the store or the configuration ({@code links}, {@code conflicts},
 * {@code dead-letters}, {@code docs}) work without the environment variables that hold the credentials, as an
 * operator runs them from a shell where only the service's unit sets them. The commands that reach a system
 * ({@code check}, {@code sync}, {@code run}) still name the variable that is missing.
 */
class OfflineCommandsTest {

    private static final String WEBCRM_VARIABLE = "CRMSYNC_TEST_UNSET_WEBCRM_TOKEN";
    private static final String CUSTOMCRM_VARIABLE = "CRMSYNC_TEST_UNSET_CUSTOMCRM_API_KEY";
    private static final String SERVER_VARIABLE = "CRMSYNC_TEST_UNSET_SERVER_TOKEN";

    @TempDir
    Path dir;

    private final CommandRun run = new CommandRun();

    private Path config() throws IOException {
        assertThat(System.getenv()).doesNotContainKeys(WEBCRM_VARIABLE, CUSTOMCRM_VARIABLE, SERVER_VARIABLE);
        Path file = dir.resolve("crmsync.yaml");
        Files.writeString(file, """
                webcrm:    { url: http://127.0.0.1:1, token: ${%s} }
                customcrm: { url: http://127.0.0.1:1, api-key: ${%s} }
                store:     { url: jdbc:sqlite:state.db }
                server:    { token: ${%s} }
                """.formatted(WEBCRM_VARIABLE, CUSTOMCRM_VARIABLE, SERVER_VARIABLE));
        return file;
    }

    @Test
    void shouldListLinksConflictsAndDeadLettersWithoutTheCredentialsVariables() throws IOException {
        // Given
        String config = config().toString();

        // When
        int links = run.crmsync("links", "--config", config);
        int conflicts = run.crmsync("conflicts", "--config", config, "--json");
        int deadLetters = run.crmsync("dead-letters", "--config", config);

        // Then
        assertThat(run.err()).isEmpty();
        assertThat(links).isZero();
        assertThat(conflicts).isZero();
        assertThat(deadLetters).isZero();
        assertThat(run.out()).contains("0 link(s)").doesNotContain("CRMSYNC_TEST_UNSET");
    }

    @Test
    void shouldWriteTheDataflowDocumentWithoutTheCredentialsVariables() throws IOException {
        // Given
        String config = config().toString();

        // When
        int status = run.crmsync("docs", "--config", config);

        // Then
        assertThat(run.err()).isEmpty();
        assertThat(status).isZero();
        assertThat(run.out()).contains("Webcrm to Customcrm Dataflow");
    }

    @Test
    void shouldStillNameTheMissingVariableForTheCommandsThatReachASystem() throws IOException {
        // Given
        String config = config().toString();
        String missing = "webcrm.token: environment variable " + WEBCRM_VARIABLE + " is not set";

        // When
        int check = run.crmsync("check", "--config", config);
        String checkErr = run.err();
        run.clear();
        int sync = run.crmsync("sync", "--config", config, "--once");
        String syncErr = run.err();
        run.clear();
        int service = run.crmsync("run", "--config", config);
        String runErr = run.err();

        // Then
        assertThat(check).isEqualTo(Main.CONFIG_ERROR);
        assertThat(checkErr).contains(missing);
        assertThat(sync).isEqualTo(Main.CONFIG_ERROR);
        assertThat(syncErr).contains(missing);
        assertThat(service).isEqualTo(Main.CONFIG_ERROR);
        assertThat(runErr).contains(missing);
        assertThat(dir.resolve("state.db")).doesNotExist();
    }
}
