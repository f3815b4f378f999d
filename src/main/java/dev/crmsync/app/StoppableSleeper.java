package dev.crmsync.app;

import dev.crmsync.adapters.http.Sleeper;
import java.time.Duration;

/**
 * The service's way of waiting: like the sleeper it wraps, except that a stop ends every wait at once. A batch
 * that waits for the rate limit, a {@code Retry-After} or a backoff would otherwise hold a stop for up to two
 * minutes, past any service manager's patience; woken, the wait fails as an interrupted one, the write it held
 * back is left for the next start (a create keeps its outbox intent), and the cycle ends at the next item
 * boundary with the store consistent.
 *
 * <p>This class is threadsafe.
 */
final class StoppableSleeper implements Sleeper {

    private final Sleeper inner;
    private boolean stopped;

    /**
     * @param inner how to wait while not stopped; {@link Sleeper#SYSTEM} waits here, on this object, so that a stop
     *              wakes it; any other sleeper is asked as it is, and a stop is seen before and after it
     */
    StoppableSleeper(Sleeper inner) {
        this.inner = inner;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (inner != Sleeper.SYSTEM) {
            refuseIfStopped();
            inner.sleep(duration);
            refuseIfStopped();
            return;
        }
        long end = System.nanoTime() + duration.toNanos();
        synchronized (this) {
            while (!stopped) {
                long leftNanos = end - System.nanoTime();
                if (leftNanos <= 0) {
                    return;
                }
                wait(Math.max(1, leftNanos / 1_000_000));
            }
        }
        throw stopping();
    }

    /** Ends every wait under way, and refuses every later one. */
    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    private synchronized void refuseIfStopped() throws InterruptedException {
        if (stopped) {
            throw stopping();
        }
    }

    private static InterruptedException stopping() {
        return new InterruptedException("crmsync is stopping");
    }
}
