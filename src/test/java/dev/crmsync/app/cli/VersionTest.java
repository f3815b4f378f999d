package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testing.CommandRun;
import java.util.Properties;
import org.junit.jupiter.api.Test;

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

    @Test
    void shouldSayTheCommitIsUnknownWhenTheBuildFoundNone() {
        // Given
        Properties written = new Properties();
        written.setProperty("version", "1.2.3");
        written.setProperty("commit", "unknown");

        // When
        String line = BuildInfo.of(written).versionLine();

        // Then
        assertThat(line).isEqualTo("crmsync 1.2.3 (commit unknown)");
    }

    @Test
    void shouldNameADirtyCommit() {
        // Given
        Properties written = new Properties();
        written.setProperty("version", "1.2.3");
        written.setProperty("commit", "0123456789ab-dirty");

        // When
        String line = BuildInfo.of(written).versionLine();

        // Then
        assertThat(line).isEqualTo("crmsync 1.2.3 (commit 0123456789ab-dirty)");
    }

    @Test
    void shouldSayWhenClassesWereNotBuiltByMaven() {
        // Given: no build-info.properties at all
        Properties none = new Properties();

        // When
        String line = BuildInfo.of(none).versionLine();

        // Then
        assertThat(line).isEqualTo("crmsync (built outside Maven) (commit unknown)");
    }
}
