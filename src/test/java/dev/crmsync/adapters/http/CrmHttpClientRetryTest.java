package dev.crmsync.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.crmsync.ports.TransientCrmException;
import dev.crmsync.testing.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CrmHttpClient} against a real HTTP server that answers from a script: which answers it tries again, for
 * how long it pauses, and how its circuit breaker leaves a system that is down alone and closes by itself.
 */
class CrmHttpClientRetryTest {

    private static final Instant START = Instant.parse("2026-12-06T08:00:00Z");
    private static final CrmHttpClient.Authenticator NO_AUTH = CrmHttpClient.Authenticator.NONE;

    /** One scripted answer. */
    private record Answer(int status, String body, Map<String, String> headers) {
        static Answer of(int status, String body) {
            return new Answer(status, body, Map.of());
        }
    }

    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Answer otherwise = Answer.of(200, "[]");
    private final AtomicInteger received = new AtomicInteger();
    private final MutableClock clock = new MutableClock(START);
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final List<String> circuit = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private CrmHttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            Answer answer = script.poll();
            if (answer == null) {
                answer = otherwise;
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        client = new CrmHttpClient("webCRM", URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofSeconds(5), 0,
                new Resilience(new RetryPolicy.Settings(3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2)), Duration.ofSeconds(30)),
                clock, pauses::add, NO_AUTH, new HttpCallObserver() {
                    @Override
                    public void circuitChanged(String system, CircuitBreaker.Status status) {
                        circuit.add(system + " " + status.state().label());
                    }
                });
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void shouldLeaveASystemThatFailedEveryAttemptAloneUntilItsTrialTimeThenCloseByItself() {
        // Given a system that answers 503 to every attempt of a request
        otherwise = Answer.of(503, "");

        // When a request spends its attempts
        assertThatThrownBy(() -> client.send("GET", "/Organisations", null, null, Map.of()))
                .isInstanceOf(SystemDownException.class)
                .hasMessageContaining("failed after 3 attempts: 503 from the server")
                .hasMessageContaining("left alone until " + START.plusSeconds(30));
        assertThat(received).hasValue(3);
        assertThat(circuit).containsExactly("webcrm open");

        // Then the next requests fail at once, without reaching the system
        assertThatThrownBy(() -> client.send("GET", "/Persons", null, null, Map.of()))
                .isInstanceOf(SystemDownException.class)
                .hasMessageContaining("is down since " + START);
        assertThat(received).hasValue(3);

        // And at the trial time, once the system answers again, one request goes through and closes the circuit
        otherwise = Answer.of(200, "[]");
        clock.advance(Duration.ofSeconds(30));
        assertThat(client.send("GET", "/Persons", null, null, Map.of()).status()).isEqualTo(200);
        assertThat(received).hasValue(4);
        assertThat(circuit).containsExactly("webcrm open", "webcrm half-open", "webcrm closed");
        assertThat(client.circuit().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void shouldRetryA500ButNotOpenTheCircuitForIt() {
        // A 500 is one request going wrong (a record the server chokes on), not a system that is down
        otherwise = Answer.of(500, "");

        assertThatThrownBy(() -> client.send("GET", "/Organisations", null, null, Map.of()))
                .isNotInstanceOf(SystemDownException.class)
                .isInstanceOf(TransientCrmException.class)
                .hasMessageContaining("failed after 3 attempts: 500 from the server");

        assertThat(received).hasValue(3);
        assertThat(circuit).isEmpty();
        otherwise = Answer.of(200, "[]");
        assertThat(client.send("GET", "/Organisations", null, null, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void shouldWaitAsLongAsA429AsksInEitherHeaderFormOrInWebcrmsBody() {
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(START.plusSeconds(60).atOffset(ZoneOffset.UTC));
        script.add(new Answer(429, "", Map.of("Retry-After", "7")));
        script.add(new Answer(429, "", Map.of("Retry-After", inAMinute)));
        script.add(Answer.of(200, "[]"));

        assertThat(client.send("GET", "/Organisations", null, null, Map.of()).status()).isEqualTo(200);
        assertThat(pauses).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(60));

        pauses.clear();
        script.add(Answer.of(429, "{\"RetryAfterSeconds\": 14, \"Message\": \"The request was throttled.\","
                + " \"Type\": \"TooManyRequestsException\"}"));
        assertThat(client.send("GET", "/Organisations", null, null, Map.of()).status()).isEqualTo(200);
        assertThat(pauses).containsExactly(Duration.ofSeconds(14));
        assertThat(client.throttledCount()).isEqualTo(3);
        assertThat(circuit).as("a 429 is an answer: the system is up").isEmpty();
    }

    @Test
    void shouldNeverSendANonIdempotentWriteAgainAfterAnAnswerThatLeavesItsFateUnknown() {
        script.add(Answer.of(503, ""));

        assertThatThrownBy(() -> client.send("POST", "/Organisations", "application/json", "{}", Map.of()))
                .isInstanceOf(TransientCrmException.class)
                .hasMessageContaining("whether it was carried out is unknown, so it is not sent again blindly");

        assertThat(received).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void shouldAskAgainForAnUnreadableAnswerAndGiveUpWhenItStaysUnreadable() {
        script.add(Answer.of(200, "[{\"cut off"));
        script.add(Answer.of(200, "[{\"Id\": 1}]"));
        List<String> bodies = new ArrayList<>();

        String read = client.read("/Queries?script=x", answer -> {
            bodies.add(answer.body());
            if (!answer.body().endsWith("]")) {
                throw new CrmHttpClient.UnreadableAnswerException("not a JSON array");
            }
            return answer.body();
        });

        assertThat(read).isEqualTo("[{\"Id\": 1}]");
        assertThat(bodies).hasSize(2);
        assertThat(pauses).hasSize(1);

        otherwise = Answer.of(200, "{");
        assertThatThrownBy(() -> client.read("/Queries?script=x", answer -> {
            throw new CrmHttpClient.UnreadableAnswerException("not a JSON array");
        })).isInstanceOf(TransientCrmException.class)
                .hasMessageContaining("failed after 3 attempts: unreadable answer (not a JSON array)");
        assertThat(circuit).as("an unreadable answer is still an answer").isEmpty();
    }
}
