package dev.crmsync.app.simulate.customcrm;

import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.body;
import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.app.simulate.TrafficLog;
import dev.crmsync.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CustomcrmRateLimitAndFaultsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T09:30:00Z"));
    private CustomcrmSimulator sim;
    private CustomcrmTestClient client;

    @BeforeEach
    void start() {
        sim = CustomcrmSimulator.builder().apiKey("K").clock(clock).rateLimit(3, Duration.ofMinutes(1)).build()
                .start("127.0.0.1", 0);
        client = new CustomcrmTestClient(sim);
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    @Test
    void shouldAnswer429WithRetryAfterOnceTheLimitIsReachedUntilTheWindowMoves() {
        // Given three requests in the same second
        for (int i = 0; i < 3; i++) {
            assertThat(client.get("/customers").statusCode()).isEqualTo(200);
        }

        // When
        HttpResponse<String> limited = client.get("/customers");
        clock.advance(Duration.ofSeconds(45));
        HttpResponse<String> stillLimited = client.get("/customers");
        clock.advance(Duration.ofSeconds(15));
        HttpResponse<String> admitted = client.get("/customers");

        // Then
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("60");
        assertThat(limited.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
        assertThat(json(limited).path("type").asString()).endsWith("/rate-limited");
        assertThat(stillLimited.headers().firstValue("Retry-After")).contains("15");
        assertThat(admitted.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldNeitherLimitNorGuardTheControlRoutesAndTheContract() {
        // Given the limit is used up
        for (int i = 0; i < 4; i++) {
            client.get("/customers");
        }

        // When
        HttpResponse<String> contract = client.withKey(null).get("/openapi.yaml");
        HttpResponse<String> traffic = client.withKey(null).get("/_sim/traffic");

        // Then
        assertThat(contract.statusCode()).isEqualTo(200);
        assertThat(contract.body()).startsWith("openapi: 3.1.0");
        assertThat(traffic.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerInjectedFaultsAsProblemsThenServeNormally() {
        // Given one fault queued over HTTP, one from the test
        HttpResponse<String> queued = client.send("POST", "/_sim/faults/fail-next",
                body("{'count':1,'status':503,'retryAfterSeconds':7}"), "application/json");
        sim.faults().failNext(1, 502, Duration.ZERO);

        // When
        HttpResponse<String> unavailable = client.get("/customers");
        HttpResponse<String> badGateway = client.get("/customers");
        HttpResponse<String> served = client.get("/customers");

        // Then
        assertThat(queued.statusCode()).isEqualTo(200);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).contains("7");
        assertThat(json(unavailable).path("type").asString()).endsWith("/unavailable");
        assertThat(badGateway.statusCode()).isEqualTo(502);
        assertThat(json(badGateway).path("type").asString()).endsWith("/server-error");
        assertThat(badGateway.headers().firstValue("Retry-After")).isEmpty();
        assertThat(served.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldCutOffAFeedPageWhenAMalformedPageIsQueued() {
        // Given
        client.create("/customers", body("{'name':'Acme'}"));
        sim.faults().malformNextPages(1);

        // When
        HttpResponse<String> cut = client.get("/customers");

        // Then
        assertThat(cut.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> SimulatorJson.mapper().readTree(cut.body())).isInstanceOf(RuntimeException.class);
    }

    @Test
    void shouldCountReadsAndWritesByRoute() {
        // When
        String id = client.create("/customers", body("{'name':'Acme'}")).path("id").asString();
        client.patch("/customers/" + id, body("{'phone':'+45 1'}"));
        client.get("/customers/" + id);

        // Then
        TrafficLog.Snapshot counts = sim.traffic().snapshot();
        assertThat(counts.total()).isEqualTo(3);
        assertThat(counts.writes()).isEqualTo(2);
        assertThat(counts.byRoute()).containsEntry("PATCH /customers/{id}", 1L).containsEntry("GET /customers/{id}", 1L);
    }
}
