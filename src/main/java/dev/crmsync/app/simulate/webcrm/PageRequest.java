package dev.crmsync.app.simulate.webcrm;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Page} and {@code Size} of a list request, within the bounds of webCRM's Swagger document: page
 * 1..1,000,000, size 1..1000.
 *
 * <p>Out-of-range values are refused with 400 rather than clamped: webCRM does not document what it does with a
 * {@code Size} over 1000 (API-NOTES §3.2), and a loud refusal shows a client's mistake at once, where silent
 * clamping would make it lose every row past the first thousand without noticing.
 *
 * <p>This record is threadsafe: it is immutable.
 *
 * @param page the page number, from 1
 * @param size records per page
 */
record PageRequest(int page, int size) {

    /** The page size when a request names none; webCRM does not document its own default. */
    private static final int DEFAULT_SIZE = 50;
    private static final int MAX_SIZE = 1000;
    private static final int MAX_PAGE = 1_000_000;

    /**
     * Reads {@code Page} and {@code Size}, also in lower case, which clients use too (API-NOTES §3.2).
     *
     * @param ctx the list request
     * @return the paging asked for, with defaults for what is missing
     * @throws WebcrmApiException a 400 for a value that is not a number or out of range
     */
    static PageRequest of(Context ctx) {
        return new PageRequest(read(ctx, "Page", 1, MAX_PAGE, 1), read(ctx, "Size", 1, MAX_SIZE, DEFAULT_SIZE));
    }

    /**
     * @return the index of the page's first row
     */
    long offset() {
        return (long) (page - 1) * size;
    }

    /**
     * @param rows all rows, in the order they are served
     * @return the rows on this page; empty past the end
     */
    <T> List<T> slice(List<T> rows) {
        long from = (long) (page - 1) * size;
        if (from >= rows.size()) {
            return List.of();
        }
        return rows.subList((int) from, (int) Math.min(rows.size(), from + size));
    }

    private static int read(Context ctx, String name, int min, int max, int fallback) {
        String text = ctx.queryParam(name);
        if (text == null) {
            text = ctx.queryParam(name.toLowerCase(Locale.ROOT));
        }
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw WebcrmApiException.invalid("The field " + name + " must be between " + min + " and " + max
                + ", got '" + text + "'");
    }
}
