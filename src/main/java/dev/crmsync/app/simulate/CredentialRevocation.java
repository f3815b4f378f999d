package dev.crmsync.app.simulate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Revokes a tenant's credentials (webCRM's application tokens and the access tokens issued for them, the
 * Customcrm API key), the way an administrator who withdraws a token does: from then on every request and every
 * login is refused with 401 until they are reinstated. A revocation may wait for a number of writes, so that a
 * test can withdraw the credentials in the middle of a sync, after some of its writes landed. Each tenant of a
 * simulator has its own; {@link SimulatorControl} offers them over HTTP under {@code /_sim/revoke}.
 *
 * <p>A write is a data-changing request that passed the credential check; the write that finds the countdown spent
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
     * @return the state as {@code GET /_sim/revoke} answers it
     */
    synchronized Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("revoked", revoked);
        out.put("writesBeforeRevocation", writesLeft);
        return out;
    }
}
