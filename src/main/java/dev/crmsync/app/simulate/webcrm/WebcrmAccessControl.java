package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.adapters.http.SlidingWindowRateLimiter;
import dev.crmsync.app.simulate.CredentialRevocation;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The gate in front of the simulated API: the two login endpoints, the bearer-token check and the rate limit.
 *
 * <p>The rate limit counts per application token, as webCRM's does (API-NOTES §10): every access token issued
 * for one application token draws on the same quota, and a login counts under the {@code authCode} it presents.
 * A request that cannot be tied to an application token (no, unknown or expired bearer token; a wrong
 * {@code authCode}) is answered 401 without counting, since there is no quota to charge it to.
 *
 * <p>While the tenant's tokens are revoked ({@link CredentialRevocation}), every request and every login is
 * answered 401, as for an unknown token: an administrator withdrew the application token, and the access tokens
 * issued for it die with it.
 *
 * <p>This class is threadsafe.
 */
final class WebcrmAccessControl {

    private static final String CONTROL_PREFIX = "/_sim";
    private static final String BEARER = "Bearer ";
    /** The request attribute holding the caller's application token, once the guard has admitted it. */
    private static final String APPLICATION_TOKEN = "webcrm.applicationToken";
    /** The simulator's wording; webCRM documents none for a withdrawn token. */
    private static final String REVOKED = "The application token was revoked";

    private final WebcrmAuth auth;
    private final SlidingWindowRateLimiter limiter;
    private final Duration window;
    private final CredentialRevocation revocation;
    private final Set<String> writeMethods;

    /**
     * @param auth         the tenant's tokens
     * @param limiter      the per-application-token request limit
     * @param window       the limiter's window, named in the 429 message
     * @param revocation   whether the tokens are revoked
     * @param writeMethods the methods of data-changing requests, which a scheduled revocation counts
     */
    WebcrmAccessControl(WebcrmAuth auth, SlidingWindowRateLimiter limiter, Duration window,
                        CredentialRevocation revocation, Set<String> writeMethods) {
        this.auth = auth;
        this.limiter = limiter;
        this.window = window;
        this.revocation = revocation;
        this.writeMethods = Set.copyOf(writeMethods);
    }

    /**
     * Installs the login routes and the before-handler that guards every other route.
     *
     * @param cfg the server configuration being built
     */
    void install(JavalinConfig cfg) {
        cfg.routes.before(this::guard);
        cfg.routes.post("/Auth/ApiLogin", this::login);
        cfg.routes.post("/Auth/ApiRefresh", this::refresh);
    }

    /**
     * Writes a 429 in the shape of the real limiter, for an injected fault.
     *
     * @param ctx        the request to answer
     * @param status     429 or 5xx
     * @param retryAfter the wait to announce
     */
    void writeFault(Context ctx, int status, Duration retryAfter) {
        WebcrmErrors.fault(ctx, status, retryAfter, limiter.limit(), window);
    }

    private void guard(Context ctx) {
        String path = ctx.path();
        if (path.startsWith(CONTROL_PREFIX) || path.startsWith("/Auth/")) {
            return;
        }
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip() : null;
        Optional<String> applicationToken = auth.applicationTokenOf(token);
        if (applicationToken.isEmpty() || revocation.revoked()
                || writeMethods.contains(ctx.method().name()) && !revocation.admitWrite()) {
            WebcrmErrors.unauthorized(ctx);
            ctx.skipRemainingHandlers();
        } else if (!admit(ctx, applicationToken.get())) {
            ctx.skipRemainingHandlers();
        } else {
            ctx.attribute(APPLICATION_TOKEN, applicationToken.get());
        }
    }

    /**
     * @param ctx a request the guard has admitted
     * @return the application token its bearer token was issued for, which owns what the request makes (hooks)
     */
    static String applicationToken(Context ctx) {
        String token = ctx.attribute(APPLICATION_TOKEN);
        if (token == null) {
            throw new IllegalStateException("the request was not admitted by the access control");
        }
        return token;
    }

    private void login(Context ctx) {
        String authCode = firstPresent(ctx.formParam("authCode"), ctx.header("authCode"));
        if (!auth.isApplicationToken(authCode)) {
            ctx.status(401).json(WebcrmAuth.loginFailure("The authCode is not a valid application token"));
        } else if (revocation.revoked()) {
            ctx.status(401).json(WebcrmAuth.loginFailure(REVOKED));
        } else if (admit(ctx, authCode)) {
            ctx.json(auth.login(authCode));
        }
    }

    private void refresh(Context ctx) {
        // webCRM's Swagger puts refreshToken in a header, Dreamdata's client sends a form field: take either.
        Optional<String> applicationToken = auth.redeemRefreshToken(
                firstPresent(ctx.header("refreshToken"), ctx.formParam("refreshToken")));
        if (applicationToken.isEmpty()) {
            ctx.status(401).json(WebcrmAuth.loginFailure("The refresh token is unknown, used or expired"));
        } else if (revocation.revoked()) {
            ctx.status(401).json(WebcrmAuth.loginFailure(REVOKED));
        } else if (admit(ctx, applicationToken.get())) {
            ctx.json(auth.login(applicationToken.get()));
        }
    }

    /** Counts the request against the quota, or answers 429 and returns false. */
    private boolean admit(Context ctx, String applicationToken) {
        Optional<Duration> wait = limiter.tryAcquire(applicationToken);
        wait.ifPresent(retryAfter -> WebcrmErrors.throttled(ctx, retryAfter, limiter.limit(), window));
        return wait.isEmpty();
    }

    private static String firstPresent(String first, String second) {
        return first != null && !first.isBlank() ? first : second;
    }
}
