package dev.crmsync.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FaultFilterTest {

    private final FaultInjector faults = new FaultInjector(7);
    private final TrafficLog traffic = new TrafficLog();
    private final HttpClient http = HttpClient.newHttpClient();
    private Javalin server;
    private volatile int made;

    @BeforeEach
    void startServer() {
        server = SimulatorServers.create(cfg -> {
            FaultFilter.install(cfg, faults, (ctx, status, retryAfter) -> {
                ctx.status(status).result("fault " + status);
                if (!retryAfter.isZero()) {
                    ctx.header("Retry-After", Long.toString(retryAfter.toSeconds()));
                }
            }, (method, path) -> !method.equals("GET"));
            SimulatorControl.install(cfg, faults, traffic, (method, route) -> !method.equals("GET"));
            cfg.routes.get("/things", ctx -> {
                FaultFilter.markPage(ctx);
                ctx.json(List.of(new Thing(1, "first thing"), new Thing(2, "second thing")));
            });
            cfg.routes.post("/things", ctx -> {
                made++;
                ctx.status(201).result("made");
            });
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    record Thing(int id, String name) {
    }

    @Test
    void shouldHoldBackTheNextAnswersForALatencySpikeQueuedOverItsControlRoute() throws Exception {
        // Given a spike of 300 ms on the next two requests, queued as a person would
        HttpResponse<String> queued = http.send(HttpRequest.newBuilder(uri("/_sim/faults/slow-next"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"count\":2,\"latencyMillis\":300}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(queued.statusCode()).isEqualTo(200);
        assertThat(faults.pending()).isEqualTo(2);

        // When three requests come
        HttpClient strict = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(uri("/things")).timeout(Duration.ofMillis(150)).build();

        // Then the first two miss a 150 ms timeout, and the third is answered at once
        assertThatThrownBy(() -> strict.send(get, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThatThrownBy(() -> strict.send(get, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(faults.pending()).isZero();
        HttpRequest patient = HttpRequest.newBuilder(uri("/things")).timeout(Duration.ofSeconds(5))
                .build();
        assertThat(strict.send(patient, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerQueued429sWithRetryAfterThenServeNormally() throws Exception {
        // Given
        faults.failNext(2, 429, Duration.ofSeconds(14));

        // When
        HttpResponse<String> first = get("/things");
        HttpResponse<String> second = get("/things");
        HttpResponse<String> third = get("/things");

        // Then
        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).contains("14");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(SimulatorJson.mapper().readTree(third.body()).size()).isEqualTo(2);
    }

    @Test
    void shouldRefuseEveryWriteButServeReadsWhileWritesFailUntilReset() throws Exception {
        // Given
        faults.failWrites(503);

        // When / Then
        assertThat(send("POST", "/things", "{}").statusCode()).isEqualTo(503);
        assertThat(send("POST", "/things", "{}").statusCode()).isEqualTo(503);
        assertThat(get("/things").statusCode()).isEqualTo(200);
        faults.reset();
        assertThat(send("POST", "/things", "{}").statusCode()).isEqualTo(201);
    }

    @Test
    void shouldCloseTheConnectionWithoutAnAnswerWhenDropping() {
        // Given
        faults.dropNext(1);

        // Then: a POST, because the JDK client silently retries an idempotent GET once on a dropped connection
        assertThatThrownBy(() -> send("POST", "/things", "{}")).isInstanceOf(IOException.class);
        assertThat(faults.pending()).isZero();
    }

    @Test
    void shouldCarryOutAWriteAndThenLoseItsAnswer() throws Exception {
        // Given
        faults.loseNextWriteAnswers(1);

        // When: a read passes untouched, the write is made but its answer never arrives
        HttpResponse<String> read = get("/things");
        assertThatThrownBy(() -> send("POST", "/things", "{}")).isInstanceOf(IOException.class);
        HttpResponse<String> next = send("POST", "/things", "{}");

        // Then
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(made).as("both writes were carried out").isEqualTo(2);
        assertThat(next.statusCode()).isEqualTo(201);
        assertThat(faults.pending()).isZero();
    }

    @Test
    void shouldCutOffAMarkedPageSoItIsNoLongerJson() throws Exception {
        // Given
        faults.malformNextPages(1);

        // When
        HttpResponse<String> malformed = get("/things");
        HttpResponse<String> whole = get("/things");

        // Then
        assertThat(malformed.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> SimulatorJson.mapper().readTree(malformed.body()))
                .isInstanceOf(RuntimeException.class);
        assertThat(SimulatorJson.mapper().readTree(whole.body()).size()).isEqualTo(2);
    }

    @Test
    void shouldSwitchStandingFaultsOverTheControlRoutesAndNeverFaultThem() throws Exception {
        // Given every request fails
        HttpResponse<String> set = send("PUT", "/_sim/faults", "{\"serverErrorRate\":1.0}");
        assertThat(set.statusCode()).isEqualTo(200);

        // When
        HttpResponse<String> faulted = get("/things");
        HttpResponse<String> control = get("/_sim/faults");
        send("DELETE", "/_sim/faults", "");
        HttpResponse<String> healed = get("/things");

        // Then
        assertThat(faulted.statusCode()).isBetween(500, 599);
        assertThat(SimulatorJson.mapper().readTree(control.body()).path("serverErrorRate").asDouble()).isEqualTo(1.0);
        assertThat(healed.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRejectARateOutsideZeroToOneNamingTheField() throws Exception {
        HttpResponse<String> answer = send("PUT", "/_sim/faults", "{\"dropRate\":1.5}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("dropRate");
    }

    @Test
    void shouldCountWritesAndReadsByRoute() throws Exception {
        // When
        get("/things");
        send("POST", "/things", "{}");
        send("POST", "/things", "{}");

        // Then
        JsonNode counts = SimulatorJson.mapper().readTree(get("/_sim/traffic").body());
        assertThat(counts.path("total").asLong()).isEqualTo(3);
        assertThat(counts.path("writes").asLong()).isEqualTo(2);
        assertThat(counts.path("byRoute").path("POST /things").asLong()).isEqualTo(2);
        assertThat(counts.path("byRoute").path("GET /things").asLong()).isEqualTo(1);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
