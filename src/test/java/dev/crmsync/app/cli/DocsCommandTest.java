package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testing.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crmsync docs} through the real command line. The configuration points at ports nothing listens on:
 * the command must not need either system.
 */
class DocsCommandTest {

    @TempDir
    Path dir;

    private final CommandRun run = new CommandRun();

    private int crmsync(String... args) {
        return run.crmsync(args);
    }

    private Path config() throws IOException {
        Path file = dir.resolve("crmsync.yaml");
        Files.writeString(file, """
                webcrm:    { url: http://127.0.0.1:1, token: t-4711 }
                customcrm: { url: http://127.0.0.1:1, api-key: k-4711 }
                store:     { url: jdbc:sqlite:state.db }
                sync:      { flows: { persons: { delete: retire } } }
                """);
        return file;
    }

    @Test
    void shouldWriteTheHtmlPageToTheOutputFile() throws IOException {
        // Given
        Path output = dir.resolve("site/dataflow.html");

        // When
        int status = crmsync("docs", "--config", config().toString(), "--format", "html", "--output",
                output.toString());

        // Then
        assertThat(status).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("dataflow.html");
        String html = Files.readString(output);
        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<h1>Webcrm to Customcrm Dataflow</h1>")
                .contains("Every Webcrm Persons will be synchronized with a Customcrm Contact.")
                .contains("<td>OrganisationName</td><td>name</td><td>string</td>")
                .contains("<td>name</td><td>OrganisationName</td><td>string</td>")
                .contains("Delete policy: retire-link.")
                .doesNotContain("t-4711").doesNotContain("k-4711")
                .endsWith("</html>\n");
        assertThat(dir.resolve("state.db")).doesNotExist();
    }

    @Test
    void shouldPrintMarkdownByDefault() throws IOException {
        int status = crmsync("docs", "--config", config().toString());

        assertThat(status).isZero();
        assertThat(run.out()).startsWith("# Webcrm to Customcrm Dataflow\n")
                .contains("## Webcrm Organisations ↔ Customcrm Customer")
                .contains("| OrganisationVatNumber ");
    }

    @Test
    void shouldWriteRestructuredText() throws IOException {
        int status = crmsync("docs", "-c", config().toString(), "-f", "RST");

        assertThat(status).isZero();
        assertThat(run.out()).startsWith("""
                ============================
                Webcrm to Customcrm Dataflow
                ============================
                """);
    }

    @Test
    void shouldRefuseAnUnknownFormatAndWriteNothing() throws IOException {
        Path output = dir.resolve("dataflow.pdf");

        int status = crmsync("docs", "--config", config().toString(), "--format", "pdf", "--output",
                output.toString());

        assertThat(status).isEqualTo(Main.CONFIG_ERROR);
        assertThat(run.err()).contains("unknown format 'pdf': expected md, rst or html");
        assertThat(output).doesNotExist();
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldNameTheKeyOfAWrongConfiguration() throws IOException {
        Path file = dir.resolve("wrong.yaml");
        Files.writeString(file, "webcrm: { url: http://127.0.0.1:1, token: t }\n");

        int status = crmsync("docs", "--config", file.toString());

        assertThat(status).isEqualTo(Main.CONFIG_ERROR);
        assertThat(run.err()).contains("customcrm: is required");
    }

    @Test
    void shouldBeListedInTheHelp() {
        int status = crmsync("--help");

        assertThat(status).isZero();
        assertThat(run.out()).containsPattern("\\n\\s+docs\\s");
    }
}
