package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.adapters.cluster.ClusterDatabase;
import dev.crmsync.testing.CommandRun;
import dev.crmsync.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code crmsync nodes}: the nodes of a cluster and what each holds, read from the store's tables with no node
 * running, in a table and in the JSON of {@code /api/nodes}; refused, naming the key, for a SQLite store.
 */
class NodesCommandTest {

    private TestPostgres postgres;

    @BeforeEach
    void schema() {
        postgres = TestPostgres.freshSchema();
    }

    @AfterEach
    void drop() {
        postgres.dropWithConnections();
    }

    @Test
    void shouldListTheNodesTheirStateAndWhatEachHoldsAndTheConnectionsNoneHolds(@TempDir Path dir) throws Exception {
        // Given a cluster whose node n2 is alive and holds acme, and whose node n3 stopped beating an hour ago
        Instant now = Instant.now();
        try (ClusterDatabase cluster = ClusterDatabase.open(postgres.address())) {
            cluster.heartbeat("n2", "http://10.0.0.2:8080", now.minusSeconds(60), now);
            cluster.heartbeat("n3", "http://10.0.0.3:8080", now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)));
        }
        postgres.execute("INSERT INTO " + postgres.schema() + ".scheduled_tasks (task_name, task_instance, "
                + "execution_time, picked, picked_by, last_heartbeat, version) VALUES ('crmsync-connection', 'acme', "
                + "now(), true, 'n2', now(), 1)");
        Path config = dir.resolve("crmsync.yaml");
        Files.writeString(config, """
                connections:
                  - { name: acme,   webcrm: { url: "http://127.0.0.1:9", token: t1 }, customcrm: { url: "http://127.0.0.1:9", api-key: k1 } }
                  - { name: globex, webcrm: { url: "http://127.0.0.1:9", token: t2 }, customcrm: { url: "http://127.0.0.1:9", api-key: k2 } }
                store: { url: "%s" }
                """.formatted(postgres.url()));

        // When
        CommandRun table = new CommandRun();
        int status = table.crmsync("nodes", "--config", config.toString());
        CommandRun json = new CommandRun();
        int jsonStatus = json.crmsync("nodes", "--config", config.toString(), "--json");

        // Then
        assertThat(status).as(table.err()).isZero();
        assertThat(table.out()).containsPattern("n2 +alive +\\S+ +1 +acme +http://10.0.0.2:8080")
                .containsPattern("n3 +silent +\\S+ +0 ")
                .contains("2 node(s), 1 alive; not held: globex");
        assertThat(jsonStatus).as(json.err()).isZero();
        JsonNode body = JsonMapper.builder().build().readTree(json.out());
        assertThat(body.has("node")).as("no node answers the command line").isFalse();
        assertThat(body.path("nodes")).extracting(n -> n.path("name").asString()).containsExactly("n2", "n3");
        assertThat(body.path("nodes").get(0).path("connections")).extracting(JsonNode::asString)
                .containsExactly("acme");
        assertThat(body.path("nodes").get(1).path("alive").asBoolean()).isFalse();
        assertThat(body.path("unheld")).extracting(JsonNode::asString).containsExactly("globex");
    }

    @Test
    void shouldSayThatASqliteStoreHasNoCluster(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("crmsync.yaml");
        Files.writeString(config, """
                webcrm:    { url: "http://127.0.0.1:9", token: t }
                customcrm: { url: "http://127.0.0.1:9", api-key: k }
                store:     { url: "jdbc:sqlite:crmsync.db" }
                """);

        CommandRun run = new CommandRun();
        int status = run.crmsync("nodes", "--config", config.toString());

        assertThat(status).isEqualTo(2);
        assertThat(run.err()).contains("store.url").contains("SQLite store, which has no cluster");
    }
}
