package dev.crmsync.app.simulate;

import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Revokes a simulator's credentials (webCRM's application tokens and the access tokens issued for them, the
 * Customcrm API key), the way an administrator who withdraws a token does: from then on every request and every
 * login is refused with 401 until they are reinstated. A revocation may wait for a number of writes, so that a
 * test can withdraw the credentials in the middle of a sync, after some of its writes landed:
 *
 * <pre>
 * GET    /_sim/revoke                      {"revoked":false,"writesBeforeRevocation":null}
 * POST   /_sim/revoke                      {"afterWrites":0}   0 (the default): at once; N: after N more writes
 * DELETE /_sim/revoke                      the credentials are good again
 * </pre>
 *
 * A write is a data-changing request that passed the credential check; the write that finds the countdown spent
 * is the first one refused.
 *
 * <p>This class is threadsafe.
 */
public final class CredentialRevocation {

    private boolean revoked;
    /** Writes still admitted before the revocation takes effect; null when none is scheduled. */
    private Integer writesLeft;

    /** Refuses the credentials from now on. */
    public synchronized void revoke() {
        revoked = true;
        writesLeft = null;
    }

    /**
     * @param writes how many more writes to admit; 0 revokes at once
     */
    public synchronized void revokeAfterWrites(int writes) {
        if (writes < 0) {
            throw new IllegalArgumentException("afterWrites must be 0 or more: " + writes);
        }
        if (writes == 0) {
            revoke();
        } else {
            writesLeft = writes;
        }
    }

    /** Accepts the credentials again and cancels a scheduled revocation. */
    public synchronized void reinstate() {
        revoked = false;
        writesLeft = null;
    }

    /**
     * @return true when the credentials are refused
     */
    public synchronized boolean revoked() {
        return revoked;
    }

    /**
     * Asked by the credential check of a write with good credentials: counts it against a scheduled revocation.
     *
     * @return true when the write may go on; false when the credentials are (now) revoked
     */
    public synchronized boolean admitWrite() {
        if (!revoked && writesLeft != null) {
            if (writesLeft == 0) {
                revoke();
            } else {
                writesLeft--;
            }
        }
        return !revoked;
    }

    /**
     * Installs the {@code /_sim/revoke} routes, which like the other control routes need no credentials.
     *
     * @param cfg the server configuration being built
     */
    public void install(JavalinConfig cfg) {
        cfg.routes.get("/_sim/revoke", ctx -> ctx.json(describe()));
        cfg.routes.post("/_sim/revoke", ctx -> {
            try {
                revokeAfterWrites(ctx.body().isBlank() ? 0
                        : SimulatorJson.mapper().readTree(ctx.body()).path("afterWrites").asInt(0));
            } catch (RuntimeException e) {
                throw new BadRequestResponse("expected {\"afterWrites\": N} with N >= 0: " + e.getMessage());
            }
            ctx.json(describe());
        });
        cfg.routes.delete("/_sim/revoke", ctx -> {
            reinstate();
            ctx.json(describe());
        });
    }

    private synchronized Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("revoked", revoked);
        out.put("writesBeforeRevocation", writesLeft);
        return out;
    }
}
