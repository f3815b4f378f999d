package dev.crmsync.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.testing.CommandRun;
import dev.crmsync.testing.ServiceHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/held-deletes} over a running service: the deletes its delete circuit breaker holds, in the
 * contract's shape and the same as {@code crmsync deletes --json} gives beside the running service.
 */
class HeldDeletesApiTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ServiceHarness harness = ServiceHarness.start(
            "sync: { interval: 1s, reconcile-interval: 1s, delete-threshold: 0.01 }\n");

    @AfterEach
    void stop() {
        harness.closeCheckingTheContract();
    }

    @Test
    void shouldListTheDeletesTheBreakerHoldsAsTheCommandLineDoes() {
        // Given three new Customcrm products synced by the service, then deleted in Customcrm
        String customer = harness.customcrm().createAsUser(RecordType.CUSTOMER, Map.of("name", "Kattegat ApS"))
                .path("id").asString();
        List<String> products = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            products.add(harness.customcrm().createAsUser(RecordType.PRODUCT, Map.of("customer_id", customer,
                    "name", "Crane " + i)).path("id").asString());
        }
        await().atMost(PATIENCE).until(() -> harness.api("GET", "/api/links?q=Crane&flow=products", null).json()
                .path("items").size() == 3);
        products.forEach(p -> harness.customcrm().deleteAsUser(RecordType.PRODUCT, p));

        // When the service's breaker holds them
        await().atMost(PATIENCE).until(() -> harness.api("GET", "/api/held-deletes", null).json().size() == 3);
        JsonNode held = harness.api("GET", "/api/held-deletes?flow=products", null).json();

        // Then each says what it would delete
        assertThat(held).hasSize(3).allSatisfy(h -> {
            assertThat(h.path("flow").asString()).isEqualTo("products");
            assertThat(h.path("side").asString()).isEqualTo("customcrm");
            assertThat(products).contains(h.path("recordId").asString());
            assertThat(h.path("title").asString()).startsWith("Crane ");
            assertThat(h.path("otherSide").asString()).isEqualTo("webcrm");
            assertThat(h.path("wouldDo").asString())
                    .startsWith("delete webCRM Product " + h.path("otherRecordId").asString());
            assertThat(h.path("accepted").asBoolean()).isFalse();
        });
        assertThat(harness.api("GET", "/api/held-deletes?flow=organisations", null).json()).isEmpty();
        assertThat(harness.api("GET", "/api/held-deletes?flow=shoes", null).status()).isEqualTo(400);

        // And the command line, run beside the service on the same store, gives the same
        CommandRun run = new CommandRun();
        assertThat(run.crmsync("deletes", "--json", "--config", harness.configFile().toString()))
                .as(run.err()).isZero();
        assertThat(JsonMapper.builder().build().readTree(run.out())).isEqualTo(held);
    }
}
