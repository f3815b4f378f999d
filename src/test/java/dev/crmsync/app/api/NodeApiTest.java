package dev.crmsync.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.model.Secret;
import dev.crmsync.testing.ApiClient;
import dev.crmsync.testing.FakeCluster;
import dev.crmsync.testing.ServiceHarness;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The server of a node of a cluster, which serves the connections it holds and names the node that holds the
 * others: {@code /api/nodes}, {@code /api/connections} and the answer for a connection held elsewhere, all to the
 * management contract.
 */
class NodeApiTest {

    private static final String TOKEN = "node-api-test-token-0123456789";
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    /** This node, n1, holds nothing; n2 holds acme; n3 is silent and holds nothing. */
    private final ClusterView cluster = new FakeCluster(NOW);
    private final ManagementApi api = ManagementApi.startNode(List.of("acme", "globex"), cluster,
            new ManagementApi.Settings("127.0.0.1", 0, new Secret(TOKEN), InstantSource.fixed(NOW), () -> ""));
    private final ApiClient client = new ApiClient(api::baseUrl, TOKEN);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void shouldListTheNodesWithTheirHeartbeatsAndTheConnectionsEachHolds() {
        ServiceHarness.Response answer = client.call("GET", "/api/nodes", null, TOKEN);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.path("node").asString()).isEqualTo("n1");
        assertThat(body.path("nodes")).extracting(n -> n.path("name").asString()).containsExactly("n1", "n2", "n3");
        JsonNode n2 = body.path("nodes").get(1);
        assertThat(n2.path("alive").asBoolean()).isTrue();
        assertThat(n2.path("self").asBoolean()).isFalse();
        assertThat(n2.path("heartbeat").asString()).isEqualTo("2026-12-06T09:59:58Z");
        assertThat(n2.path("connections")).extracting(JsonNode::asString).containsExactly("acme");
        assertThat(body.path("nodes").get(2).path("alive").asBoolean()).isFalse();
        assertThat(client.call("GET", "/api/nodes", null, null).status()).isEqualTo(401);
        assertThat(client.contractViolations()).isEmpty();
    }

    @Test
    void shouldSayWhichNodeHoldsEachConnectionAndSendAPersonThere() {
        ServiceHarness.Response list = client.call("GET", "/api/connections", null, TOKEN);

        assertThat(list.status()).isEqualTo(200);
        JsonNode acme = list.json().path("connections").get(0);
        assertThat(acme.path("status").asString()).isEqualTo("elsewhere");
        assertThat(acme.path("heldBy").asString()).isEqualTo("n2");
        assertThat(acme.path("path").asString()).isEqualTo("http://10.0.0.2:8080/connections/acme/");
        JsonNode globex = list.json().path("connections").get(1);
        assertThat(globex.path("status").asString()).isEqualTo("unheld");
        assertThat(globex.path("path").isNull()).isTrue();

        assertThat(client.contractViolations()).isEmpty();
        // Any route of a connection held elsewhere answers so; the contract documents each route as it is served.
        ApiClient routes = new ApiClient(api::baseUrl, TOKEN);
        ServiceHarness.Response elsewhere = routes.call("GET", "/connections/acme/api/status", null, TOKEN);
        assertThat(elsewhere.status()).isEqualTo(503);
        assertThat(elsewhere.json().path("detail").asString())
                .contains("node n1 does not sync connection 'acme'")
                .contains("node n2 holds it").contains("http://10.0.0.2:8080/connections/acme/");
        assertThat(routes.call("POST", "/connections/globex/api/sync-now", null, TOKEN).json().path("detail")
                .asString()).contains("no node holds it at the moment");
    }
}
