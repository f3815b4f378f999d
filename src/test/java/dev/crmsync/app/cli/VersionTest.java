package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testing.CommandRun;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 12: {@code crmsync --version} names the version and the commit the build was made from, and says so
 * plainly when the build could not know the commit (a source archive without {@code .git}, no git on the machine).
 */
class VersionTest {

    @Test
    void shouldPrintTheProjectVersionAndACommitOrThatItIsUnknown() {
        // Given
        CommandRun run = new CommandRun();

        // When
        int status = run.crmsync("--version");

        // Then
        assertThat(status).isZero();
        assertThat(run.out().strip()).matches(
                "crmsync " + System.getProperty("crmsync.version").replace(".", "\\.")
                        + " \\(commit ([0-9a-f]{7,40}(-dirty)?|unknown)\\)");
    }

    @ParameterizedTest(name = "version={0}, commit={1}")
    @CsvSource(nullValues = "none", value = {
            "1.2.3, 0123456789ab, crmsync 1.2.3 (commit 0123456789ab)",
            "1.2.3, 0123456789ab-dirty, crmsync 1.2.3 (commit 0123456789ab-dirty)",
            "1.2.3, unknown, crmsync 1.2.3 (commit unknown)",
            "none, none, crmsync (built outside Maven) (commit unknown)"})
    void shouldSayWhatTheBuildWroteAndNoMore(String version, String commit, String expected) {
        // Given: what the build wrote into build-info.properties; nothing at all for classes built outside Maven
        Properties written = new Properties();
        if (version != null) {
            written.setProperty("version", version);
        }
        if (commit != null) {
            written.setProperty("commit", commit);
        }

        // When
        String line = BuildInfo.of(written).versionLine();

        // Then
        assertThat(line).isEqualTo(expected);
    }
}
