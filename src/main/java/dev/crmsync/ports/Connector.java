package dev.crmsync.ports;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One system as the engine sees it: read changes since a cursor, list all ids, find a record by its link stamp,
 * and write. Like a Connect task, it has a lifecycle ({@link #close}) and states its contract per method.
 *
 * <p>Errors: a method throws {@link TransientCrmException} when trying again later may succeed (429, 5xx,
 * timeouts, dropped connections) after the connector's own retries are spent, and {@link PermanentCrmException}
 * when it will not. Writes never throw for a single refused record: they report it in their {@link WriteOutcome}.
 *
 * <p>Implementations are threadsafe, but the engine drives one connector from one thread at a time.
 */
public interface Connector extends AutoCloseable {

    /**
     * @return which system this is
     */
    Side side();

    /**
     * Reads every record of {@code flow} that changed after {@code cursor}, page by page, and hands each page to
     * {@code sink} before reading the next. Records may come more than once (overlap windows); the engine copes.
     *
     * @param flow   the flow
     * @param cursor where the last complete read ended, or null for everything
     * @param sink   takes each page; the read stops if it throws
     * @return the cursor to store once every page has been durably handled
     */
    String readChanges(Flow flow, String cursor, Consumer<List<SideRecord>> sink);

    /**
     * Lists the ids of every record of {@code flow}, for systems that do not report deletes: a record crmsync
     * knows that is missing from this list was deleted.
     *
     * @param flow the flow
     * @return the complete set of ids, or empty when the system reports deletes itself (tombstones)
     */
    Optional<Set<String>> allIds(Flow flow);

    /**
     * @param flow   the flow
     * @param linkId a link id
     * @return the record stamped with that link id, if one exists
     */
    Optional<SideRecord> findByStamp(Flow flow, String linkId);

    /**
     * Finds the records stamped with any of {@code linkIds}, for settling many creates whose answers were lost at
     * once. This default asks {@link #findByStamp} once per link id; a connector whose system can search many
     * stamps in one request does so.
     *
     * @param flow    the flow
     * @param linkIds link ids
     * @return the stamped records found, by link id; link ids no record carries are left out
     */
    default Map<String, SideRecord> findByStamps(Flow flow, Collection<String> linkIds) {
        Map<String, SideRecord> found = new LinkedHashMap<>();
        for (String linkId : linkIds) {
            findByStamp(flow, linkId).ifPresent(record -> found.put(linkId, record));
        }
        return found;
    }

    /**
     * Reads one record as it is now, whatever the change feed said about it: what a resync of one record needs.
     * This default reads every record of the flow and picks it out; a connector whose system can read one record
     * by its id does so in one request.
     *
     * @param flow the flow
     * @param id   the record's id on this side
     * @return the record; empty when the system has no live record with that id
     * @throws IllegalArgumentException when {@code id} cannot be an id of this system
     */
    default Optional<SideRecord> read(Flow flow, String id) {
        SideRecord[] found = new SideRecord[1];
        readChanges(flow, null, page -> page.stream().filter(r -> r.id().equals(id)).reduce((a, b) -> b)
                .ifPresent(r -> found[0] = r));
        return Optional.ofNullable(found[0]).filter(r -> !r.deleted());
    }

    /**
     * @param flow the flow
     * @return whether records of this flow can be deleted through the API
     */
    boolean canDelete(Flow flow);

    /**
     * Carries out writes, in order; the connector may batch them into fewer calls. A create stamps the new
     * record with its link id (the engine puts the stamp into the properties).
     *
     * @param flow   the flow
     * @param writes the writes
     * @return one outcome per write, in the same order
     */
    List<WriteOutcome> write(Flow flow, List<Write> writes);

    /**
     * Releases the connector's resources.
     */
    @Override
    void close();
}
