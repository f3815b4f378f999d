package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.testing.HookReceiver;
import dev.crmsync.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** One simulator serving several tenants, told apart by application token, over real HTTP. */
class WebcrmTenantsHttpTest {

    private static final String TOKEN = "tenants-token";
    private static final String TENANT_1 = TOKEN + "-1";
    private static final String TENANT_2 = TOKEN + "-2";
    private static final String ORGANISATION = "{\"OrganisationName\":\"Fjord A/S\"}";

    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-15T10:00:00Z"));
    private WebcrmSimulator sim;
    private WebcrmHttp http;

    private void start(WebcrmSimulator.Builder builder) {
        sim = builder.token(TOKEN).clock(clock).build().start("127.0.0.1", 0);
        http = new WebcrmHttp(sim.baseUrl());
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.stop();
        }
    }

    @Test
    void shouldKeepARecordCreatedInOneTenantOutOfTheOther() throws Exception {
        // Given two empty tenants
        start(WebcrmSimulator.builder().tenants(2));
        String first = http.accessToken(TENANT_1);
        String second = http.accessToken(TENANT_2);

        // When tenant 1 creates an organisation
        HttpResponse<String> created = http.send("POST", "/Organisations", first, ORGANISATION);
        int id = Integer.parseInt(created.body());

        // Then tenant 1 reads it and tenant 2, with its own token, finds nothing
        assertThat(WebcrmHttp.json(http.get("/Organisations/" + id, first)).path("OrganisationName").asString())
                .isEqualTo("Fjord A/S");
        assertThat(http.get("/Organisations/" + id, second).statusCode()).isEqualTo(404);
        assertThat(WebcrmHttp.json(http.get("/Organisations", second))).isEmpty();
        assertThat(sim.tenant(1).count(WebcrmEntity.ORGANISATION)).isEqualTo(1);
        assertThat(sim.tenant(2).count(WebcrmEntity.ORGANISATION)).isZero();
    }

    @Test
    void shouldSeedEachTenantWithItsOwnSeedTheFirstAsASingleTenantSimulator() throws Exception {
        // Given two seeded tenants, and a simulator of one tenant seeded alike
        SeedPlan plan = new SeedPlan(0, 3, 4, 2);
        start(WebcrmSimulator.builder().tenants(2).seed(7).seedPlan(plan));
        try (WebcrmSimulator single = WebcrmSimulator.builder().token(TOKEN).clock(clock).seed(7).seedPlan(plan)
                .build()) {

            // When
            JsonNode first = WebcrmHttp.json(http.get("/Organisations/1", http.accessToken(TENANT_1)));
            JsonNode second = WebcrmHttp.json(http.get("/Organisations/1", http.accessToken(TENANT_2)));

            // Then both hold the plan's counts, with data of their own
            assertThat(sim.tenant(2).count(WebcrmEntity.PERSON)).isEqualTo(4);
            assertThat(first.path("OrganisationName").asString())
                    .isNotEqualTo(second.path("OrganisationName").asString());
            assertThat(first).isEqualTo(single.record(WebcrmEntity.ORGANISATION, 1).orElseThrow());
        }
    }

    @Test
    void shouldLimitEachTenantsRequestsOnItsOwn() throws Exception {
        // Given three requests a minute per token, all used up by tenant 1 (its login counts)
        start(WebcrmSimulator.builder().tenants(2).rateLimit(3, Duration.ofMinutes(1)));
        String first = http.accessToken(TENANT_1);
        http.get("/Organisations", first);
        http.get("/Organisations", first);

        // When
        HttpResponse<String> limited = http.get("/Organisations", first);
        HttpResponse<String> other = http.get("/Organisations", http.accessToken(TENANT_2));

        // Then
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(other.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseATokenOfNoTenant() throws Exception {
        // Given
        start(WebcrmSimulator.builder().tenants(2));

        // When
        HttpResponse<String> unnumbered = http.loginUrlEncoded(TOKEN);
        HttpResponse<String> pastTheLast = http.loginUrlEncoded(TOKEN + "-3");
        HttpResponse<String> madeUp = http.get("/Organisations", "made-up");

        // Then
        assertThat(unnumbered.statusCode()).isEqualTo(401);
        assertThat(WebcrmHttp.json(unnumbered).path("IsError").asBoolean()).isTrue();
        assertThat(pastTheLast.statusCode()).isEqualTo(401);
        assertThat(madeUp.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldInjectAFaultOnlyIntoTheTenantItIsQueuedFor() throws Exception {
        // Given two logged-in tenants, and a 503 queued for tenant 2 over its control route
        start(WebcrmSimulator.builder().tenants(2));
        String first = http.accessToken(TENANT_1);
        String second = http.accessToken(TENANT_2);
        HttpResponse<String> queued = http.send("POST", "/_sim/tenants/2/faults/fail-next", null,
                "{\"count\":1,\"status\":503}");

        // When
        HttpResponse<String> unfaulted = http.get("/Organisations", first);
        HttpResponse<String> faulted = http.get("/Organisations", second);

        // Then
        assertThat(WebcrmHttp.json(queued).path("queued").asInt()).isEqualTo(1);
        assertThat(unfaulted.statusCode()).isEqualTo(200);
        assertThat(faulted.statusCode()).isEqualTo(503);
        assertThat(sim.tenant(1).faults().served()).isZero();
        assertThat(sim.tenant(2).faults().served()).isEqualTo(1);
    }

    @Test
    void shouldQueueAFaultForEveryTenantOverTheRouteForAll() throws Exception {
        // Given
        start(WebcrmSimulator.builder().tenants(2));
        String first = http.accessToken(TENANT_1);
        String second = http.accessToken(TENANT_2);

        // When
        HttpResponse<String> queued = http.send("POST", "/_sim/faults/fail-next", null,
                "{\"count\":1,\"status\":502}");

        // Then each tenant meets it once, and the answer says so tenant by tenant
        assertThat(WebcrmHttp.json(queued).path("tenants").path("1").path("queued").asInt()).isEqualTo(1);
        assertThat(WebcrmHttp.json(queued).path("tenants").path("2").path("queued").asInt()).isEqualTo(1);
        assertThat(http.get("/Organisations", first).statusCode()).isEqualTo(502);
        assertThat(http.get("/Organisations", second).statusCode()).isEqualTo(502);
        assertThat(http.get("/Organisations", first).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldCountTrafficPerTenantAndInTotal() throws Exception {
        // Given tenant 1 logs in and reads twice, tenant 2 logs in and writes once, and one request has no token
        start(WebcrmSimulator.builder().tenants(2));
        String first = http.accessToken(TENANT_1);
        http.get("/Organisations", first);
        http.get("/Organisations", first);
        http.send("POST", "/Organisations", http.accessToken(TENANT_2), ORGANISATION);
        http.get("/Organisations", null);

        // When
        JsonNode one = WebcrmHttp.json(http.get("/_sim/tenants/1/traffic", null));
        JsonNode all = WebcrmHttp.json(http.get("/_sim/traffic", null));

        // Then
        assertThat(one.path("total").asLong()).isEqualTo(3);
        assertThat(one.path("writes").asLong()).isZero();
        assertThat(all.path("tenants").path("1")).isEqualTo(one);
        assertThat(all.path("tenants").path("2").path("total").asLong()).isEqualTo(2);
        assertThat(all.path("tenants").path("2").path("writes").asLong()).isEqualTo(1);
        assertThat(all.path("total").asLong()).isEqualTo(6);
        assertThat(all.path("writes").asLong()).isEqualTo(1);
        assertThat(all.path("byStatus").path("401").asLong()).isEqualTo(1);
        assertThat(sim.totalTraffic().total()).isEqualTo(6);
        assertThat(sim.tenant(2).traffic().snapshot().byRoute()).containsEntry("POST /Organisations", 1L);
    }

    @Test
    void shouldRevokeOneTenantsTokensAndLeaveTheOthers() throws Exception {
        // Given
        start(WebcrmSimulator.builder().tenants(2));
        String first = http.accessToken(TENANT_1);
        String second = http.accessToken(TENANT_2);

        // When tenant 2's tokens are revoked over its control route
        http.send("POST", "/_sim/tenants/2/revoke", null, null);

        // Then
        assertThat(http.get("/Organisations", first).statusCode()).isEqualTo(200);
        assertThat(http.get("/Organisations", second).statusCode()).isEqualTo(401);
        assertThat(http.loginUrlEncoded(TENANT_2).statusCode()).isEqualTo(401);
        assertThat(sim.tenant(1).revocation().revoked()).isFalse();
    }

    @Test
    void shouldDeliverAChangeOnlyToTheHooksOfItsTenant() throws Exception {
        // Given each tenant has a hook for organisation creates
        start(WebcrmSimulator.builder().tenants(2));
        try (HookReceiver receiver = new HookReceiver()) {
            String hook = "{\"Id\":0,\"TargetUrl\":\"%s\",\"IsEnabled\":true,\"Filter\":[\"All\"],\"EventType\":"
                    + "\"Create\"}";
            String first = http.accessToken(TENANT_1);
            String second = http.accessToken(TENANT_2);
            http.send("POST", "/Organisations/Hooks", first, hook.formatted(receiver.url("/first")));
            http.send("POST", "/Organisations/Hooks", second, hook.formatted(receiver.url("/second")));

            // When tenant 2 gets an organisation, through the API and from a user
            http.send("POST", "/Organisations", second, ORGANISATION);
            sim.tenant(2).createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Ny A/S"));

            // Then only tenant 2's hook hears of them, and tenant 1's hooks are its own
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveries().size() == 2);
            assertThat(receiver.deliveries()).allSatisfy(d -> assertThat(d.path()).isEqualTo("/second"));
            assertThat(WebcrmHttp.json(http.get("/Organisations/Hooks", first))).hasSize(1);
            assertThat(http.get("/Organisations/Hooks/1", first).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldAnswer404ForATenantTheSimulatorDoesNotHave() throws Exception {
        // Given
        start(WebcrmSimulator.builder().tenants(2));

        // When
        HttpResponse<String> missing = http.get("/_sim/tenants/3/faults", null);
        HttpResponse<String> notANumber = http.get("/_sim/tenants/all/traffic", null);

        // Then
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no tenant 3", "tenants 1 to 2");
        assertThat(notANumber.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldTakeTheTokenAsGivenWithoutTenantsAndAnswerTheOnlyTenantsRoutes() throws Exception {
        // Given a simulator built without tenants
        start(WebcrmSimulator.builder());
        String access = http.accessToken(TOKEN);
        http.send("POST", "/_sim/faults/fail-next", null, "{\"count\":1,\"status\":503}");

        // When
        HttpResponse<String> faulted = http.get("/Organisations", access);
        JsonNode traffic = WebcrmHttp.json(http.get("/_sim/traffic", null));
        JsonNode tenantTraffic = WebcrmHttp.json(http.get("/_sim/tenants/1/traffic", null));

        // Then
        assertThat(faulted.statusCode()).isEqualTo(503);
        assertThat(traffic.has("tenants")).isFalse();
        assertThat(traffic.path("total").asLong()).isEqualTo(2);
        assertThat(tenantTraffic).isEqualTo(traffic);
        assertThat(http.loginUrlEncoded(TENANT_1).statusCode()).isEqualTo(401);
        assertThat(sim.tenant(1).applicationTokens()).containsExactly(TOKEN);
    }

    @Test
    void shouldNameTenantsInTheTokensOfASimulatorBuiltForOneTenant() throws Exception {
        // Given
        start(WebcrmSimulator.builder().tenants(1));

        // When
        HttpResponse<String> numbered = http.loginUrlEncoded(TENANT_1);
        HttpResponse<String> given = http.loginUrlEncoded(TOKEN);

        // Then
        assertThat(numbered.statusCode()).isEqualTo(200);
        assertThat(given.statusCode()).isEqualTo(401);
        assertThat(sim.faults()).isSameAs(sim.tenant(1).faults());
    }

    @Test
    void shouldRefuseTheSingleTenantMethodsOfASimulatorWithSeveralTenants() {
        // Given
        start(WebcrmSimulator.builder().tenants(3));

        // When / Then
        assertThatThrownBy(() -> sim.count(WebcrmEntity.ORGANISATION)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tenants 1 to 3").hasMessageContaining("tenant(k)");
        assertThatThrownBy(() -> sim.tenant(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no tenant 4");
        assertThatThrownBy(() -> WebcrmSimulator.builder().tenants(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenants must be 1 or more");
    }
}
