package dev.crmsync.adapters.webcrm.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Objects;

/**
 * Reads and writes webCRM's timestamps, whose time zone webCRM does not document (API-NOTES §12). A value without
 * offset, the form webCRM is seen to send ({@code 2025-06-15T12:00:00}), is local time in the configured zone; a
 * value with {@code Z} or an offset is converted to that zone. Filters are written back in the offset-less form,
 * as webCRM's own SDK formats path dates.
 *
 * <p>Local time is not monotonic: in the autumn hour that repeats, a later write can carry an earlier stamp. That
 * is what the connector's overlap window is for; here an ambiguous local time is read as its earlier instant, so
 * a window computed from it starts early rather than late.
 *
 * <p>This class is threadsafe: it is immutable.
 */
public final class WebcrmTime {

    private static final DateTimeFormatter OUTPUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private final ZoneId zone;

    /**
     * @param zone the zone webCRM's offset-less timestamps are meant in
     */
    public WebcrmTime(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /**
     * @param text a timestamp as webCRM sends it
     * @return the local time in the configured zone, in webCRM's own order of timestamps
     * @throws DateTimeException when the text is no timestamp
     */
    public LocalDateTime local(String text) {
        String iso = text.strip().replace(' ', 'T');
        if (iso.length() == 10) {
            return LocalDate.parse(iso).atStartOfDay();
        }
        if (hasOffset(iso)) {
            return OffsetDateTime.parse(iso).atZoneSameInstant(zone).toLocalDateTime();
        }
        return LocalDateTime.parse(iso);
    }

    /**
     * @param text a timestamp as webCRM sends it
     * @return the instant it denotes
     * @throws DateTimeException when the text is no timestamp
     */
    public Instant instant(String text) {
        return local(text).atZone(zone).toInstant();
    }

    /**
     * @param text   a timestamp as webCRM sends it
     * @param amount how far to go back
     * @return the local time {@code amount} before {@code text}, as {@code yyyy-MM-ddTHH:mm:ss}, for a filter
     * @throws DateTimeException when the text is no timestamp
     */
    public String minus(String text, Duration amount) {
        return format(instant(text).minus(amount));
    }

    /**
     * @param instant an instant
     * @return its local time in the configured zone, as {@code yyyy-MM-ddTHH:mm:ss}, for a filter
     */
    public String format(Instant instant) {
        return LocalDateTime.ofInstant(instant, zone).truncatedTo(ChronoUnit.SECONDS).format(OUTPUT);
    }

    /**
     * The earliest local time shown by the clock between two instants: the local time of {@code from}, unless the
     * clocks were put back in between (the autumn change), when the repeated hour starts earlier. A filter that
     * starts there misses no record stamped in that span.
     *
     * @param from the earlier instant
     * @param to   the later instant
     * @return that local time, as {@code yyyy-MM-ddTHH:mm:ss}
     */
    public String earliestBetween(Instant from, Instant to) {
        LocalDateTime earliest = LocalDateTime.ofInstant(from, zone);
        ZoneRules rules = zone.getRules();
        for (ZoneOffsetTransition change = rules.nextTransition(from);
             change != null && !change.getInstant().isAfter(to);
             change = rules.nextTransition(change.getInstant())) {
            if (change.isOverlap() && change.getDateTimeAfter().isBefore(earliest)) {
                earliest = change.getDateTimeAfter();
            }
        }
        return earliest.truncatedTo(ChronoUnit.SECONDS).format(OUTPUT);
    }

    private static boolean hasOffset(String iso) {
        int timeStart = iso.indexOf('T');
        if (timeStart < 0) {
            return false;
        }
        String time = iso.substring(timeStart);
        return time.endsWith("Z") || time.endsWith("z") || time.indexOf('+') > 0 || time.indexOf('-') > 0;
    }
}
