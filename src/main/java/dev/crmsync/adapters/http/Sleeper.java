package dev.crmsync.adapters.http;

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
}
