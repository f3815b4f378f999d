package dev.crmsync.model;

import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Makes link ids that sort in the order they were made: UUIDs of version 7 (RFC 9562), written in lower case, whose
 * first 48 bits are the milliseconds since 1970 and whose next 12 bits count up within one millisecond.
 *
 * <p>Why the order matters: a link id is the stamp crmsync writes on every record it creates, and the creates of
 * one bulk write are made one after another, so their stamps fill one narrow range. crmsync confirms what a bulk
 * write created by reading that range back in one query ({@code stamp >= first AND stamp <= last}) instead of
 * naming hundreds of stamps in a URL. The text form keeps the order: fixed length, hexadecimal digits in lower
 * case and the dashes at fixed places, so that byte order, case-blind collations and collations that skip dashes
 * all agree.
 *
 * <p>Ids stay strictly increasing when the clock stands still or steps back: the last id's time is kept and the
 * counter moves on, spilling into the next millisecond after 4096 ids.
 *
 * <p>This class is threadsafe.
 */
public final class LinkIds implements Supplier<String> {

    private static final int COUNTER_BITS = 12;
    private static final long COUNTER_MAX = (1L << COUNTER_BITS) - 1;

    private final InstantSource clock;
    private final RandomGenerator random;
    private long lastMillis = Long.MIN_VALUE;
    private long counter;

    /**
     * @param clock  the time the ids carry
     * @param random the source of the 62 random bits that make ids of two processes differ
     */
    public LinkIds(InstantSource clock, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @return a new link id, greater than every id this instance made before
     */
    @Override
    public synchronized String get() {
        long millis = clock.millis();
        if (millis > lastMillis) {
            lastMillis = millis;
            // Start low in the millisecond so that thousands of ids fit before it spills over.
            counter = random.nextLong(0, 256);
        } else if (counter < COUNTER_MAX) {
            counter++;
        } else {
            lastMillis++;
            counter = 0;
        }
        long high = (lastMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | counter;
        long low = 0x8000_0000_0000_0000L | (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL);
        return hex(high >>> 32, 8) + "-" + hex(high >>> 16 & 0xFFFF, 4) + "-" + hex(high & 0xFFFF, 4) + "-"
                + hex(low >>> 48, 4) + "-" + hex(low & 0xFFFF_FFFF_FFFFL, 12);
    }

    /**
     * @param linkId a link id made by this class
     * @return the milliseconds since 1970 it carries
     * @throws IllegalArgumentException when the text is no version-7 UUID
     */
    public static long millisOf(String linkId) {
        if (linkId.length() != 36 || linkId.charAt(14) != '7') {
            throw new IllegalArgumentException("not a time-ordered link id: " + linkId);
        }
        return Long.parseLong(linkId.substring(0, 8) + linkId.substring(9, 13), 16);
    }

    /**
     * @param linkId any link id
     * @return whether it carries its time, as the ids this class makes do (older stores hold random UUIDs)
     */
    public static boolean isTimeOrdered(String linkId) {
        return linkId.length() == 36 && linkId.charAt(14) == '7' && linkId.charAt(8) == '-'
                && linkId.charAt(13) == '-';
    }

    private static String hex(long value, int digits) {
        String text = Long.toHexString(value);
        return "0".repeat(digits - text.length()) + text;
    }
}
