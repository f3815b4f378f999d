package dev.crmsync.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testing.MutableClock;
import dev.crmsync.testing.ServiceHarness;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regression (issue 11): the management API answered thirty wrong tokens in a row at once, so a guesser could
 * try tokens as fast as the network carried them. Now a client that sent a few wrong tokens is answered 429 with
 * {@code Retry-After}, for a growing time, without its token being looked at; the service's clock is moved by
 * hand, so nothing waits.
 */
class WrongTokenThrottleApiTest {

    private static final String WRONG = "not-the-service-token-0123";

    private final MutableClock clock = new MutableClock(Instant.now());
    private ServiceHarness harness;

    @BeforeEach
    void start() {
        harness = ServiceHarness.withClock(clock);
    }

    @AfterEach
    void stop() {
        // Every answer, the 429s included, as the published contract describes it
        harness.closeCheckingTheContract();
    }

    @Test
    void shouldAnswerThirtyWrongTokensInARowWithAGrowingWaitAndAdmitTheTokenOnceItIsOver() {
        // When a client sends thirty wrong tokens in a row
        List<ServiceHarness.Response> answers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            answers.add(harness.call("GET", "/api/status", null, WRONG));
        }

        // Then the first five are refused at once, and the other 25 are told to wait a second
        assertThat(answers.subList(0, 5)).extracting(ServiceHarness.Response::status).containsOnly(401);
        assertThat(answers.subList(5, 30)).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(429);
            assertThat(answer.header("Retry-After")).hasValue("1");
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().path("detail").asString()).contains("too many wrong tokens");
        });
        // And while it waits, even the right token is not looked at
        assertThat(harness.api("GET", "/api/status", null).status()).isEqualTo(429);

        // When it guesses again after its wait
        clock.advance(Duration.ofSeconds(1));
        ServiceHarness.Response sixth = harness.call("GET", "/api/status", null, WRONG);
        ServiceHarness.Response early = harness.call("GET", "/api/status", null, WRONG);

        // Then that guess is refused, and the next wait is twice as long
        assertThat(sixth.status()).isEqualTo(401);
        assertThat(early.status()).isEqualTo(429);
        assertThat(early.header("Retry-After")).hasValue("2");

        // When the right token comes once that wait is over
        clock.advance(Duration.ofSeconds(2));
        ServiceHarness.Response right = harness.api("GET", "/api/status", null);

        // Then it is admitted, and a typo after it is answered at once again, not with a wait
        assertThat(right.status()).isEqualTo(200);
        assertThat(harness.call("GET", "/api/status", null, WRONG).status()).isEqualTo(401);
    }

    @Test
    void shouldSlowDownWrongTokensAtTheSignInButNotTheBrowserThatIsSignedIn() throws Exception {
        // Given a browser signed in with the token
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        assertThat(signIn(browser, ServiceHarness.TOKEN).statusCode()).isEqualTo(204);

        // When five wrong tokens are tried at the sign-in, and a sixth at once
        for (int i = 0; i < 5; i++) {
            assertThat(harness.call("POST", "/api/session", "{\"token\":\"" + WRONG + "\"}", null).status())
                    .isEqualTo(401);
        }
        ServiceHarness.Response sixth = harness.call("POST", "/api/session", "{\"token\":\"" + WRONG + "\"}", null);

        // Then the sixth is told to wait, and so is a bearer token from the same address
        assertThat(sixth.status()).isEqualTo(429);
        assertThat(sixth.header("Retry-After")).hasValue("1");
        assertThat(harness.call("GET", "/api/links", null, WRONG).status()).isEqualTo(429);
        // But the signed-in browser on the same address goes on, and a request without any token is a plain 401
        HttpResponse<String> status = browser.send(HttpRequest.newBuilder(URI.create(harness.baseUrl() + "/api/status"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(harness.call("GET", "/api/status", null, null).status()).isEqualTo(401);

        // And once the wait is over, the right token signs in
        clock.advance(Duration.ofSeconds(1));
        assertThat(harness.call("POST", "/api/session", "{\"token\":\"" + ServiceHarness.TOKEN + "\"}", null).status())
                .isEqualTo(204);
    }

    private HttpResponse<String> signIn(HttpClient browser, String token) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(harness.baseUrl() + "/api/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
