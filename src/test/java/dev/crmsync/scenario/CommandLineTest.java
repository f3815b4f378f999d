package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.cli.Main;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Side;
import dev.crmsync.testing.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The commands a user types, run through the real command line against both simulators: exit statuses, the
 * dry-run plan, the listings and their JSON, and the messages of a wrong configuration.
 */
class CommandLineTest {

    private final SyncHarness harness = SyncHarness.empty();
    private final CommandRun run = new CommandRun();

    @AfterEach
    void stop() {
        harness.close();
    }

    private int crmsync(String... args) {
        return run.crmsync(args);
    }

    private Path configFile(String yaml) throws IOException {
        Path file = Files.createTempFile("crmsync-cli-", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Path config() throws IOException {
        return config("");
    }

    private Path config(String extra) throws IOException {
        return configFile("""
                webcrm:    { url: %s, token: %s }
                customcrm: { url: %s, api-key: %s }
                store:     { url: "jdbc:sqlite:%s" }
                """.formatted(harness.webcrm.baseUrl(), SyncHarness.TOKEN, harness.customcrm.baseUrl(),
                SyncHarness.KEY, Files.createTempDirectory("crmsync-cli-").resolve("state.db")) + extra);
    }

    @Test
    void shouldPrintThePlanOfADryRunAndWriteNothing() throws IOException {
        // Given
        harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Plan A/S"));
        harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Plan AB"));
        Path config = config();

        // When
        int status = crmsync("sync", "--config", config.toString(), "--dry-run");

        // Then
        assertThat(status).isZero();
        assertThat(run.out())
                .contains("Dry run: nothing was written")
                .contains("organisations: webCRM 1 create, 0 update, 0 delete; Customcrm 1 create, 0 update, 0 delete")
                .contains("create Customer on Customcrm from webCRM Organisation 1 \"Plan A/S\"")
                .contains("create Organisation on webCRM from Customcrm Customer");
        assertThat(harness.writes(Side.WEBCRM)).isZero();
        assertThat(harness.writes(Side.CUSTOMCRM)).isZero();
        run.clear();
        assertThat(crmsync("links", "--config", config.toString())).isZero();
        assertThat(run.out()).contains("0 link(s)");
    }

    @Test
    void shouldSyncOnceAndListTheLinksAsTableAndJson() throws IOException {
        // Given
        harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Liste A/S"));
        Path config = config();

        // When
        int status = crmsync("sync", "--config", config.toString(), "--once");
        int table = crmsync("links", "--config", config.toString(), "--flow", "organisations");
        String before = run.out();
        run.clear();
        int json = crmsync("links", "--config", config.toString(), "--json");

        // Then
        assertThat(status).isZero();
        assertThat(table).isZero();
        assertThat(before).contains("organisations: 1 change(s) to apply, 1 with writes")
                .contains("organisations: 1 of 1 applied").doesNotContain("persons:");
        assertThat(before).contains("done: 1 writes").contains("organisations  1").contains("ACTIVE");
        JsonNode links = JsonMapper.builder().build().readTree(run.out());
        assertThat(links).hasSize(1);
        assertThat(links.get(0).path("webcrmId").asString()).isEqualTo("1");
        assertThat(links.get(0).path("values").path("name").asString()).isEqualTo("Liste A/S");
    }

    @Test
    void shouldExitWithOneAndNameTheReasonWhenARecordEndsInTheDeadLetters() throws IOException {
        // Given a contact without last name, which webCRM refuses
        String customer = harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Død A/S"))
                .path("id").asString();
        harness.customcrm.createAsUser(RecordType.CONTACT, Map.of("first_name", "Anonym", "customer_id", customer));
        Path config = config();

        // When
        int status = crmsync("sync", "--config", config.toString(), "--once");
        String syncOutput = run.out();
        run.clear();
        int listed = crmsync("dead-letters", "--config", config.toString(), "--json");

        // Then
        assertThat(status).isEqualTo(1);
        assertThat(syncOutput).contains("1 record(s) in the dead letters:").contains("Customcrm Contact")
                .contains("webCRM refused the create");
        assertThat(listed).isZero();
        JsonNode dead = JsonMapper.builder().build().readTree(run.out()).path("deadLetters");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).path("reason").asString()).containsIgnoringCase("last name");
    }

