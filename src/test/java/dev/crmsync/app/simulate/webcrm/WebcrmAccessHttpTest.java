package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testing.MutableClock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WebcrmAccessHttpTest {

    private static final String TOKEN = "11111111-2222-3333-4444-555555555555";
    private static final String OTHER_TOKEN = "second-application-token";

    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-15T10:00:00Z"));
    private WebcrmSimulator sim;
    private WebcrmHttp http;

    @BeforeEach
    void start() {
        sim = WebcrmSimulator.builder().token(TOKEN).token(OTHER_TOKEN).clock(clock).build().start("127.0.0.1", 0);
        http = new WebcrmHttp(sim.baseUrl());
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    @Test
    void shouldLogInWithAUrlEncodedForm() throws Exception {
        // When
        HttpResponse<String> answer = http.loginUrlEncoded(TOKEN);

        // Then
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode dto = WebcrmHttp.json(answer);
        assertThat(dto.path("AccessToken").asString()).isNotBlank();
        assertThat(dto.path("RefreshToken").asString()).isNotBlank();
        assertThat(dto.path("IsError").asBoolean()).isFalse();
        assertThat(dto.path("Error").isNull()).isTrue();
        assertThat(dto.path("ErrorDescription").isNull()).isTrue();
        assertThat(dto.path("ExpiresIn").asLong()).isEqualTo(3600);
        assertThat(dto.path("TokenType").asString()).isEqualTo("Bearer");
    }

    @Test
    void shouldLogInWithAMultipartForm() throws Exception {
        // When
        HttpResponse<String> answer = http.loginMultipart(TOKEN);

        // Then
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String access = WebcrmHttp.json(answer).path("AccessToken").asString();
        assertThat(http.get("/Organisations", access).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldLogInWithTheLegacyAuthCodeHeader() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(http.uri("/Auth/ApiLogin"))
                .header("authCode", TOKEN).POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(answer.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseAWrongOrMissingApplicationToken() throws Exception {
        // When
        HttpResponse<String> wrong = http.loginUrlEncoded("not-the-token");
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(http.uri("/Auth/ApiLogin"))
                .POST(HttpRequest.BodyPublishers.noBody()));

        // Then
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(WebcrmHttp.json(wrong).path("IsError").asBoolean()).isTrue();
        assertThat(missing.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRefuseRequestsWithoutAValidBearerToken() throws Exception {
        HttpResponse<String> none = http.get("/Organisations", null);
        HttpResponse<String> unknown = http.get("/Organisations", "made-up");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(unknown.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRefuseEveryRequestAndLoginOnceTheTokensAreRevokedAfterTheGivenWrites() throws Exception {
        // Given a logged-in client, and a revocation after one more write, queued over HTTP
        String access = http.accessToken(TOKEN);
        HttpResponse<String> queued = http.send("POST", "/_sim/revoke", null, "{\"afterWrites\":1}");
        String organisation = "{\"OrganisationName\":\"Revoked A/S\"}";

        // When
        HttpResponse<String> read = http.get("/Organisations", access);
        HttpResponse<String> lastWrite = http.send("POST", "/Organisations", access, organisation);
        HttpResponse<String> refusedWrite = http.send("POST", "/Organisations", access, organisation);
        HttpResponse<String> refusedRead = http.get("/Organisations", access);
        HttpResponse<String> refusedLogin = http.loginUrlEncoded(TOKEN);

        // Then
        assertThat(queued.statusCode()).isEqualTo(200);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(lastWrite.statusCode()).isEqualTo(200);
        assertThat(refusedWrite.statusCode()).isEqualTo(401);
        assertThat(refusedRead.statusCode()).isEqualTo(401);
        assertThat(refusedLogin.statusCode()).isEqualTo(401);
        assertThat(WebcrmHttp.json(refusedLogin).path("ErrorDescription").asString()).contains("revoked");
        assertThat(sim.count(WebcrmEntity.ORGANISATION)).isEqualTo(1);

        // When reinstated over HTTP
        http.send("DELETE", "/_sim/revoke", null, null);

        // Then
        assertThat(http.get("/Organisations", http.accessToken(TOKEN)).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldExpireTheAccessTokenAfterOneHour() throws Exception {
        // Given
        String access = http.accessToken(TOKEN);
        clock.advance(Duration.ofMinutes(59));
        assertThat(http.get("/Organisations", access).statusCode()).isEqualTo(200);

        // When
        clock.advance(Duration.ofMinutes(1));

        // Then
        assertThat(http.get("/Organisations", access).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldIssueNewTokensForARefreshTokenInAHeaderOnce() throws Exception {
        // Given
        String refresh = WebcrmHttp.json(http.loginUrlEncoded(TOKEN)).path("RefreshToken").asString();
        clock.advance(Duration.ofHours(2));

        // When
        HttpResponse<String> refreshed = refresh("refreshToken", refresh);
        HttpResponse<String> again = refresh("refreshToken", refresh);

        // Then
        assertThat(refreshed.statusCode()).isEqualTo(200);
        String access = WebcrmHttp.json(refreshed).path("AccessToken").asString();
        assertThat(http.get("/Organisations", access).statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldAcceptTheRefreshTokenAsAFormField() throws Exception {
        String refresh = WebcrmHttp.json(http.loginUrlEncoded(TOKEN)).path("RefreshToken").asString();

        HttpResponse<String> refreshed = http.send(HttpRequest.newBuilder(http.uri("/Auth/ApiRefresh"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("refreshToken=" + refresh)));

        assertThat(refreshed.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldThrottleThe251stRequestInAMinuteAndServeAgainOnceTheWindowHasPassed() throws Exception {
        // Given: the login is the first of 250 requests in this minute
        String access = http.accessToken(TOKEN);
        for (int i = 0; i < 249; i++) {
            assertThat(http.get("/Organisations", access).statusCode()).isEqualTo(200);
        }
        clock.advance(Duration.ofSeconds(20));

        // When
        HttpResponse<String> throttled = http.get("/Organisations", access);

        // Then
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("40");
        JsonNode body = WebcrmHttp.json(throttled);
        assertThat(body.path("RetryAfterSeconds").asLong()).isEqualTo(40);
        assertThat(body.path("Message").asString())
                .isEqualTo("The request was throttled. The limit of 250 requests per minute is reached");
        assertThat(body.path("Type").asString()).isEqualTo("TooManyRequestsException");

        // And when the window has passed
        clock.advance(Duration.ofSeconds(40));
        assertThat(http.get("/Organisations", access).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldShareOneQuotaAmongAllAccessTokensOfAnApplicationTokenButNotAcrossTokens() throws Exception {
        // Given two logins with one application token use up its quota
        String first = http.accessToken(TOKEN);
        String second = http.accessToken(TOKEN);
        for (int i = 0; i < 248; i++) {
            http.get("/Organisations", i % 2 == 0 ? first : second);
        }

        // When
        HttpResponse<String> sameApplication = http.get("/Persons", second);
        HttpResponse<String> loginAgain = http.loginUrlEncoded(TOKEN);
        HttpResponse<String> otherApplication = http.get("/Persons", http.accessToken(OTHER_TOKEN));

        // Then
        assertThat(sameApplication.statusCode()).isEqualTo(429);
        assertThat(loginAgain.statusCode()).isEqualTo(429);
        assertThat(otherApplication.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerAnInjected429LikeTheRealLimiter() throws Exception {
        // Given
        String access = http.accessToken(TOKEN);
        sim.faults().failNext(1, 429, Duration.ofSeconds(7));

        // When
        HttpResponse<String> answer = http.get("/Organisations", access);

        // Then
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).contains("7");
        assertThat(WebcrmHttp.json(answer).path("RetryAfterSeconds").asLong()).isEqualTo(7);
        assertThat(WebcrmHttp.json(answer).path("Type").asString()).isEqualTo("TooManyRequestsException");
    }

    private HttpResponse<String> refresh(String header, String value) throws Exception {
        return http.send(HttpRequest.newBuilder(http.uri("/Auth/ApiRefresh")).header(header, value)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }
}
