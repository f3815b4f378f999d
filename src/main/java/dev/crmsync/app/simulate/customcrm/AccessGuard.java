package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.adapters.http.SlidingWindowRateLimiter;
import dev.crmsync.app.simulate.CredentialRevocation;
import dev.crmsync.app.simulate.SimulatorTenants;
import dev.crmsync.app.simulate.customcrm.Problem.Type;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The API key check and the rate limit, run before every API request. The contract document and the {@code /_sim}
 * control routes are open: tools must be able to read the contract, and a test must always be able to switch
 * faults off. A revoked key ({@link CredentialRevocation}) is answered 401 like a wrong one.
 *
 * <p>Each tenant has its own key ({@link CustomcrmTenant}), and the key a request sends is what attaches it to a
 * tenant, before faults are injected, so that it meets that tenant's faults and reaches that tenant's data only.
 * The rate limit counts per key, so per tenant.
 *
 * <p>This class is threadsafe.
 */
final class AccessGuard {

    private static final String BEARER = "Bearer ";

    private final SimulatorTenants<CustomcrmTenant> tenants;
    private final Optional<SlidingWindowRateLimiter> limiter;
    private final Set<String> writeMethods;

    /**
     * @param tenants      the tenants, each with the one key it accepts
     * @param limiter      the limit per key; empty for none
     * @param writeMethods the methods of data-changing requests, which a scheduled revocation counts
     */
    AccessGuard(SimulatorTenants<CustomcrmTenant> tenants, Optional<SlidingWindowRateLimiter> limiter,
                Set<String> writeMethods) {
        this.tenants = tenants;
        this.limiter = limiter;
        this.writeMethods = Set.copyOf(writeMethods);
    }

    /**
     * Installs the before-handler that attaches a request to the tenant whose key it sends; it must come before the
     * fault filter's, so that a request meets its own tenant's faults.
     *
     * @param cfg the server configuration being built
     */
    void installIdentification(JavalinConfig cfg) {
        cfg.routes.before(this::identify);
    }

    /**
     * Installs the check as a before-handler; it must come after the fault filter's, so that an injected fault
     * is what a client meets first, as it would meet a failing proxy.
     *
     * @param cfg the server configuration being built
     */
    void install(JavalinConfig cfg) {
        cfg.routes.before(this::check);
    }

    private void identify(Context ctx) {
        if (ctx.path().startsWith("/_sim")) {
            return;
        }
        byte[] sent = sentKey(ctx.header("Authorization"));
        if (sent == null) {
            return;
        }
        CustomcrmTenant match = null;
        for (CustomcrmTenant tenant : tenants.all()) {
            // Every key is compared, in constant time, so that the answer's timing tells neither how much of a
            // guessed key was right nor whose key it came close to.
            if (MessageDigest.isEqual(sent, tenant.apiKey().getBytes(StandardCharsets.UTF_8))) {
                match = tenant;
            }
        }
        if (match != null) {
            tenants.attach(ctx, match);
        }
    }

    private void check(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/_sim") || path.equals(CustomcrmApi.CONTRACT_PATH)) {
            return;
        }
        String authorization = ctx.header("Authorization");
        Optional<CustomcrmTenant> tenant = tenants.credentialed(ctx);
        if (tenant.isEmpty()) {
            throw Problem.of(Type.UNAUTHORIZED, authorization == null
                            ? "send the API key as Authorization: Bearer <api key>" : "the API key is not valid")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"customcrm\"").toException();
        }
        CredentialRevocation revocation = tenant.get().revocation();
        if (revocation.revoked() || writeMethods.contains(ctx.method().name()) && !revocation.admitWrite()) {
            throw Problem.of(Type.UNAUTHORIZED, "the API key was revoked")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"customcrm\"").toException();
        }
        limiter.flatMap(l -> l.tryAcquire(tenant.get().apiKey())).ifPresent(this::refuse);
    }

    /** The key of an {@code Authorization: Bearer <key>} header, or null for no such header. */
    private static byte[] sentKey(String authorization) {
        if (authorization == null || authorization.length() < BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
    }

    private void refuse(Duration wait) {
        throw Problem.of(Type.RATE_LIMITED, "more than " + limiter.orElseThrow().limit()
                        + " requests in the rate-limit window; retry in " + wait.toSeconds() + " s")
                .withHeader("Retry-After", Long.toString(wait.toSeconds())).toException();
    }
}
