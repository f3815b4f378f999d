package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Side;
import dev.crmsync.testing.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration of several connections through the real command line: each command works on the connection
 * {@code --connection} names, against its own systems and its own state, and asks for the name when the file holds
 * several.
 */
class ConnectionsCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldSyncEachConnectionIntoItsOwnStateAndAskWhichOneWhenNoneIsNamed() throws IOException {
        try (SyncHarness acme = SyncHarness.seeded(new SeedPlan(0, 3, 6, 2), new SeedPlan(1, 3, 6, 2));
             SyncHarness globex = SyncHarness.seeded(new SeedPlan(10, 2, 4, 1), new SeedPlan(10, 2, 4, 1))) {
            // Given one file with both pairs of systems
            Path config = Files.writeString(dir.resolve("crmsync.yaml"), """
                    connections:
                      - name: acme
                        webcrm:    { url: %s, token: %s }
                        customcrm: { url: %s, api-key: %s }
                      - name: globex
                        webcrm:    { url: %s, token: %s }
                        customcrm: { url: %s, api-key: %s }
                    store: { url: jdbc:sqlite:crmsync.db }
                    """.formatted(acme.webcrm.baseUrl(), SyncHarness.TOKEN, acme.customcrm.baseUrl(), SyncHarness.KEY,
                    globex.webcrm.baseUrl(), SyncHarness.TOKEN, globex.customcrm.baseUrl(), SyncHarness.KEY));
            long globexOrganisations = globex.webcrm.count(WebcrmEntity.ORGANISATION);

            // When acme is synced
            CommandRun sync = new CommandRun(acme.clock);
            int status = sync.crmsync("sync", "--once", "--config", config.toString(), "--connection", "acme");

            // Then acme's systems and its own store have it, and globex's are as they were
            assertThat(status).as("exit status; %s", sync.err()).isZero();
            assertThat(dir.resolve("crmsync-acme.db")).exists();
            assertThat(dir.resolve("crmsync-globex.db")).doesNotExist();
            assertThat(acme.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(4);
            assertThat(globex.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(globexOrganisations);
            assertThat(globex.writes(Side.WEBCRM)).isZero();
            CommandRun acmeLinks = new CommandRun(acme.clock);
            assertThat(acmeLinks.crmsync("links", "--config", config.toString(), "--connection", "acme")).isZero();
            assertThat(acmeLinks.out()).contains("organisations");
            CommandRun globexLinks = new CommandRun(acme.clock);
            assertThat(globexLinks.crmsync("links", "--config", config.toString(), "--connection", "globex",
                    "--json")).isZero();
            assertThat(globexLinks.out().strip()).as("globex has no link yet").matches("\\[\\s*]");

            // and a command that names no connection, or one the file does not have, is told which there are
            CommandRun unnamed = new CommandRun(acme.clock);
            assertThat(unnamed.crmsync("links", "--config", config.toString())).isEqualTo(2);
            assertThat(unnamed.err()).contains("--connection: the file holds 2 connections (acme, globex); name "
                    + "one with --connection NAME");
            CommandRun unknown = new CommandRun(acme.clock);
            assertThat(unknown.crmsync("sync", "--once", "--config", config.toString(), "--connection", "initech"))
                    .isEqualTo(2);
            assertThat(unknown.err()).contains("no connection 'initech'; its connections: acme, globex");
        }
    }
}
