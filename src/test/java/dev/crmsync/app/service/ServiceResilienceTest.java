package dev.crmsync.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.simulate.FaultSettings;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.testing.CommandRun;
import dev.crmsync.testing.ServiceHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The service keeps syncing through a system's restart and a burst of 429s, and says so in its status, its
 * readiness and its metrics.
 */
class ServiceResilienceTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void shouldReportCustomcrmDownAndCarryTheEditOverOnceItIsBack() {
        try (ServiceHarness harness = ServiceHarness.start()) {
            JsonNode link = awaitActiveOrganisationLink(harness);
            int webcrmId = Integer.parseInt(link.path("webcrmId").asString());
            String customcrmId = link.path("customcrmId").asString();

            // When Customcrm goes down and a webCRM user edits the organisation
            harness.stopCustomcrm();
            harness.webcrm().editAsUser(WebcrmEntity.ORGANISATION, webcrmId, Map.of("OrganisationName", "Outage ApS"));

            // Then the service reports Customcrm unreachable and itself not ready
            // (a request caught while the server shuts down may first get a 500; the next finds nobody there)
            await().atMost(PATIENCE).until(() -> system(harness, "customcrm").path("lastError").asString()
                    .contains("did not answer"));
            assertThat(system(harness, "customcrm").path("reachable").asBoolean()).isFalse();
            assertThat(harness.call("GET", "/health/ready", null, null).status()).isEqualTo(503);
            assertThat(harness.metric("crmsync_api_calls_total", "status=\"none\"", "system=\"customcrm\""))
                    .isPositive();

            // When Customcrm is back
            harness.startCustomcrmAgain();

            // Then the edit arrives, and the service is ready again
            await().atMost(PATIENCE).until(() -> harness.customcrm().record(RecordType.CUSTOMER, customcrmId)
                    .orElseThrow().path("name").asString().equals("Outage ApS"));
            await().atMost(PATIENCE).until(() -> harness.call("GET", "/health/ready", null, null).status() == 200);
            assertThat(system(harness, "customcrm").path("reachable").asBoolean()).isTrue();
        }
    }

    @Test
    void shouldLeaveASystemThatIsDownAloneAndGoOnByItselfOnceItAnswers() {
        // Given a service that gives up on a request after two attempts and then leaves the system alone for 2 s
        try (ServiceHarness harness = ServiceHarness.withSystemSettings(
                "retry-attempts: 2, retry-backoff: 50ms, retry-max-backoff: 100ms, circuit-open: 2s")) {
            JsonNode link = awaitActiveOrganisationLink(harness);
            String customcrmId = link.path("customcrmId").asString();

            // When Customcrm goes down and a webCRM user edits the organisation
            harness.stopCustomcrm();
            harness.webcrm().editAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(link.path("webcrmId").asString()),
                    Map.of("OrganisationName", "Circuit ApS"));

            // Then Customcrm's circuit opens, the flows say they wait for it, and name when it is tried again
            await().atMost(PATIENCE).until(() -> system(harness, "customcrm").path("circuit").path("state")
                    .asString().equals("open"));
            JsonNode circuit = system(harness, "customcrm").path("circuit");
            assertThat(circuit.path("nextTrialAt").asString()).isNotEmpty();
            assertThat(circuit.path("lastProblem").asString()).isNotEmpty();
            assertThat(harness.status().path("flows")).anySatisfy(flow ->
                    assertThat(flow.path("state").asString()).isEqualTo("system-down"));
            assertThat(system(harness, "webcrm").path("circuit").path("state").asString()).isEqualTo("closed");

            // When Customcrm is back
            harness.startCustomcrmAgain();

            // Then the service tries it by itself, the circuit closes, and the edit arrives
            await().atMost(PATIENCE).until(() -> harness.customcrm().record(RecordType.CUSTOMER, customcrmId)
                    .orElseThrow().path("name").asString().equals("Circuit ApS"));
            await().atMost(PATIENCE).until(() -> system(harness, "customcrm").path("circuit").path("state")
                    .asString().equals("closed"));
            await().atMost(PATIENCE).until(() -> harness.status().path("flows").findValuesAsString("state").stream()
                    .noneMatch("system-down"::equals));
        }
    }

    @Test
    void shouldStopCleanlyWithinTheGraceWhileABatchWaitsOutARetryAfter() {
        // Regression (issue 11): a batch waiting for the rate limit or a Retry-After held a stop past its grace
        try (ServiceHarness harness = ServiceHarness.start()) {
            JsonNode link = awaitActiveOrganisationLink(harness);
            String customcrmId = link.path("customcrmId").asString();

            // Given the service waits out a 429 that asks for two minutes, with an edit to carry
            harness.customcrm().faults().failNext(1, 429, Duration.ofMinutes(2));
            harness.webcrm().editAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(link.path("webcrmId").asString()),
                    Map.of("OrganisationName", "Patient ApS"));
            await().atMost(PATIENCE).until(() -> harness.customcrm().faults().pending() == 0);

            // When it is stopped with a grace far shorter than the wait, then started again
            boolean clean = harness.stopService(Duration.ofSeconds(10));
            harness.restartService();

            // Then the stop was clean, and the edit arrives after the restart
            assertThat(clean).as("the stop ended the waiting batch within its grace").isTrue();
            await().atMost(PATIENCE).until(() -> harness.customcrm().record(RecordType.CUSTOMER, customcrmId)
                    .orElseThrow().path("name").asString().equals("Patient ApS"));
        }
    }

    @Test
    void shouldWaitOutABurstOf429sAndCountThem() {
        try (ServiceHarness harness = ServiceHarness.start()) {
            JsonNode link = awaitActiveOrganisationLink(harness);
            String customcrmId = link.path("customcrmId").asString();

            // When webCRM throttles the next requests, and a webCRM user edits the organisation
            harness.webcrm().faults().failNext(4, 429, Duration.ofSeconds(1));
            harness.webcrm().editAsUser(WebcrmEntity.ORGANISATION, Integer.parseInt(link.path("webcrmId").asString()),
                    Map.of("OrganisationName", "Throttled A/S"));

            // Then the edit still arrives, and the 429s are counted in the status and the metrics
            await().atMost(PATIENCE).until(() -> harness.customcrm().record(RecordType.CUSTOMER, customcrmId)
                    .orElseThrow().path("name").asString().equals("Throttled A/S"));
            assertThat(system(harness, "webcrm").path("throttled").asLong()).isGreaterThanOrEqualTo(4);
            assertThat(harness.metric("crmsync_api_throttled_total", "system=\"webcrm\"")).isGreaterThanOrEqualTo(4);
            assertThat(system(harness, "webcrm").path("reachable").asBoolean()).isTrue();
        }
    }

    @Test
    void shouldStopAFirstSyncBetweenBatchesAndFinishItAfterARestartWithoutADuplicate() {
        // Given a first sync of many records, written ten at a time
        String config = "sync: { interval: 1s, reconcile-interval: 5s, batch-size: 10 }\n";
        try (ServiceHarness harness = ServiceHarness.start(new SeedPlan(0, 30, 40, 0), new SeedPlan(20, 30, 40, 0),
                config)) {
            // When the service stops while the first flow is part way through its plan: each webCRM request
            // takes a while, since a batch now costs webCRM one bulk write, and the plan would be through before a
            // poll of the status could see it part way
            harness.webcrm().faults().settings(new FaultSettings(Duration.ofMillis(300), 0, 0, 0));
            await().atMost(PATIENCE).until(() -> {
                JsonNode progress = harness.status().path("flows").get(0).path("progress");
                return progress.path("done").asInt() >= 10 && progress.path("done").asInt() < progress.path("total")
                        .asInt();
            });
            harness.restartService();
            harness.webcrm().faults().reset();

            // Then the restarted service finishes the sync: every organisation linked once on both sides
            await().atMost(PATIENCE).until(() -> {
                JsonNode flows = harness.status().path("flows");
                return !flows.get(1).path("lastCycle").isNull() && flows.get(0).path("state").asString()
                        .equals("waiting");
            });
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(harness.webcrm().count(WebcrmEntity.ORGANISATION)).isEqualTo(50);
                assertThat(harness.customcrm().count(RecordType.CUSTOMER)).isEqualTo(50);
                assertThat(harness.status().path("flows").get(0).path("links").asInt()).isEqualTo(50);
            });
        }
    }

    @Test
    void shouldRefuseASecondProcessSyncingTheSameStore() {
        try (ServiceHarness harness = ServiceHarness.start()) {
            // When someone runs a one-off sync beside the running service
            CommandRun run = new CommandRun();
            int status = run.crmsync("sync", "--config", harness.configFile().toString(), "--once");

            // Then it is refused before it reads or writes anything, and the service goes on
            assertThat(status).isEqualTo(3);
            assertThat(run.err()).contains("another crmsync is syncing with this store")
                    .contains("several processes sharing the connections need a PostgreSQL store");
            assertThat(harness.call("GET", "/health/live", null, null).status()).isEqualTo(200);
        }
    }

    private static JsonNode awaitActiveOrganisationLink(ServiceHarness harness) {
        return await().atMost(PATIENCE).until(() -> {
            for (JsonNode link : harness.api("GET", "/api/links?flow=organisations", null).json().path("items")) {
                if (link.path("state").asString().equals("active") && !link.path("customcrmId").isNull()) {
                    return link;
                }
            }
            return null;
        }, l -> l != null);
    }

    private static JsonNode system(ServiceHarness harness, String side) {
        for (JsonNode system : harness.status().path("systems")) {
            if (system.path("side").asString().equals(side)) {
                return system;
            }
        }
        throw new AssertionError("no system " + side);
    }
}
