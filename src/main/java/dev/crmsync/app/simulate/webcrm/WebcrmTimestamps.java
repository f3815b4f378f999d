package dev.crmsync.app.simulate.webcrm;

import java.time.DateTimeException;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The simulator's one timestamp convention (API-NOTES §12 leaves webCRM's undocumented): every date-time is
 * Europe/Copenhagen local time in whole seconds, served as {@code yyyy-MM-ddTHH:mm:ss} with no offset.
 *
 * <p>Input is read generously, as .NET reads it: with or without fractional seconds (the {@code O} format's seven
 * digits included), with {@code T} or a space, as a bare date (midnight), and with {@code Z} or an offset, which is
 * converted to Copenhagen local time. A value without offset is taken as Copenhagen local time already.
 *
 * <p>This class is threadsafe: it holds no state.
 */
public final class WebcrmTimestamps {

    /** The zone all served timestamps are meant in: webCRM is a Danish product. */
    public static final ZoneId ZONE = ZoneId.of("Europe/Copenhagen");

    private static final DateTimeFormatter OUTPUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private WebcrmTimestamps() {
    }

    /**
     * @param clock the time source
     * @return the current Copenhagen local time, cut to whole seconds
     */
    public static LocalDateTime now(InstantSource clock) {
        return LocalDateTime.ofInstant(clock.instant(), ZONE).truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * @param time a Copenhagen local time
     * @return the time as served, e.g. {@code 2025-03-30T14:05:09}
     */
    public static String format(LocalDateTime time) {
        return time.truncatedTo(ChronoUnit.SECONDS).format(OUTPUT);
    }

    /**
     * @param text a date-time in one of the accepted forms
     * @return the Copenhagen local time it denotes, cut to whole seconds
     * @throws DateTimeException when the text is no date-time in an accepted form
     */
    public static LocalDateTime parse(String text) {
        String iso = text.strip().replace(' ', 'T');
        LocalDateTime local;
        if (iso.length() == 10) {
            local = LocalDate.parse(iso).atStartOfDay();
        } else if (hasOffset(iso)) {
            local = OffsetDateTime.parse(iso).atZoneSameInstant(ZONE).toLocalDateTime();
        } else {
            local = LocalDateTime.parse(iso);
        }
        return local.truncatedTo(ChronoUnit.SECONDS);
    }

    private static boolean hasOffset(String iso) {
        int timeStart = iso.indexOf('T');
        if (timeStart < 0) {
            return false;
        }
        String time = iso.substring(timeStart);
        return time.endsWith("Z") || time.indexOf('+') > 0 || time.indexOf('-') > 0;
    }
}
