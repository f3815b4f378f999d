package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.customcrm.Problem.Type;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The change feed of each record type: {@code GET /{type}?since=<cursor>&limit=N}.
 *
 * <p>Every change takes the next number of one counter shared by all types, and a record row keeps the number
 * of its latest change. A page is therefore "the rows of this type numbered after the cursor, in number order":
 * each record appears once, at its latest state, and a record changed again after a page was read simply shows
 * up again later. A cursor is the last number a page held, with its type, base64url-encoded so that clients
 * treat it as opaque.
 *
 * <p>This class is threadsafe.
 */
final class ChangeFeed {

    /** One page of changes, ready to send. */
    record Page(List<ObjectNode> items, String next, boolean hasMore) {
    }

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final String FORMAT = "c1:";

    private final CustomcrmDatabase db;

    ChangeFeed(CustomcrmDatabase db) {
        this.db = db;
    }

    /**
     * @param since a cursor from an earlier page, or null for the beginning
     * @param limit most records in the page, 1 to {@link #MAX_LIMIT}
     * @return the changes after {@code since}; {@code next} is {@code since} itself when there are none
     * @throws ProblemException 400 when {@code since} is not a cursor of this type that this server issued
     */
    Page read(RecordType type, String since, int limit) {
        long after = since == null ? 0 : position(type, since);
        return db.read(h -> {
            if (after > RecordStore.current(h, "change")) {
                // A cursor from the future means the database was replaced; reading on would skip records.
                throw badCursor(type, "it is ahead of this server's feed; was the database replaced?");
            }
            List<StoredRecord> rows = RecordStore.changesAfter(h, type, after, limit + 1);
            boolean hasMore = rows.size() > limit;
            List<StoredRecord> page = hasMore ? rows.subList(0, limit) : rows;
            long next = page.isEmpty() ? after : page.getLast().changeSeq();
            return new Page(page.stream().map(StoredRecord::toJson).toList(), cursor(type, next), hasMore);
        });
    }

    static String cursor(RecordType type, long changeSeq) {
        String plain = FORMAT + type.path() + ":" + changeSeq;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static long position(RecordType type, String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String prefix = FORMAT + type.path() + ":";
            if (plain.startsWith(prefix)) {
                long changeSeq = Long.parseLong(plain.substring(prefix.length()));
                // Only the exact text this server hands out is a cursor, so "the same cursor" means the same text.
                if (changeSeq >= 0 && cursor(type, changeSeq).equals(cursor)) {
                    return changeSeq;
                }
            }
        } catch (IllegalArgumentException e) {
            // Not base64 or not a number: fall through to the same answer as any other foreign cursor.
        }
        throw badCursor(type, "it is not a cursor of the " + type.path() + " feed");
    }

    private static ProblemException badCursor(RecordType type, String why) {
        return Problem.of(Type.BAD_REQUEST, "since is not valid for " + type.path() + ": " + why).toException();
    }
}
