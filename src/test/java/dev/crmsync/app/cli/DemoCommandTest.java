package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testing.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void shouldRunTheServiceShowItsDashboardAndCarryAnEditEachWayWithinAnInterval(@TempDir Path dir) throws Exception {
        // When
        CommandRun run = new CommandRun();
        int status = run.crmsync("demo", "--no-wait", "--port", "0", "--organisations", "6", "--dir", dir.toString());

        // Then
        assertThat(status).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("Dashboard: http://127\\.0\\.0\\.1:\\d+/")
                .contains("now in Customcrm, customer").contains("has phone +45 70 10 20 30")
                .contains("has title Head of Partnerships")
                .containsPattern("organisations: +[1-9]\\d* linked pairs");
        assertThat(Files.readString(dir.resolve("demo.yaml"))).contains("interval: 5s").contains("server:");
        assertThat(dir.resolve("demo.db")).exists();
    }
}
