package dev.crmsync.adapters.webcrm.internal;

/**
 * Where an incremental read of webCRM stands, kept by the engine as an opaque text: {@code updatedAt|id|safe}.
 *
 * <p>{@code updatedAt} and {@code id} are the key of the last record read, in the read's order
 * ({@code …UpdatedAt}, then {@code …Id}): the next read goes on after it, {@code WHERE UpdatedAt > u OR
 * (UpdatedAt = u AND Id > id)}, so an idle cycle reads one empty page however many records share the last stamp
 * (a bulk write stamps hundreds in one second).
 *
 * <p>{@code safe} is a local time before which every record has been read for certain: an overlap before the last
 * "safety" read. A change can show up late with an earlier stamp: a transaction that commits after a read although
 * it was stamped before it, a webCRM server whose clock is behind, the hour that repeats in autumn. Such a change is
 * stamped no earlier than one overlap before the read that missed it, so a safety read from {@code safe}, once per
 * overlap, finds it. Reading the overlap again only then, rather than at every read, keeps the cost of an idle cycle
 * the same whatever the tenant's size: the records of a bulk load are read again once or twice, not at every cycle
 * while the overlap lasts, and once nothing has changed for an overlap a safety read is an ordinary one.
 *
 * <p>A cursor written by an earlier version is a bare timestamp; it reads as one at id 0 whose safety read is due.
 *
 * @param updatedAt the {@code …UpdatedAt} of the last record read, as webCRM wrote it
 * @param id        the id of the last record read among those with that stamp; 0 for none
 * @param safe      the local time, {@code yyyy-MM-ddTHH:mm:ss}, an overlap before the last safety read, before which
 *                  everything has been read; null when unknown (a cursor of an earlier version)
 */
public record ChangeCursor(String updatedAt, long id, String safe) {

    private static final String SEPARATOR = "|";

    public ChangeCursor {
        if (updatedAt == null || updatedAt.isBlank() || updatedAt.contains(SEPARATOR)) {
            throw new IllegalArgumentException("updatedAt must be a timestamp: " + updatedAt);
        }
        if (id < 0) {
            throw new IllegalArgumentException("id must not be negative: " + id);
        }
    }

    /**
     * @param text a cursor as {@link #toString()} wrote it, or a bare timestamp of an earlier version
     * @return the cursor
     * @throws IllegalArgumentException when the text is no cursor
     */
    public static ChangeCursor parse(String text) {
        String[] parts = text.split("\\|", -1);
        try {
            return switch (parts.length) {
                case 1 -> new ChangeCursor(parts[0].strip(), 0, null);
                case 3 -> new ChangeCursor(parts[0].strip(), Long.parseLong(parts[1].strip()),
                        parts[2].isBlank() ? null : parts[2].strip());
                default -> throw new IllegalArgumentException("not a webCRM cursor: " + text);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a webCRM cursor: " + text, e);
        }
    }

    /**
     * @return the text the engine stores
     */
    @Override
    public String toString() {
        return updatedAt + SEPARATOR + id + SEPARATOR + (safe == null ? "" : safe);
    }
}
