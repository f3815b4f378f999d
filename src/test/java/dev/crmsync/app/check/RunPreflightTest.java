package dev.crmsync.app.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testing.CommandRun;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code crmsync run} checks its configuration as {@code crmsync check} does before it starts anything, and
 * refuses to serve its API without a token unless told it is a local demo.
 */
class RunPreflightTest {

    private final PreflightHarness harness = new PreflightHarness();
    private final CommandRun run = new CommandRun();

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void shouldPrintThePreflightReportAndStartNothingWhenTheMappingHasAnError() throws IOException {
        // Given organisations stamped into the field that holds the customer number
        Path config = harness.configFile(PreflightHarness.TOKEN,
                "sync: { flows: { organisations: { webcrm-stamp-field: OrganisationCustom1 } } }\n");

        // When
        int status = run.crmsync("run", "--config", config.toString(), "--insecure-no-auth", "--port", "0");

        // Then
        assertThat(status).isEqualTo(1);
        assertThat(run.out()).contains("ERROR    webCRM     OrganisationCustom1       stamp field")
                .contains("crmsync run: the configuration has errors (above); nothing was started.");
        assertThat(harness.webcrm.traffic().snapshot().writes()).isZero();
        assertThat(harness.customcrm.traffic().snapshot().writes()).isZero();
    }

    @Test
    void shouldRefuseToServeWithoutATokenUnlessStartedAsAnInsecureDemo() throws IOException {
        // Given a configuration without server.token
        Path config = harness.configFile(PreflightHarness.TOKEN, "");

        // When
        int status = run.crmsync("run", "--config", config.toString(), "--skip-check", "--port", "0");

        // Then
        assertThat(status).isEqualTo(2);
        assertThat(run.err()).contains("server.token: is required to guard the management API")
                .contains("--insecure-no-auth");
        assertThat(harness.webcrm.traffic().snapshot().writes()).isZero();
    }
}
