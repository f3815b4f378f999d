package dev.crmsync.adapters.webcrm.internal;

import dev.crmsync.adapters.http.CrmHttpClient;
import dev.crmsync.model.Secret;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * The connector's login to webCRM (API-NOTES §2): {@code POST /Auth/ApiLogin} with the application token as form
 * field {@code authCode}, then {@code Authorization: Bearer <AccessToken>} on every other request.
 *
 * <p>The access token is kept until shortly before its {@code ExpiresIn} runs out by the injected clock, then
 * replaced by a new login; {@link #renew()} logs in again when webCRM answers 401 all the same (a token revoked,
 * clocks apart). The login itself goes through the same {@link CrmHttpClient}, so it is paced under the same
 * quota it counts against; while it runs, {@link #authorize} adds no header and {@link #renew} declines, so a
 * refused login comes back as its 401 instead of recursing.
 *
 * <p>A login that webCRM refuses (401, 403, 400, or a 200 with {@code IsError: true}) is a
 * {@link PermanentCrmException}: waiting will not make a wrong token right. No message or log line names the
 * token; a description webCRM sends back is quoted with the token masked, in case it echoes it.
 *
 * <p>This class is threadsafe.
 */
public final class WebcrmSession implements CrmHttpClient.Authenticator {

    /** Sends the login form through the connector's client. */
    @FunctionalInterface
    public interface LoginCall {
        /**
         * @param form the url-encoded form body
         * @return webCRM's answer
         */
        CrmHttpClient.Response send(String form);
    }

    /** How long before expiry a token is replaced: well clear of clock skew and a slow request. */
    static final Duration RENEW_MARGIN = Duration.ofMinutes(5);
    /** The lifetime webCRM documents, for an answer that leaves {@code ExpiresIn} out. */
    static final Duration DOCUMENTED_LIFETIME = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(WebcrmSession.class);

    private final Secret token;
    private final InstantSource clock;
    private final LoginCall loginCall;
    private final ThreadLocal<Boolean> loggingIn = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private String accessToken;
    private Instant renewAt = Instant.MIN;

    /**
     * @param token     the application token
     * @param clock     decides when a token is due for renewal
     * @param loginCall sends the login form
     */
    public WebcrmSession(Secret token, InstantSource clock, LoginCall loginCall) {
        this.token = Objects.requireNonNull(token, "token");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loginCall = Objects.requireNonNull(loginCall, "loginCall");
    }

    @Override
    public void authorize(HttpRequest.Builder request) {
        if (loggingIn.get()) {
            return;
        }
        request.header("Authorization", "Bearer " + currentToken());
    }

    @Override
    public boolean renew() {
        if (loggingIn.get()) {
            return false;
        }
        synchronized (this) {
            log.atInfo().log("webCRM answered 401; logging in again");
            accessToken = null;
            logIn();
        }
        return true;
    }

    /** Forgets the access token, so that the next request logs in afresh. */
    public synchronized void forget() {
        accessToken = null;
        renewAt = Instant.MIN;
    }

    private synchronized String currentToken() {
        if (accessToken == null || !clock.instant().isBefore(renewAt)) {
            logIn();
        }
        return accessToken;
    }

    /** Logs in; call with the monitor held. */
    private void logIn() {
        CrmHttpClient.Response answer;
        loggingIn.set(Boolean.TRUE);
        try {
            answer = loginCall.send("authCode=" + URLEncoder.encode(token.reveal(), StandardCharsets.UTF_8));
        } finally {
            loggingIn.set(Boolean.FALSE);
        }
        int status = answer.status();
        if (status == 400 || status == 401 || status == 403) {
            throw refused(status + ": " + describe(answer.body(), status));
        }
        if (!answer.isSuccess()) {
            throw new PermanentCrmException("webCRM login failed with " + status + ": "
                    + mask(WebcrmJson.reason(status, answer.body())), null);
        }
        Map<String, Object> dto = null;
        try {
            dto = WebcrmJson.object(answer.body());
        } catch (JacksonException e) {
            // Handled below.
        }
        if (dto == null) {
            throw new TransientCrmException("webCRM's login answer was not a readable JSON object", null);
        }
        if ("true".equalsIgnoreCase(String.valueOf(dto.get("IsError")))) {
            throw refused("IsError: " + describe(answer.body(), status));
        }
        Object access = dto.get("AccessToken");
        if (!(access instanceof String text) || text.isBlank()) {
            throw new PermanentCrmException("webCRM's login answer carried no AccessToken", null);
        }
        Duration lifetime = lifetime(dto.get("ExpiresIn"));
        Duration margin = RENEW_MARGIN.compareTo(lifetime.dividedBy(2)) < 0 ? RENEW_MARGIN : lifetime.dividedBy(2);
        accessToken = text;
        renewAt = clock.instant().plus(lifetime).minus(margin);
        log.atInfo().addKeyValue("expiresInSeconds", lifetime.toSeconds()).log("logged in to webCRM");
    }

    private static Duration lifetime(Object expiresIn) {
        if (expiresIn instanceof Number seconds && seconds.longValue() > 0) {
            return Duration.ofSeconds(seconds.longValue());
        }
        return DOCUMENTED_LIFETIME;
    }

    private PermanentCrmException refused(String detail) {
        return new PermanentCrmException("webCRM refused the API token (" + detail + "); check the token "
                + "configured for webCRM and its access rights", null);
    }

    /** The reason in a refused login's answer: a {@code TokenResponseDto}'s error fields, else any message. */
    private String describe(String body, int status) {
        if (body == null || body.isBlank()) {
            return "no reason given";
        }
        Map<String, Object> dto = null;
        try {
            dto = WebcrmJson.object(body);
        } catch (JacksonException e) {
            // Not JSON: the generic reading below quotes it.
        }
        if (dto != null && (dto.get("Error") != null || dto.get("ErrorDescription") != null)) {
            return mask(Stream.of(dto.get("Error"), dto.get("ErrorDescription")).filter(Objects::nonNull)
                    .map(String::valueOf).collect(Collectors.joining(": ")));
        }
        return mask(WebcrmJson.reason(status, body));
    }

    /** Masks the token in text that came back from the server, in case it echoes what it was sent. */
    private String mask(String text) {
        String secret = token.reveal();
        if (secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, "****").replace(URLEncoder.encode(secret, StandardCharsets.UTF_8), "****");
    }
}
