package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateWebcrmCommandTest {

    @Test
    void shouldDefaultToTheDocumentedPortHostTokenAndSeedCounts() {
        // When
        SimulateWebcrmCommand command = new SimulateWebcrmCommand();
        new CommandLine(command).parseArgs();

        // Then
        assertThat(command.port).isEqualTo(8081);
        assertThat(command.host).isEqualTo("127.0.0.1");
        assertThat(command.token).isEqualTo("demo-webcrm-token");
        assertThat(command.seed).isEqualTo(42);
        assertThat(new int[] {command.organisations, command.persons, command.products}).containsExactly(60, 150, 80);
        assertThat(command.rateLimit).isEqualTo(250);
        assertThat(command.emptyOrganisationPostBody).isFalse();
    }

    @Test
    void shouldRefuseAnInvalidSettingAsAUsageErrorBeforeStarting() {
        // Given
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SimulateWebcrmCommand()).setErr(new PrintWriter(err));

        // When
        int exit = cli.execute("--error-rate", "1.5");
        int negative = cli.execute("--persons=-3");

        // Then
        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(negative).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--error-rate must be between 0 and 1", "seed counts must be zero or positive");
    }

    @Test
    void shouldTakeTheNumberOfTenantsAndServeOneTenantWithout() {
        // When
        SimulateWebcrmCommand without = new SimulateWebcrmCommand();
        new CommandLine(without).parseArgs();
        SimulateWebcrmCommand with = new SimulateWebcrmCommand();
        new CommandLine(with).parseArgs("--tenants", "60");

        // Then
        assertThat(without.tenants).isNull();
        assertThat(with.tenants).isEqualTo(60);
    }

    @Test
    void shouldRefuseANumberOfTenantsBelowOneOrNoNumberNamingTheOption() {
        // Given
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SimulateWebcrmCommand()).setErr(new PrintWriter(err));

        // When
        int zero = cli.execute("--tenants", "0");
        int negative = cli.execute("--tenants=-2");
        int word = cli.execute("--tenants", "many");

        // Then
        assertThat(new int[] {zero, negative, word}).containsOnly(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--tenants must be 1 or more: 0", "--tenants must be 1 or more: -2",
                "'--tenants'", "'many' is not an int");
    }
}
