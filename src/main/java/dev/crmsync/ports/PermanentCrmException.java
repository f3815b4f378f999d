package dev.crmsync.ports;

/**
 * A call failed in a way that will not pass by waiting: a wrong token, a missing permission, a malformed answer
 * the connector cannot read.
 */
public class PermanentCrmException extends RuntimeException {

    /**
     * @param message what failed, without secrets
     * @param cause   the underlying error, or null
     */
    public PermanentCrmException(String message, Throwable cause) {
        super(message, cause);
    }
}
