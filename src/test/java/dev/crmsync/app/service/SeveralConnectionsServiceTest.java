package dev.crmsync.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Side;
import dev.crmsync.app.simulate.FaultSettings;
import dev.crmsync.testing.CapturedLogs;
import dev.crmsync.testing.ConnectionsHarness;
import dev.crmsync.testing.HookReceiver;
import dev.crmsync.testing.ServiceHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One {@code crmsync run} serves every connection of a file: each syncs its own pair into its own store on a
 * worker of its own, under its own routes of the one server, and a connection whose system is down holds no other.
 */
class SeveralConnectionsServiceTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shouldSyncEachConnectionIntoItsOwnStoreAndServeEachUnderItsName() {
        try (ConnectionsHarness harness = ConnectionsHarness.start("acme", "globex", "initech")) {
            // Given three connections, each linked over its own systems
            for (String name : List.of("acme", "globex", "initech")) {
                awaitActiveOrganisationLink(harness, name);
            }

            // When a webCRM user of globex renames an organisation
            JsonNode link = awaitActiveOrganisationLink(harness, "globex");
            harness.webcrm("globex").editAsUser(WebcrmEntity.ORGANISATION,
                    Integer.parseInt(link.path("webcrmId").asString()), Map.of("OrganisationName", "Globex Nord"));

            // Then the name arrives in globex's Customcrm, and each connection keeps its state in a store of its own
            String customcrmId = link.path("customcrmId").asString();
            await().atMost(PATIENCE).until(() -> harness.customcrm("globex").record(RecordType.CUSTOMER, customcrmId)
                    .orElseThrow().path("name").asString().equals("Globex Nord"));
            assertThat(harness.dir().resolve("crmsync-acme.db")).exists();
            assertThat(harness.dir().resolve("crmsync-globex.db")).exists();
            assertThat(harness.dir().resolve("crmsync-initech.db")).exists();

            // When a person pauses acme's persons
            ServiceHarness.Response paused = harness.api("POST", "/connections/acme/api/flows/persons/pause", null);

            // Then only acme's flow is paused, and the list of connections says so
            assertThat(paused.status()).isEqualTo(200);
            assertThat(flow(harness.api("GET", "/connections/acme/api/status", null).json(), "persons")
                    .path("paused").asBoolean()).isTrue();
            assertThat(flow(harness.api("GET", "/connections/globex/api/status", null).json(), "persons")
                    .path("paused").asBoolean()).isFalse();
            JsonNode connections = harness.api("GET", "/api/connections", null).json().path("connections");
            assertThat(connections).extracting(c -> c.path("name").asString())
                    .containsExactly("acme", "globex", "initech");
            assertThat(connections).extracting(c -> c.path("path").asString())
                    .containsExactly("/connections/acme/", "/connections/globex/", "/connections/initech/");
            assertThat(connections.get(0).path("pausedFlows")).extracting(JsonNode::asString)
                    .containsExactly("persons");
            assertThat(connections.get(1).path("pausedFlows")).isEmpty();
            assertThat(connections).allSatisfy(c -> {
                assertThat(c.path("deadLetters").asLong()).isZero();
                assertThat(c.path("systems").path("webcrm").path("up").asBoolean()).isTrue();
            });
            // And every answer held to the contract
            assertThat(harness.contractViolations()).isEmpty();
        }
    }

    @Test
    void shouldGoOnSyncingTheOthersWhileOneConnectionsSystemIsDown() {
        try (ConnectionsHarness harness = ConnectionsHarness.start("acme", "globex")) {
            JsonNode acmeLink = awaitActiveOrganisationLink(harness, "acme");
            awaitActiveOrganisationLink(harness, "globex");

            // When globex's Customcrm goes down, and then a webCRM user of acme renames an organisation
            harness.customcrm("globex").stop();
            harness.webcrm("acme").editAsUser(WebcrmEntity.ORGANISATION,
                    Integer.parseInt(acmeLink.path("webcrmId").asString()), Map.of("OrganisationName", "Acme Nord"));

            // Then the name arrives in acme's Customcrm all the same
            String customcrmId = acmeLink.path("customcrmId").asString();
            await().atMost(PATIENCE).until(() -> harness.customcrm("acme").record(RecordType.CUSTOMER, customcrmId)
                    .orElseThrow().path("name").asString().equals("Acme Nord"));

            // And the service is not ready, and says it is globex that is not
            await().atMost(PATIENCE).until(() -> harness.call("GET", "/health/ready", null, null).status() == 503);
            JsonNode ready = harness.call("GET", "/health/ready", null, null).json();
            assertThat(ready.path("status").asString()).isEqualTo("down");
            assertThat(ready.path("notReady")).extracting(JsonNode::asString).containsExactly("globex");
            assertThat(ready.path("connections").path("acme").path("status").asString()).isEqualTo("up");
            assertThat(ready.path("connections").path("globex").path("checks").path("customcrm").path("up")
                    .asBoolean()).isFalse();
            JsonNode connections = harness.api("GET", "/api/connections", null).json().path("connections");
            assertThat(connections.get(0).path("status").asString()).isEqualTo("up");
            assertThat(connections.get(1).path("status").asString()).isEqualTo("down");
            assertThat(connections.get(1).path("systems").path("customcrm").path("up").asBoolean()).isFalse();
            assertThat(harness.contractViolations()).isEmpty();
        }
    }

    @Test
    void shouldNameTheConnectionInItsNotificationsAndLogLines() {
        try (CapturedLogs logs = new CapturedLogs();
             HookReceiver receiver = new HookReceiver();
             ConnectionsHarness harness = ConnectionsHarness.withShared("notify: { url: \"" + receiver.url("/alerts")
                     + "\", retry-attempts: 2, retry-backoff: 50ms }\n", "acme", "globex")) {
            awaitActiveOrganisationLink(harness, "globex");

            // When globex's webCRM answers every request with a 500
            harness.webcrm("globex").faults().settings(new FaultSettings(Duration.ZERO, 1.0, 0, 0));

            // Then the receiver hears that a flow of globex is failing, named in the event and its text
            JsonNode failing = await().atMost(PATIENCE).until(() -> receiver.deliveries("/alerts").stream()
                    .map(d -> JSON.readTree(d.body())).filter(e -> e.path("event").asString().equals("failing"))
                    .findFirst().orElse(null), e -> e != null);
            assertThat(failing.path("connection").asString()).isEqualTo("globex");
            assertThat(failing.path("text").asString()).startsWith("crmsync (globex): ");
            // And the workers' log lines say whose cycle they are about
            assertThat(logs.lines()).filteredOn(e -> e.getThreadName().equals("crmsync-sync"))
                    .extracting(e -> e.getMDCPropertyMap().get("connection")).contains("acme", "globex")
                    .doesNotContainNull();
        }
    }

    @Test
    void shouldTagEveryCrmsyncSeriesWithItsConnection() {
        try (ConnectionsHarness harness = ConnectionsHarness.start("acme", "globex")) {
            // Given both connections have read records
            await().atMost(PATIENCE).until(() ->
                    harness.metric("crmsync_records_read_total", "connection=\"acme\"") > 0
                            && harness.metric("crmsync_records_read_total", "connection=\"globex\"") > 0);

            // When Prometheus scrapes
            String text = harness.call("GET", "/metrics", null, null).body();

            // Then every crmsync sample names its connection, and the JVM's are there once, without one
            List<String> untagged = new ArrayList<>();
            for (String line : text.lines().toList()) {
                if (line.startsWith("crmsync_") && !line.contains("connection=\"")) {
                    untagged.add(line);
                }
            }
            assertThat(untagged).isEmpty();
            assertThat(text).contains("crmsync_cycles_total{connection=\"globex\",flow=\"persons\",result=\"ok\"}");
            assertThat(text).contains("crmsync_dead_letters_current{connection=\"acme\",flow=\"organisations\"} 0");
            assertThat(text).containsPattern("(?m)^jvm_threads_live_threads ");
        }
    }

    @Test
    void shouldGuardEachConnectionsRoutesWithTheTokenAndServeNoneAtTheRoot() {
        try (ConnectionsHarness harness = ConnectionsHarness.start("acme", "globex")) {
            // When a connection's status is asked without the token, with it, and at the root
            ServiceHarness.Response without = harness.call("GET", "/connections/acme/api/status", null, null);
            ServiceHarness.Response with = harness.api("GET", "/connections/acme/api/status", null);
            ServiceHarness.Response root = harness.api("GET", "/api/status", null);
            ServiceHarness.Response unknown = harness.api("GET", "/connections/nobody/api/status", null);

            // Then only the token opens it, and there is no connection's route where none is named
            assertThat(without.status()).isEqualTo(401);
            assertThat(with.status()).isEqualTo(200);
            assertThat(with.json().path("flows")).hasSize(3);
            assertThat(root.status()).isEqualTo(404);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(harness.call("GET", "/api/connections", null, null).status()).isEqualTo(401);

            // And each connection's dashboard is served under its name, with its files beside it
            ServiceHarness.Response page = harness.call("GET", "/connections/acme/", null, null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(harness.call("GET", "/connections/acme/dashboard.js", null, null).status()).isEqualTo(200);
            ServiceHarness.Response bare = harness.call("GET", "/connections/acme", null, null);
            assertThat(bare.status()).isEqualTo(302);
            assertThat(bare.header("Location")).contains("/connections/acme/");
            assertThat(bare.header("X-Frame-Options")).contains("DENY");
        }
    }

    @Test
    void shouldStopEveryConnectionCleanly() {
        ConnectionsHarness harness = ConnectionsHarness.start("acme", "globex");
        try {
            awaitActiveOrganisationLink(harness, "acme");
            awaitActiveOrganisationLink(harness, "globex");
            // Given each connection has one writer: the service
            for (CrmsyncConfig config : harness.configs()) {
                assertThatThrownBy(() -> SyncConnection.open(config).close()).as(config.connection())
                        .isInstanceOf(RuntimeException.class);
            }

            // When the service is stopped, as SIGTERM stops it
            boolean clean = harness.service().stop(Duration.ofSeconds(30));

            // Then each connection ended its batch and let go of its store
            assertThat(clean).isTrue();
            assertThat(harness.service().stop(Duration.ZERO)).as("a second stop answers as the first").isTrue();
            for (CrmsyncConfig config : harness.configs()) {
                SyncConnection.open(config).close();
            }
        } finally {
            harness.close();
        }
    }

    @Test
    void shouldHearEachConnectionsChangeHooksOnItsOwnRoutes() {
        try (ConnectionsHarness harness = ConnectionsHarness.withHooks(
                "{ interval: 1h, reconcile-interval: 1h }", "acme", "globex")) {
            // Given the first syncs done, the next polls an hour away, and every connection's hooks registered
            JsonNode acmeLink = awaitActiveOrganisationLink(harness, "acme");
            JsonNode globexLink = awaitActiveOrganisationLink(harness, "globex");
            for (String name : List.of("acme", "globex")) {
                await().atMost(PATIENCE).until(() -> harness.service().hooks(name).orElseThrow()
                        .isRegistered(Side.WEBCRM) && harness.service().hooks(name).orElseThrow()
                        .isRegistered(Side.CUSTOMCRM));
                await().atMost(PATIENCE).until(() -> flow(harness.api("GET", "/connections/" + name
                        + "/api/status", null).json(), "organisations").path("state").asString().equals("waiting"));
            }

            // When a webCRM user of acme and a Customcrm user of globex edit an organisation
            harness.webcrm("acme").editAsUser(WebcrmEntity.ORGANISATION,
                    Integer.parseInt(acmeLink.path("webcrmId").asString()), Map.of("OrganisationName", "Acme Hooked"));
            harness.customcrm("globex").editAsUser(RecordType.CUSTOMER, globexLink.path("customcrmId").asString(),
                    Map.of("phone", "+45 44 44 44 44"));

            // Then each hook reaches its own connection, whose cycle carries the edit over
            await().atMost(PATIENCE).until(() -> harness.customcrm("acme").record(RecordType.CUSTOMER,
                    acmeLink.path("customcrmId").asString()).orElseThrow().path("name").asString()
                    .equals("Acme Hooked"));
            await().atMost(PATIENCE).until(() -> harness.webcrm("globex").record(WebcrmEntity.ORGANISATION,
                    Integer.parseInt(globexLink.path("webcrmId").asString())).orElseThrow()
                    .path("OrganisationTelephone").asString().equals("+45 44 44 44 44"));
            assertThat(harness.service().hooks("acme").orElseThrow().received(Side.WEBCRM)).isPositive();
            assertThat(harness.service().hooks("globex").orElseThrow().received(Side.CUSTOMCRM)).isPositive();
            // And no delivery came to another connection's route, where its key or signature would be refused
            for (String name : List.of("acme", "globex")) {
                for (Side side : Side.values()) {
                    assertThat(harness.service().hooks(name).orElseThrow().refused(side)).as(name + " " + side)
                            .isZero();
                }
            }
        }
    }

    private static JsonNode awaitActiveOrganisationLink(ConnectionsHarness harness, String connection) {
        return await().atMost(PATIENCE).until(() -> {
            for (JsonNode link : harness.api("GET", "/connections/" + connection + "/api/links?flow=organisations",
                    null).json().path("items")) {
                if (link.path("state").asString().equals("active") && !link.path("customcrmId").isNull()) {
                    return link;
                }
            }
            return null;
        }, l -> l != null);
    }

    private static JsonNode flow(JsonNode status, String name) {
        for (JsonNode flow : status.path("flows")) {
            if (flow.path("flow").asString().equals(name)) {
                return flow;
            }
        }
        throw new AssertionError("no flow " + name + " in " + status);
    }
}
