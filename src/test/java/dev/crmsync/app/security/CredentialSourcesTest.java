package dev.crmsync.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.cli.Main;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Issue 11: crmsync reads its credentials from the configuration file or the environment only. A token on the
 * command line would stand in the shell's history and in every process listing, so no command of crmsync's own
 * takes one; only the simulators do, for the simulated system's made-up credentials.
 */
class CredentialSourcesTest {

    private static final Pattern CREDENTIAL = Pattern.compile("token|key|secret|password|credential|auth");

    @Test
    void shouldTakeNoCredentialOnTheCommandLineOutsideTheSimulators() {
        // Given every option of every command and subcommand that takes a value (a flag carries no credential)
        List<String> options = new ArrayList<>();
        collect(Main.commandLine(), "crmsync", options);
        assertThat(options).as("the options looked at").hasSizeGreaterThan(15)
                .anySatisfy(o -> assertThat(o).startsWith("crmsync simulate webcrm --token"));

        // Then only the simulators have one that carries a credential
        assertThat(options).filteredOn(o -> CREDENTIAL.matcher(o.substring(o.lastIndexOf(' ') + 1)
                        .toLowerCase(Locale.ROOT)).find())
                .allSatisfy(o -> assertThat(o).startsWith("crmsync simulate "));
    }

    private static void collect(CommandLine command, String path, List<String> out) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (option.arity().max() == 0) {
                continue;
            }
            for (String name : option.names()) {
                out.add(path + " " + name);
            }
        }
        command.getSubcommands().forEach((name, sub) -> collect(sub, path + " " + name, out));
    }
}
