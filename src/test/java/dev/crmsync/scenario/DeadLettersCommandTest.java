package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.testing.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 11: {@code crmsync dead-letters} showed only the dead letters, so a person waiting for an organisation that
 * Customcrm had refused appeared in no output. Run through the real command line against both simulators.
 */
class DeadLettersCommandTest {

    private final SyncHarness harness = SyncHarness.empty();
    private final CommandRun run = new CommandRun();
    private Path config;
    private int organisation;
    private int person;

    @BeforeEach
    void syncAnOrganisationCustomcrmRefusesAndItsPerson() throws IOException {
        // Given a webCRM organisation and a person of it, and a Customcrm that refuses every write
        organisation = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                Map.of("OrganisationName", "Afvist Tømrer A/S"));
        person = harness.webcrm.createAsUser(WebcrmEntity.PERSON, Map.of("PersonFirstName", "Anna",
                "PersonLastName", "Berg", "PersonEmail", "anna@afvist.example", "PersonOrganisationId", organisation));
        harness.customcrm.faults().failWrites(422);
        config = Files.createTempFile("crmsync-dead-letters-", ".yaml");
        Files.writeString(config, """
                webcrm:    { url: %s, token: %s }
                customcrm: { url: %s, api-key: %s }
                store:     { url: "jdbc:sqlite:%s" }
                """.formatted(harness.webcrm.baseUrl(), SyncHarness.TOKEN, harness.customcrm.baseUrl(),
                SyncHarness.KEY, Files.createTempDirectory("crmsync-dead-letters-").resolve("state.db")));
        assertThat(run.crmsync("sync", "--config", config.toString(), "--once")).as(run.out() + run.err())
                .isEqualTo(1);
        run.clear();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void shouldListThePersonWaitingForItsDeadLetterOrganisationBesideTheDeadLetter() {
        // When
        int status = run.crmsync("dead-letters", "--config", config.toString());

        // Then the dead letter, then the waiting person with its name and the dead letter it waits for
        assertThat(status).isZero();
        String out = run.out();
        assertThat(out).contains("1 dead letter(s)").contains("Afvist Tømrer A/S")
                .contains("Waiting records").contains("1 waiting record(s), 1 of them for a dead letter");
        assertThat(out).startsWith("Dead letters:");
        assertThat(out.lines().filter(l -> l.startsWith("persons ")))
                .singleElement().asString()
                .contains("webCRM").contains(" " + person + " ").contains("Anna Berg")
                .contains("waits for Organisation " + organisation + ", which is a dead letter: "
                        + "Customcrm refused the create")
                .contains("422");
        assertThat(out.indexOf("1 dead letter(s)")).isLessThan(out.indexOf("Waiting records"));
    }

    @Test
    void shouldGiveTheSameDataAsJsonInTheShapesOfTheManagementApi() {
        // When
        int status = run.crmsync("dead-letters", "--config", config.toString(), "--json");

        // Then
        assertThat(status).isZero();
        JsonNode listed = JsonMapper.builder().build().readTree(run.out());
        assertThat(listed.path("deadLetters")).singleElement().satisfies(d -> {
            assertThat(d.path("flow").asString()).isEqualTo("organisations");
            assertThat(d.path("side").asString()).isEqualTo("webcrm");
            assertThat(d.path("recordId").asString()).isEqualTo(Integer.toString(organisation));
            assertThat(d.path("title").asString()).isEqualTo("Afvist Tømrer A/S");
            assertThat(d.path("reason").asString()).contains("422");
            assertThat(d.path("attempts").asInt()).isEqualTo(1);
        });
        assertThat(listed.path("waiting")).singleElement().satisfies(w -> {
            assertThat(w.path("flow").asString()).isEqualTo("persons");
            assertThat(w.path("side").asString()).isEqualTo("webcrm");
            assertThat(w.path("recordId").asString()).isEqualTo(Integer.toString(person));
            assertThat(w.path("title").asString()).isEqualTo("Anna Berg");
            assertThat(w.path("reason").asString()).isNotBlank();
            assertThat(w.path("explanation").asString())
                    .startsWith("waits for Organisation " + organisation + ", which is a dead letter: ");
            assertThat(w.path("waitingSeconds").isIntegralNumber()).isTrue();
            assertThat(w.path("observedAt").asString()).isNotBlank();
            JsonNode parent = w.path("parents").get(0);
            assertThat(parent.path("flow").asString()).isEqualTo("organisations");
            assertThat(parent.path("recordId").asString()).isEqualTo(Integer.toString(organisation));
            assertThat(parent.path("status").asString()).isEqualTo("dead");
        });
    }
}
