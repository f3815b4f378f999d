package dev.crmsync.app.service;

import dev.crmsync.model.Side;

/**
 * Counts about each system that live outside the service: the HTTP clients' rate-limit budget and call counts,
 * and the change hooks received. The app wires the real ones; {@link #NONE} reports zeros.
 *
 * <p>Implementations are threadsafe.
 */
public interface SystemGauges {

    /** Reports zeros. */
    SystemGauges NONE = new SystemGauges() {
    };

    /** @return requests in the current rate-limit window */
    default long budgetUsed(Side side) {
        return 0;
    }

    /** @return requests the rate-limit window allows */
    default long budgetLimit(Side side) {
        return 0;
    }

    /** @return requests since start */
    default long calls(Side side) {
        return 0;
    }

    /** @return 429 answers since start */
    default long throttled(Side side) {
        return 0;
    }

    /** @return change hooks received since start */
    default long hooksReceived(Side side) {
        return 0;
    }
}
