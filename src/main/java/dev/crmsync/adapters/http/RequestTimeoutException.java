package dev.crmsync.adapters.http;

import dev.crmsync.ports.TransientCrmException;

/**
 * A request that was sent but not answered within its timeout. Unlike a refused connection it may have been
 * carried out, wholly or in part, and unlike a 5xx it hints that the request was too big to answer in time: a bulk
 * write that meets it is confirmed, then sent again in smaller parts.
 */
public final class RequestTimeoutException extends TransientCrmException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what timed out, never with a credential
     * @param cause   the client's timeout
     */
    public RequestTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
