package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.adapters.http.SlidingWindowRateLimiter;
import dev.crmsync.app.simulate.CredentialRevocation;
import dev.crmsync.app.simulate.SimulatorTenants;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
 * <p>Each application token belongs to one tenant ({@link WebcrmTenant}), as each belongs to one webCRM
 * customer's system: an access token issued for it reaches that tenant's data and no other's. Before faults are
 * injected, a request is attached to the tenant whose token it presents (the {@code authCode} of a login, the
 * application token behind a refresh or a bearer token), so that it meets that tenant's faults.
 *
 * <p>While a tenant's tokens are revoked ({@link CredentialRevocation}), every request and every login with them is
 * answered 401, as for an unknown token: an administrator withdrew the application token, and the access tokens
 * issued for it die with it.
 *
 * <p>This class is threadsafe.
 */
final class WebcrmAccessControl {

    private static final String CONTROL_PREFIX = "/_sim";
    private static final String BEARER = "Bearer ";
    private static final String LOGIN = "/Auth/ApiLogin";
    private static final String REFRESH = "/Auth/ApiRefresh";
    /** The request attribute holding the caller's application token, once the guard has admitted it. */
    private static final String APPLICATION_TOKEN = "webcrm.applicationToken";
    /** The simulator's wording; webCRM documents none for a withdrawn token. */
    private static final String REVOKED = "The application token was revoked";

    private final WebcrmAuth auth;
    private final SimulatorTenants<WebcrmTenant> tenants;
    private final Map<String, WebcrmTenant> tenantByToken = new HashMap<>();
    private final SlidingWindowRateLimiter limiter;
    private final Duration window;
    private final Set<String> writeMethods;

    /**
     * @param auth         the tokens of all tenants
     * @param tenants      the tenants, each with its application tokens
     * @param limiter      the per-application-token request limit
     * @param window       the limiter's window, named in the 429 message
     * @param writeMethods the methods of data-changing requests, which a scheduled revocation counts
     */
    WebcrmAccessControl(WebcrmAuth auth, SimulatorTenants<WebcrmTenant> tenants, SlidingWindowRateLimiter limiter,
                        Duration window, Set<String> writeMethods) {
        this.auth = auth;
        this.tenants = tenants;
        for (WebcrmTenant tenant : tenants.all()) {
            tenant.applicationTokens().forEach(token -> {
                if (tenantByToken.put(token, tenant) != null) {
                    throw new IllegalArgumentException("two tenants share an application token");
                }
            });
        }
        this.limiter = limiter;
        this.window = window;
        this.writeMethods = Set.copyOf(writeMethods);
    }

    /**
     * Installs the before-handler that attaches a request to the tenant whose token it presents; it must come
     * before the fault filter's, so that a request meets its own tenant's faults.
     *
     * @param cfg the server configuration being built
     */
    void installIdentification(JavalinConfig cfg) {
        cfg.routes.before(ctx -> presentedApplicationToken(ctx).map(tenantByToken::get)
                .ifPresent(tenant -> tenants.attach(ctx, tenant)));
    }

    /**
     * Installs the login routes and the before-handler that guards every other route.
     *
     * @param cfg the server configuration being built
     */
    void install(JavalinConfig cfg) {
        cfg.routes.before(this::guard);
        cfg.routes.post(LOGIN, this::login);
        cfg.routes.post(REFRESH, this::refresh);
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

    /** The application token a request presents, directly or through a token issued for it, if it is a live one. */
    private Optional<String> presentedApplicationToken(Context ctx) {
        String path = ctx.path();
        if (path.startsWith(CONTROL_PREFIX)) {
            return Optional.empty();
        }
        return switch (path) {
            case LOGIN -> Optional.ofNullable(authCode(ctx)).filter(auth::isApplicationToken);
            case REFRESH -> auth.applicationTokenOfRefreshToken(refreshToken(ctx));
            default -> auth.applicationTokenOf(bearerToken(ctx));
        };
    }

    private void guard(Context ctx) {
        String path = ctx.path();
        if (path.startsWith(CONTROL_PREFIX) || path.startsWith("/Auth/")) {
            return;
        }
        Optional<String> applicationToken = auth.applicationTokenOf(bearerToken(ctx));
        CredentialRevocation revocation = applicationToken.map(t -> tenantByToken.get(t).revocation()).orElse(null);
        if (revocation == null || revocation.revoked()
                || writeMethods.contains(ctx.method().name()) && !revocation.admitWrite()) {
            WebcrmErrors.unauthorized(ctx);
            ctx.skipRemainingHandlers();
        } else if (!admit(ctx, applicationToken.get())) {
            ctx.skipRemainingHandlers();
        } else {
            ctx.attribute(APPLICATION_TOKEN, applicationToken.get());
            tenants.attach(ctx, tenantByToken.get(applicationToken.get()));
        }
    }

    /**
     * @param ctx a request the guard has admitted
     * @return the tenant whose data it reaches
     */
    WebcrmTenant tenant(Context ctx) {
        return tenants.of(ctx);
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
        String authCode = authCode(ctx);
        if (!auth.isApplicationToken(authCode)) {
            ctx.status(401).json(WebcrmAuth.loginFailure("The authCode is not a valid application token"));
        } else if (tenantByToken.get(authCode).revocation().revoked()) {
            ctx.status(401).json(WebcrmAuth.loginFailure(REVOKED));
        } else if (admit(ctx, authCode)) {
            ctx.json(auth.login(authCode));
        }
    }

    private void refresh(Context ctx) {
        Optional<String> applicationToken = auth.redeemRefreshToken(refreshToken(ctx));
        if (applicationToken.isEmpty()) {
            ctx.status(401).json(WebcrmAuth.loginFailure("The refresh token is unknown, used or expired"));
        } else if (tenantByToken.get(applicationToken.get()).revocation().revoked()) {
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

    private static String authCode(Context ctx) {
        return firstPresent(ctx.formParam("authCode"), ctx.header("authCode"));
    }

    private static String refreshToken(Context ctx) {
        // webCRM's Swagger puts refreshToken in a header, Dreamdata's client sends a form field: take either.
        return firstPresent(ctx.header("refreshToken"), ctx.formParam("refreshToken"));
    }

    private static String bearerToken(Context ctx) {
        String header = ctx.header("Authorization");
        return header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip() : null;
    }

    private static String firstPresent(String first, String second) {
        return first != null && !first.isBlank() ? first : second;
    }
}
