package dev.crmsync.app.service;

/**
 * The worker did not take a request in time because a long cycle is running; the API answers 503.
 */
public final class ServiceBusyException extends RuntimeException {

    /**
     * @param message what to tell the person
     */
    public ServiceBusyException(String message) {
        super(message);
    }
}
