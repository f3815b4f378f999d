package dev.crmsync.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock a test moves by hand, so expiry, rate windows and backoff are tested without waiting. Threadsafe. */
public final class MutableClock implements InstantSource {

    private final AtomicReference<Instant> now;

    /**
     * @param start the time the clock shows until it is moved
     */
    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /**
     * @param step how far to move the clock forward
     */
    public void advance(Duration step) {
        now.updateAndGet(t -> t.plus(step));
    }
}
