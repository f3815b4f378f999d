package dev.crmsync.app.service.hooks;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Customcrm deliveries accepted lately, so that one recorded and sent again while its signature is still
 * fresh is refused (issue 11). A delivery is known by its signed body: the record type, id, event and version it
 * names make it one change of one record, so the same body twice is the same delivery, whether a third party
 * replays it or the server retries it after losing the first answer.
 *
 * <p>A delivery is remembered for twice the signature tolerance: its time lies within the tolerance of the clock
 * that accepted it, and a copy passes the time check only within the tolerance of that time, so after twice the
 * tolerance the signature check refuses every copy by itself. Only digests are kept, at most {@link #MAX_KEPT}:
 * past that the oldest are forgotten first (only the holder of the secret can make deliveries to fill it).
 *
 * <p>This class is threadsafe.
 */
final class DeliveryMemory {

    /** The most deliveries remembered at once. */
    static final int MAX_KEPT = 100_000;

    private final Duration keep;
    /** Digest to the time it may be forgotten, oldest first: every entry is kept equally long. */
    private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

    /**
     * @param tolerance how far a signature's time may be from the clock, either way
     */
    DeliveryMemory(Duration tolerance) {
        this.keep = tolerance.multipliedBy(2);
    }

    /**
     * Remembers a delivery unless it was seen already.
     *
     * @param body the delivery's body exactly as received and verified
     * @param now  the receiver's time
     * @return true the first time, false when the same delivery was accepted before and is still remembered
     */
    synchronized boolean firstTime(byte[] body, Instant now) {
        forgetExpired(now);
        String digest = digest(body);
        if (seen.containsKey(digest)) {
            return false;
        }
        if (seen.size() >= MAX_KEPT) {
            Iterator<String> oldest = seen.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        seen.put(digest, now.plus(keep));
        return true;
    }

    /**
     * @return how many deliveries are remembered now, for tests
     */
    synchronized int size() {
        return seen.size();
    }

    private void forgetExpired(Instant now) {
        Iterator<Map.Entry<String, Instant>> entries = seen.entrySet().iterator();
        while (entries.hasNext() && !now.isBefore(entries.next().getValue())) {
            entries.remove();
        }
    }

    private static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