    @Test
    void shouldExitWithTwoAndNameTheKeyOfAWrongConfiguration() throws IOException {
        Path config = configFile("""
                webcrm:    { url: http://127.0.0.1:1, token: t }
                customcrm: { url: http://127.0.0.1:1, api_key: k }
                """);

        int status = crmsync("sync", "--config", config.toString(), "--once");

        assertThat(status).isEqualTo(Main.CONFIG_ERROR);
        assertThat(run.err()).contains("customcrm.api_key: unknown key; did you mean customcrm.api-key?");
    }

    @Test
    void shouldExitWithThreeWithoutTheTokenWhenWebcrmRefusesIt() throws IOException {
        Path config = configFile("""
                webcrm:    { url: %s, token: not-the-token-4711 }
                customcrm: { url: %s, api-key: %s }
                store:     { url: "jdbc:sqlite:%s" }
                """.formatted(harness.webcrm.baseUrl(), harness.customcrm.baseUrl(), SyncHarness.KEY,
                Files.createTempDirectory("crmsync-cli-").resolve("state.db")));

        int status = crmsync("sync", "--config", config.toString(), "--once");

        assertThat(status).isEqualTo(Main.SYSTEM_ERROR);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("crmsync: webCRM refused the API token (401: ").doesNotContain("not-the-token-4711");
        assertThat(run.printedStackTrace()).isFalse();
    }

    @Test
    void shouldHoldAManualConflictUntilAPersonKeepsOneSideThenWriteIt() throws IOException {
        // Given a linked pair under the manual policy, renamed differently on both sides
        Path config = config("sync: { conflict-policy: manual }\n");
        int id = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Strid A/S"));
        assertThat(crmsync("sync", "--config", config.toString(), "--once")).isZero();
        String customer = harness.link(config, id);
        harness.later(java.time.Duration.ofMinutes(5));
        harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, id, Map.of("OrganisationName", "Strid Vest A/S",
                "OrganisationCity", "Esbjerg"));
        harness.customcrm.editAsUser(RecordType.CUSTOMER, customer, Map.of("name", "Strid Øst A/S"));

        // When a sync meets the conflict, a person keeps Customcrm's name, and the next sync runs
        assertThat(crmsync("sync", "--config", config.toString(), "--once")).isZero();
        String held = harness.webcrm.record(WebcrmEntity.ORGANISATION, id).orElseThrow().path("OrganisationName")
                .asString();
        run.clear();
        assertThat(crmsync("conflicts", "--config", config.toString(), "--open", "--json")).isZero();
        JsonNode open = JsonMapper.builder().build().readTree(run.out());
        assertThat(crmsync("conflicts", "--config", config.toString(), "--resolve", open.get(0).path("id").asString(),
                "--keep", "customcrm")).isZero();
        assertThat(crmsync("sync", "--config", config.toString(), "--once")).isZero();

        // Then nothing was overwritten while held; afterwards both sides hold the kept name and the other edit
        assertThat(held).isEqualTo("Strid Vest A/S");
        assertThat(open).hasSize(1);
        assertThat(open.get(0).path("fields").get(0).path("field").asString()).isEqualTo("name");
        JsonNode organisation = harness.webcrm.record(WebcrmEntity.ORGANISATION, id).orElseThrow();
        assertThat(organisation.path("OrganisationName").asString()).isEqualTo("Strid Øst A/S");
        assertThat(organisation.path("OrganisationCity").asString()).isEqualTo("Esbjerg");
        JsonNode c = harness.customcrm.record(RecordType.CUSTOMER, customer).orElseThrow();
        assertThat(c.path("name").asString()).isEqualTo("Strid Øst A/S");
        assertThat(c.path("address").path("city").asString()).isEqualTo("Esbjerg");
    }

    @Test
    void shouldListEveryCommandInTheHelp() {
        int status = crmsync("--help");

        assertThat(status).isZero();
        assertThat(run.out()).contains("demo", "sync", "links", "conflicts", "dead-letters", "simulate");
    }
}
