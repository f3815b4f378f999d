package dev.crmsync.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.simulate.FaultSettings;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.testing.ServiceHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Each flow's turn ends ok, failed or held by the delete circuit breaker, and the service says so in the metric
 * {@code crmsync_cycles_total{flow,result}}, in {@code /api/status} ({@code lastResult}) and in
 * {@code /health/ready} ({@code failingFlows}), which stays 200 while the systems answer.
 */
class CycleOutcomeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void shouldCountAFailingFlowAndNameItInReadinessWithoutMakingTheServiceUnready() {
        try (ServiceHarness harness = ServiceHarness.withSystemSettings(
                "retry-attempts: 2, retry-backoff: 50ms, retry-max-backoff: 100ms")) {
            // Given every flow synced once
            await().atMost(PATIENCE).until(() -> cycles(harness, "organisations", "ok") >= 1
                    && cycles(harness, "products", "ok") >= 1);
            JsonNode ready = harness.call("GET", "/health/ready", null, null).json();
            assertThat(ready.path("failingFlows")).isEmpty();
            assertThat(ready.path("flows").path("organisations").path("lastResult").asString()).isEqualTo("ok");
            assertThat(flow(harness, "organisations").path("lastResult").asString()).isEqualTo("ok");
            double failedBefore = cycles(harness, "organisations", "failed");

            // When every page webCRM sends is garbled: it answers, so it is reachable, but every turn fails
            harness.webcrm().faults().settings(new FaultSettings(Duration.ZERO, 0, 0, 1.0));

            // Then the failed turns are counted, the status says failed, and readiness names the flow but stays
            // 200: the service is up and reaches both systems, and a restart would mend nothing
            await().atMost(PATIENCE).until(() -> cycles(harness, "organisations", "failed") >= failedBefore + 2);
            ServiceHarness.Response failing = harness.call("GET", "/health/ready", null, null);
            assertThat(failing.status()).isEqualTo(200);
            assertThat(failing.json().path("status").asString()).isEqualTo("up");
            assertThat(names(failing.json().path("failingFlows"))).contains("organisations");
            JsonNode organisations = failing.json().path("flows").path("organisations");
            assertThat(organisations.path("lastResult").asString()).isEqualTo("failed");
            assertThat(organisations.path("since").asString()).isNotEmpty();
            assertThat(failing.body()).doesNotContain(ServiceHarness.WEBCRM_TOKEN);
            JsonNode status = flow(harness, "organisations");
            assertThat(status.path("lastResult").asString()).isEqualTo("failed");
            assertThat(status.path("state").asString()).isEqualTo("failing");
            // The failure started with the first failed turn, not with the latest
            assertThat(Instant.parse(status.path("lastResultSince").asString()))
                    .isBefore(Instant.parse(status.path("lastCycle").path("finishedAt").asString()));

            // When webCRM takes requests again
            harness.webcrm().faults().reset();
            double okBefore = cycles(harness, "organisations", "ok");

            // Then the next turn is counted ok and readiness names no flow
            await().atMost(PATIENCE).until(() -> cycles(harness, "organisations", "ok") > okBefore);
            await().atMost(PATIENCE).until(() -> harness.call("GET", "/health/ready", null, null).json()
                    .path("failingFlows").isEmpty());
            assertThat(flow(harness, "organisations").path("lastResult").asString()).isEqualTo("ok");
            assertThat(harness.contractViolations()).isEmpty();
        }
    }

    @Test
    void shouldCountAFlowWhoseDeletesTheBreakerHoldsAsHeld() {
        try (ServiceHarness harness = ServiceHarness.start()) {
            // Given the products linked (three from each system)
            await().atMost(PATIENCE).until(() -> flow(harness, "products").path("links").asInt() == 6);
            assertThat(cycles(harness, "products", "held")).isZero();

            // When half of them are deleted in Customcrm, past the breaker's 20 %
            List<String> ids = new ArrayList<>();
            for (JsonNode link : harness.api("GET", "/api/links?flow=products", null).json().path("items")) {
                ids.add(link.path("customcrmId").asString());
            }
            ids.subList(0, 3).forEach(id -> harness.customcrm().deleteAsUser(RecordType.PRODUCT, id));

            // Then the products' turns are counted held, and readiness names the flow while staying 200
            await().atMost(PATIENCE).until(() -> cycles(harness, "products", "held") >= 1);
            ServiceHarness.Response ready = harness.call("GET", "/health/ready", null, null);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(names(ready.json().path("failingFlows"))).containsExactly("products");
            assertThat(ready.json().path("flows").path("products").path("lastResult").asString()).isEqualTo("held");
            JsonNode products = flow(harness, "products");
            assertThat(products.path("lastResult").asString()).isEqualTo("held");
            assertThat(products.path("lastError").asString()).contains("would delete or retire");
            assertThat(cycles(harness, "products", "failed")).isZero();

            // And a flow paused by a person is not named, though its last turn was held
            harness.api("POST", "/api/flows/products/pause", null);
            assertThat(harness.call("GET", "/health/ready", null, null).json().path("failingFlows")).isEmpty();
            assertThat(harness.contractViolations()).isEmpty();
        }
    }

    private static JsonNode flow(ServiceHarness harness, String name) {
        for (JsonNode flow : harness.status().path("flows")) {
            if (flow.path("flow").asString().equals(name)) {
                return flow;
            }
        }
        throw new AssertionError("no flow " + name);
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    /** The value of {@code crmsync_cycles_total{flow,result}}. */
    static double cycles(ServiceHarness harness, String flow, String result) {
        return harness.metric("crmsync_cycles_total", "flow=\"" + flow + "\"", "result=\"" + result + "\"");
    }
}
