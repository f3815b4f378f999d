package dev.crmsync.app.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.cli.Main;
import dev.crmsync.testing.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code crmsync check} as a user types it, through the real command line against both simulators: the report's
 * text and the exit statuses.
 */
class CheckCommandTest {

    private final PreflightHarness harness = new PreflightHarness();
    private final CommandRun run = new CommandRun();

    @AfterEach
    void stop() {
        harness.close();
    }

    private int crmsync(String... args) {
        return run.crmsync(args);
    }

    @Test
    void shouldExitZeroAndReportEveryFlowForTheDefaultConfiguration() throws IOException {
        // Given
        Path config = harness.configFile(PreflightHarness.TOKEN, "");

        // When
        int status = crmsync("check", "--config", config.toString());

        // Then
        assertThat(status).isZero();
        assertThat(run.out())
                .contains("crmsync check: webCRM " + harness.webcrm.baseUrl())
                .contains("sampled one page: organisations webCRM 12, Customcrm 12; persons webCRM 24, Customcrm 24")
                .contains("\nconnection\n  INFO     webCRM     -")
                // webCRM cannot delete organisations and persons: check says what propagate does instead
                .contains("\norganisations\n  INFO     webCRM     -                         delete policy: propagate: "
                        + "webCRM cannot delete Organisations through its API, so a delete seen in Customcrm retires "
                        + "the link and leaves the webCRM record as it is (set delete-on-customcrm: mark to mark it "
                        + "instead)\n\n")
                .contains("\npersons\n  INFO     webCRM     -                         delete policy: propagate: "
                        + "webCRM cannot delete Persons through its API")
                .contains("\nproducts\n  no findings\n")
                .endsWith("0 errors, 0 warnings" + System.lineSeparator());
        assertThat(harness.webcrm.traffic().snapshot().writes()).isZero();
        assertThat(harness.customcrm.traffic().snapshot().writes()).isZero();
    }

    @Test
    void shouldExitOneAndPrintOneLinePerFindingUnderItsFlow() throws IOException {
        // Given organisations stamped into the field that holds the customer number
        Path config = harness.configFile(PreflightHarness.TOKEN,
                "sync: { flows: { organisations: { webcrm-stamp-field: OrganisationCustom1 } } }\n");

        // When
        int status = crmsync("check", "--config", config.toString());

        // Then
        assertThat(status).isEqualTo(1);
        assertThat(run.out())
                .containsPattern("\norganisations\n  INFO .*\n  ERROR    webCRM     OrganisationCustom1       stamp field: "
                        + "12 of 12 sampled webCRM Organisations hold other data there "
                        + "\\(the tenant labels it 'Customer number'\\), e.g. 'C1000\\d', .*; "
                        + "crmsync would overwrite it with link ids: choose an unused custom field\n"
                        + "\npersons\n  INFO     webCRM     -                         delete policy: .*\n\n")
                .contains("1 error, 0 warnings");
    }

    @Test
    void shouldExitThreeWithoutTheTokenWhenWebcrmRefusesIt() throws IOException {
        // Given
        Path config = harness.configFile("not-the-token-3319", "");

        // When
        int status = crmsync("check", "--config", config.toString());

        // Then
        assertThat(status).isEqualTo(Main.SYSTEM_ERROR);
        assertThat(run.out())
                .contains("ERROR    webCRM     -                         connection: webCRM refused the API token")
                .contains("sampled one page: organisations webCRM not read, Customcrm 12")
                .contains("1 error, 0 warnings")
                .doesNotContain("not-the-token-3319");
        assertThat(run.err()).isEmpty();
        assertThat(run.printedStackTrace()).isFalse();
    }

    @Test
    void shouldExitTwoForAWrongConfiguration() throws IOException {
        Path config = Files.createTempFile("crmsync-check-", ".yaml");
        Files.writeString(config, """
                webcrm:    { url: http://127.0.0.1:1 }
                customcrm: { url: http://127.0.0.1:1, api-key: k }
                """);

        int status = crmsync("check", "--config", config.toString());

        assertThat(status).isEqualTo(Main.CONFIG_ERROR);
        assertThat(run.err()).contains("webcrm.token");
    }

    @Test
    void shouldBeListedInTheHelp() {
        assertThat(crmsync("--help")).isZero();
        assertThat(run.out()).contains("check");
    }
}
