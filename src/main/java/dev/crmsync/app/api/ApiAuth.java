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

/**
 * Who may use the API: a request with the service token as a bearer token, or a browser with a session cookie
 * got by showing the token once. The token is compared in constant time; sessions live in memory (a restart
 * signs browsers out) and end after {@link #SESSION_LIFETIME}.
 *
 * <p>This class is threadsafe.
 */
final class ApiAuth {

    static final String COOKIE = "crmsync_session";
    static final Duration SESSION_LIFETIME = Duration.ofHours(12);

    private final Secret token;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();

    /**
     * @param token the service token, or null when the API is open ({@code --insecure-no-auth})
     * @param clock the time source
     */
    ApiAuth(Secret token, InstantSource clock) {
        this.token = token;
        this.clock = clock;
    }

    boolean isOpen() {
        return token == null;
    }

    /**
     * @return whether the request carries the token or a live session
     */
    boolean admits(Context ctx) {
        if (token == null) {
            return true;
        }
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return matches(header.substring(7).strip());
        }
        String session = ctx.cookie(COOKIE);
        if (session == null) {
            return false;
        }
        Instant expires = sessions.get(session);
        if (expires == null) {
            return false;
        }
        if (!clock.instant().isBefore(expires)) {
            sessions.remove(session);
            return false;
        }
        return true;
    }

    /**
     * Signs a browser in: checks the token and sets the session cookie.
     *
     * @return whether the token was right
     */
    boolean signIn(Context ctx, String offered) {
        if (token != null && (offered == null || !matches(offered.strip()))) {
            return false;
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
        return true;
    }

    void signOut(Context ctx) {
        String session = ctx.cookie(COOKIE);
        if (session != null) {
            sessions.remove(session);
        }
        ctx.removeCookie(COOKIE, "/");
    }

    private boolean matches(String offered) {
        return MessageDigest.isEqual(offered.getBytes(StandardCharsets.UTF_8),
                token.reveal().getBytes(StandardCharsets.UTF_8));
    }
}
