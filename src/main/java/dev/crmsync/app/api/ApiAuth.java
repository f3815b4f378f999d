package dev.crmsync.app.api;

import dev.crmsync.model.Secret;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the API: a request with the service token as a bearer token, or a browser with a session cookie
 * got by showing the token once. The token is compared in constant time; sessions live in memory (a restart
 * signs browsers out) and end after {@link #SESSION_LIFETIME}.
 *
 * <p>Every presented token, as a bearer token or to sign in, goes through a {@link FailedTokenThrottle} keyed by
 * the client's address: a client that sent a few wrong ones is answered 429 with {@code Retry-After} for a while
 * instead of having its token looked at. A request with a live session cookie is not throttled: a session is
 * 256 random bits, no guess, and a signed-in dashboard keeps working while someone on the same address guesses.
 * A request that presents nothing is answered 401 and counts for nothing; a dashboard whose session ended sends
 * several of those, and must still be able to sign in.
 *
 * <p>This class is threadsafe.
 */
final class ApiAuth {

    static final String COOKIE = "crmsync_session";
    static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    private static final Logger log = LoggerFactory.getLogger(ApiAuth.class);

    private final Secret token;
    private final InstantSource clock;
    private final FailedTokenThrottle throttle;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();

    /**
     * @param token the service token, or null when the API is open ({@code --insecure-no-auth})
     * @param clock the time source
     */
    ApiAuth(Secret token, InstantSource clock) {
        this.token = token;
        this.clock = clock;
        this.throttle = new FailedTokenThrottle(clock);
    }

    boolean isOpen() {
        return token == null;
    }

    /**
     * Lets a request through when it carries the token or a live session.
     *
     * @throws ApiProblem 401 when it carries neither, 429 when its client must wait after wrong tokens
     */
    void requireAccess(Context ctx) {
        if (token == null) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            check(ctx, header.substring(7));
            return;
        }
        if (!hasLiveSession(ctx)) {
            throw ApiProblem.unauthorized();
        }
    }

    /**
     * Signs a browser in: checks the token and sets the session cookie.
     *
     * @param offered the token the person entered, or null when the request had none
     * @throws ApiProblem 401 when the token is missing or wrong, 429 when the client must wait after wrong tokens
     */
    void signIn(Context ctx, String offered) {
        if (token != null) {
            if (offered == null) {
                throw ApiProblem.unauthorized();
            }
            check(ctx, offered);
        }
        Instant now = clock.instant();
        sessions.values().removeIf(expires -> !now.isBefore(expires));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        sessions.put(id, now.plus(SESSION_LIFETIME));
        // HttpOnly: no script reads it; SameSite=Strict: no other site's page can send it along.
        ctx.cookie(new Cookie(COOKIE, id, "/", (int) SESSION_LIFETIME.toSeconds(), ctx.scheme().equals("https"),
                true, null, SameSite.STRICT));
    }

    void signOut(Context ctx) {
        String session = ctx.cookie(COOKIE);
        if (session != null) {
            sessions.remove(session);
        }
        ctx.removeCookie(COOKIE, "/");
    }

    private void check(Context ctx, String offered) {
        FailedTokenThrottle.Verdict verdict = throttle.attempt(ctx.ip(), () -> matches(offered.strip()));
        switch (verdict.outcome()) {
            case ADMITTED -> { }
            case REFUSED -> {
                if (verdict.retryAfter().isPositive()) {
                    // Once per wait at most, so a guesser cannot flood the log; the token itself is never logged.
                    log.atWarn().addKeyValue("client", ctx.ip())
                            .addKeyValue("waitSeconds", verdict.retryAfter().toSeconds())
                            .log("wrong service tokens from one address; it must wait");
                }
                throw ApiProblem.unauthorized();
            }
            case WAIT -> throw ApiProblem.tooManyAttempts(verdict.retryAfter());
        }
    }

    private boolean hasLiveSession(Context ctx) {
        String session = ctx.cookie(COOKIE);
        Instant expires = session == null ? null : sessions.get(session);
        if (expires == null) {
            return false;
        }
        if (!clock.instant().isBefore(expires)) {
            sessions.remove(session);
            return false;
        }
        return true;
    }

    private boolean matches(String offered) {
        return MessageDigest.isEqual(offered.getBytes(StandardCharsets.UTF_8),
                token.reveal().getBytes(StandardCharsets.UTF_8));
    }
}
