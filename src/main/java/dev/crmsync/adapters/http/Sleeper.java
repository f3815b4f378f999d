package dev.crmsync.adapters.http;

import dev.crmsync.ports.TransientCrmException;
import java.time.Duration;

/**
 * Waits. Connectors wait through a sleeper rather than {@code Thread.sleep}, so tests check a wait ("waited 14 s
 * for Retry-After") without waiting.
 */
@FunctionalInterface
public interface Sleeper {

    /** Really sleeps. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    /**
     * @param duration how long
     * @throws InterruptedException when the thread is interrupted, e.g. at shutdown
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Sleeps, and turns an interruption (a stop) into a transient failure of what was waiting, keeping the
     * thread's interrupt flag.
     *
     * @param duration how long
     * @param what     what waits, for the message
     * @throws TransientCrmException when interrupted
     */
    default void pause(Duration duration, String what) {
        try {
            sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientCrmException(what + " interrupted while waiting", e);
        }
    }
}
