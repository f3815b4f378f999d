package dev.crmsync.ports;

/**
 * A call failed in a way that may pass: 429, 5xx, a timeout, a dropped connection. The cycle stops and the next
 * one tries again; nothing read before it is lost, since cursors only move past stored work.
 */
public class TransientCrmException extends RuntimeException {

    /**
     * @param message what failed, without secrets
     * @param cause   the underlying error, or null
     */
    public TransientCrmException(String message, Throwable cause) {
        super(message, cause);
    }
}
