package dev.crmsync.app.simulate.customcrm;

import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.body;
import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.testing.HookReceiver;
import dev.crmsync.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** One reference server serving several tenants, told apart by API key, over real HTTP. */
class CustomcrmTenantsTest {

    private static final String KEY = "tenants-key";
    private static final String CUSTOMER = body("{'name':'Fjord A/S'}");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T09:30:00Z"));
    private CustomcrmSimulator sim;
    private CustomcrmTestClient first;
    private CustomcrmTestClient second;

    private void start(CustomcrmSimulator.Builder builder) {
        sim = builder.apiKey(KEY).clock(clock).build().start("127.0.0.1", 0);
        first = new CustomcrmTestClient(sim, 1);
        second = new CustomcrmTestClient(sim, 2);
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.stop();
        }
    }

    @Test
    void shouldKeepARecordCreatedInOneTenantOutOfTheOther() {
        // Given two empty tenants
        start(CustomcrmSimulator.builder().tenants(2));

        // When tenant 1 creates a customer
        String id = first.create("/customers", CUSTOMER).path("id").asString();

        // Then tenant 1 reads it and tenant 2, with its own key, finds nothing
        assertThat(json(first.get("/customers/" + id)).path("name").asString()).isEqualTo("Fjord A/S");
        assertThat(second.get("/customers/" + id).statusCode()).isEqualTo(404);
        assertThat(json(second.get("/customers")).path("items")).isEmpty();
        assertThat(sim.tenant(1).count(RecordType.CUSTOMER)).isEqualTo(1);
        assertThat(sim.tenant(2).count(RecordType.CUSTOMER)).isZero();
        assertThat(first.withKey(KEY + "-2").get("/customers/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldSeedEachTenantWithItsOwnSeedTheFirstAsASingleTenantServer() {
        // Given two seeded tenants, and a server of one tenant seeded alike
        SeedPlan plan = new SeedPlan(40, 3, 4, 2);
        start(CustomcrmSimulator.builder().tenants(2).seed(7).seedPlan(plan));
        try (CustomcrmSimulator single = CustomcrmSimulator.builder().apiKey(KEY).clock(clock).seed(7)
                .seedPlan(plan).build().start("127.0.0.1", 0)) {

            // When
            JsonNode inFirst = json(first.get("/customers/cus_1"));
            JsonNode inSecond = json(second.get("/customers/cus_1"));

            // Then both hold the plan's counts, with data of their own
            assertThat(sim.tenant(2).count(RecordType.CONTACT)).isEqualTo(4);
            assertThat(inFirst.path("name").asString()).isNotEqualTo(inSecond.path("name").asString());
            assertThat(inFirst.toString()).isEqualTo(single.record(RecordType.CUSTOMER, "cus_1").orElseThrow()
                    .toString());
        }
    }

    @Test
    void shouldLimitEachTenantsRequestsOnItsOwn() {
        // Given three requests a minute per key, all used up by tenant 1
        start(CustomcrmSimulator.builder().tenants(2).rateLimit(3, Duration.ofMinutes(1)));
        for (int i = 0; i < 3; i++) {
            first.get("/customers");
        }

        // When
        HttpResponse<String> limited = first.get("/customers");
        HttpResponse<String> other = second.get("/customers");

        // Then
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(other.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseAKeyOfNoTenant() {
        // Given
        start(CustomcrmSimulator.builder().tenants(2));

        // When
        HttpResponse<String> unnumbered = first.withKey(KEY).get("/customers");
        HttpResponse<String> pastTheLast = first.withKey(KEY + "-3").get("/customers");
        HttpResponse<String> none = first.withKey(null).get("/customers");

        // Then
        assertThat(unnumbered.statusCode()).isEqualTo(401);
        assertThat(json(unnumbered).path("detail").asString()).isEqualTo("the API key is not valid");
        assertThat(pastTheLast.statusCode()).isEqualTo(401);
        assertThat(none.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldInjectAFaultOnlyIntoTheTenantItIsQueuedFor() {
        // Given a 503 queued for tenant 2 over its control route, and a lost answer for tenant 1 from the test
        start(CustomcrmSimulator.builder().tenants(2));
        HttpResponse<String> queued = first.withKey(null).post("/_sim/tenants/2/faults/fail-next",
                body("{'count':1,'status':503}"));
        sim.tenant(1).faults().failNext(1, 502, Duration.ZERO);

        // When
        HttpResponse<String> firstFaulted = first.get("/customers");
        HttpResponse<String> secondFaulted = second.get("/customers");
        HttpResponse<String> firstServed = first.get("/customers");
        HttpResponse<String> secondServed = second.get("/customers");

        // Then
        assertThat(json(queued).path("queued").asInt()).isEqualTo(1);
        assertThat(firstFaulted.statusCode()).isEqualTo(502);
        assertThat(secondFaulted.statusCode()).isEqualTo(503);
        assertThat(firstServed.statusCode()).isEqualTo(200);
        assertThat(secondServed.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldSwitchStandingFaultsForAllTenantsAndOffForOne() {
        // Given every request of every tenant failing
        start(CustomcrmSimulator.builder().tenants(2));
        CustomcrmTestClient control = first.withKey(null);
        control.put("/_sim/faults", body("{'serverErrorRate':1}"));

        // When tenant 1's faults are switched off
        HttpResponse<String> cleared = control.delete("/_sim/tenants/1/faults");

        // Then
        assertThat(json(cleared).path("serverErrorRate").asDouble()).isZero();
        assertThat(first.get("/customers").statusCode()).isEqualTo(200);
        assertThat(second.get("/customers").statusCode()).isGreaterThanOrEqualTo(500);
        JsonNode all = json(control.get("/_sim/faults"));
        assertThat(all.path("tenants").path("1").path("serverErrorRate").asDouble()).isZero();
        assertThat(all.path("tenants").path("2").path("serverErrorRate").asDouble()).isEqualTo(1);
    }

    @Test
    void shouldCountTrafficPerTenantAndInTotal() {
        // Given tenant 1 writes and reads, tenant 2 reads, and one request sends no key
        start(CustomcrmSimulator.builder().tenants(2));
        first.create("/customers", CUSTOMER);
        first.get("/customers");
        second.get("/customers");
        first.withKey(null).get("/customers");

        // When
        JsonNode one = json(first.withKey(null).get("/_sim/tenants/1/traffic"));
        JsonNode all = json(first.withKey(null).get("/_sim/traffic"));

        // Then
        assertThat(one.path("total").asLong()).isEqualTo(2);
        assertThat(one.path("writes").asLong()).isEqualTo(1);
        assertThat(all.path("tenants").path("1")).isEqualTo(one);
        assertThat(all.path("tenants").path("2").path("total").asLong()).isEqualTo(1);
        assertThat(all.path("total").asLong()).isEqualTo(4);
        assertThat(all.path("byRoute").path("GET /customers").asLong()).isEqualTo(3);
        assertThat(sim.totalTraffic().byStatus()).containsEntry(401, 1L);
        assertThat(sim.tenant(2).traffic().snapshot().writes()).isZero();

        // When all counts are reset
        first.withKey(null).delete("/_sim/traffic");

        // Then
        assertThat(sim.totalTraffic().total()).isZero();
    }

    @Test
    void shouldRevokeOneTenantsKeyAndLeaveTheOthers() {
        // Given tenant 1's key is revoked after one more write, over its control route
        start(CustomcrmSimulator.builder().tenants(2));
        first.withKey(null).post("/_sim/tenants/1/revoke", body("{'afterWrites':1}"));

        // When
        HttpResponse<String> lastWrite = first.post("/customers", CUSTOMER);
        HttpResponse<String> refused = first.post("/customers", CUSTOMER);
        HttpResponse<String> other = second.post("/customers", CUSTOMER);

        // Then
        assertThat(lastWrite.statusCode()).isEqualTo(201);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(json(first.withKey(null).get("/_sim/revoke")).path("tenants").path("2").path("revoked")
                .asBoolean()).isFalse();
    }

    @Test
    void shouldDeliverAChangeOnlyToTheWebhooksOfItsTenant() {
        // Given each tenant has a subscription to customers
        start(CustomcrmSimulator.builder().tenants(2));
        try (HookReceiver receiver = new HookReceiver()) {
            String subscription = "{'url':'%s','secret':'tenant-webhook-secret-0123','types':['customers']}";
            first.post("/webhooks", body(subscription.formatted(receiver.url("/first"))));
            second.post("/webhooks", body(subscription.formatted(receiver.url("/second"))));

            // When tenant 2 gets customers, through the API and from a user
            second.create("/customers", CUSTOMER);
            sim.tenant(2).createAsUser(RecordType.CUSTOMER, Map.of("name", "Ny A/S"));

            // Then only tenant 2's subscription hears of them
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveries().size() == 2);
            assertThat(receiver.deliveries()).allSatisfy(d -> assertThat(d.path()).isEqualTo("/second"));
            assertThat(sim.tenant(1).store().webhooks().dispatched()).isZero();
            assertThat(json(first.get("/webhooks")).path("items")).hasSize(1);
        }
    }

    @Test
    void shouldKeepEachTenantInAFileOfItsOwnAcrossARestart() {
        // Given two tenants on a database file, each with a customer of its own
        Path file = dir.resolve("customcrm.db");
        start(CustomcrmSimulator.builder().tenants(2).database(file));
        first.create("/customers", CUSTOMER);
        sim.stop();

        // When a server of the same tenants starts on the same file
        start(CustomcrmSimulator.builder().tenants(2).database(file));

        // Then
        assertThat(dir.resolve("customcrm-1.db")).exists();
        assertThat(dir.resolve("customcrm-2.db")).exists();
        assertThat(dir.resolve("customcrm.db")).doesNotExist();
        assertThat(sim.tenant(1).count(RecordType.CUSTOMER)).isEqualTo(1);
        assertThat(sim.tenant(2).count(RecordType.CUSTOMER)).isZero();
    }

    @Test
    void shouldRefuseTheSingleTenantMethodsOfAServerWithSeveralTenants() {
        // Given
        start(CustomcrmSimulator.builder().tenants(2));

        // When / Then
        assertThatThrownBy(() -> sim.apiKey()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tenants 1 to 2").hasMessageContaining("tenant(k)");
        assertThatThrownBy(() -> sim.tenant(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no tenant 3");
        assertThat(sim.tenants()).extracting(CustomcrmTenant::apiKey).containsExactly(KEY + "-1", KEY + "-2");
    }
}
