package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.adapters.http.SlidingWindowRateLimiter;
import dev.crmsync.app.simulate.CredentialRevocation;
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
 * <p>This class is threadsafe.
 */
final class AccessGuard {

    private static final String BEARER = "Bearer ";

    private final String apiKey;
    private final Optional<SlidingWindowRateLimiter> limiter;
    private final CredentialRevocation revocation;
    private final Set<String> writeMethods;

    /**
     * @param apiKey       the one key that is accepted
     * @param limiter      the limit per key; empty for none
     * @param revocation   whether the key is revoked
     * @param writeMethods the methods of data-changing requests, which a scheduled revocation counts
     */
    AccessGuard(String apiKey, Optional<SlidingWindowRateLimiter> limiter, CredentialRevocation revocation,
                Set<String> writeMethods) {
        this.apiKey = apiKey;
        this.limiter = limiter;
        this.revocation = revocation;
        this.writeMethods = Set.copyOf(writeMethods);
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

    private void check(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/_sim") || path.equals(CustomcrmApi.CONTRACT_PATH)) {
            return;
        }
        String authorization = ctx.header("Authorization");
        if (!isValid(authorization)) {
            throw Problem.of(Type.UNAUTHORIZED, authorization == null
                            ? "send the API key as Authorization: Bearer <api key>" : "the API key is not valid")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"customcrm\"").toException();
        }
        if (revocation.revoked() || writeMethods.contains(ctx.method().name()) && !revocation.admitWrite()) {
            throw Problem.of(Type.UNAUTHORIZED, "the API key was revoked")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"customcrm\"").toException();
        }
        limiter.flatMap(l -> l.tryAcquire(apiKey)).ifPresent(this::refuse);
    }

    private boolean isValid(String authorization) {
        if (authorization == null || authorization.length() < BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] sent = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        // Constant time, so that the answer's timing does not tell how much of a guessed key was right.
        return MessageDigest.isEqual(sent, apiKey.getBytes(StandardCharsets.UTF_8));
    }

    private void refuse(Duration wait) {
        throw Problem.of(Type.RATE_LIMITED, "more than " + limiter.orElseThrow().limit()
                        + " requests in the rate-limit window; retry in " + wait.toSeconds() + " s")
                .withHeader("Retry-After", Long.toString(wait.toSeconds())).toException();
    }
}
