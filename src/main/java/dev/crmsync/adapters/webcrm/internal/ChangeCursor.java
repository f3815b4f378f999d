package dev.crmsync.adapters.webcrm.internal;

/**
 * Where an incremental read of webCRM stands, kept by the engine as an opaque text: {@code greatest|safe}.
 *
 * <p>{@code greatest} is the greatest {@code …UpdatedAt} read so far, as webCRM wrote it: the next read starts
 * there ({@code >=}) and finds every change stamped since. {@code safe} is a local time before which every record
 * has been read for certain. A change can show up late with an earlier stamp: a transaction that commits after a
 * read although it was stamped before it, a webCRM server whose clock is behind, the hour that repeats in autumn.
 * Such a change is stamped no earlier than one overlap before the read that missed it, so a "safety" read from
 * {@code safe}, once per overlap, finds it. Reading the overlap again only then, rather than at every read, keeps
 * the cost of an idle cycle the same whatever the tenant's size: after a bulk load, its records are read again
 * once or twice, not at every cycle for as long as the overlap lasts.
 *
 * <p>A cursor written before {@code safe} existed is a bare timestamp; it reads as one whose safety read is due.
 *
 * @param greatest the greatest {@code …UpdatedAt} read, as webCRM wrote it
 * @param safe     the local time, {@code yyyy-MM-ddTHH:mm:ss}, before which everything has been read; null when
 *                 unknown (an old cursor)
 */
public record ChangeCursor(String greatest, String safe) {

    private static final char SEPARATOR = '|';

    public ChangeCursor {
        if (greatest == null || greatest.isBlank()) {
            throw new IllegalArgumentException("greatest must be a timestamp");
        }
    }

    /**
     * @param text a cursor as {@link #toString()} wrote it, or a bare timestamp of an older version
     * @return the cursor
     * @throws IllegalArgumentException when the text is blank
     */
    public static ChangeCursor parse(String text) {
        int at = text.indexOf(SEPARATOR);
        return at < 0 ? new ChangeCursor(text.strip(), null)
                : new ChangeCursor(text.substring(0, at).strip(), text.substring(at + 1).strip());
    }

    /**
     * @return the text the engine stores
     */
    @Override
    public String toString() {
        return safe == null ? greatest : greatest + SEPARATOR + safe;
    }
}
