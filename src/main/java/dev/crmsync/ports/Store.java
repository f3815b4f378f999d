package dev.crmsync.ports;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything a sync must remember between runs: links, observed records (the inbox and mirror of both sides),
 * cursors, the create outbox, conflicts and history. Dead letters are observed records in status
 * {@link RecordStatus#DEAD}.
 *
 * <p>Every method is atomic on its own; {@link #inTransaction} groups several into one atomic step, which the
 * engine uses so that a link, its records' statuses and the outbox change together or not at all.
 *
 * <p>Implementations are threadsafe; the engine still writes through one thread per connection.
 */
public interface Store extends AutoCloseable {

    // ---------------------------------------------------------------- transactions

    /**
     * Runs {@code work} atomically: all its store writes land, or none.
     *
     * @param work the writes; it may call any method of this store
     * @param <T>  what the work returns
     * @return what the work returned
     */
    <T> T inTransaction(Supplier<T> work);

    // ---------------------------------------------------------------- claims

    /**
     * Takes the claim on this store for {@code owner}, as a node does when it takes over the connection: the
     * epoch grows by one, and a store {@link #fenceWith fenced} with an earlier epoch has every write transaction
     * refused from now on. Waits for a transaction of the earlier owner that is under way.
     *
     * @param owner who takes it, e.g. a node's name
     * @param at    when
     * @return the new epoch: 1 for the first claim
     */
    long claim(String owner, Instant at);

    /**
     * Makes every later write transaction of this store conditional on the claim's epoch being {@code epoch}:
     * once another claim is taken, they are refused with {@link StaleClaimException} and write nothing.
     *
     * @param epoch the epoch {@link #claim} gave this node
     */
    void fenceWith(long epoch);

    // ---------------------------------------------------------------- links

    /**
     * @return the link with that id
     */
    Optional<Link> link(String linkId);

    /**
     * @return the link that holds {@code recordId} on {@code side}
     */
    Optional<Link> linkOf(Flow flow, Side side, String recordId);

    /**
     * Inserts the link or replaces the one with the same id.
     */
    void saveLink(Link link);

    /**
     * The links of many records at once, for planning a batch of changes with one lookup.
     *
     * @param recordIds the records' ids on {@code side}; any number
     * @return the links found, by record id; records without a link are left out
     */
    Map<String, Link> linksOf(Flow flow, Side side, Collection<String> recordIds);

    /**
     * @param flow  the flow, or null for all
     * @param state the state, or null for all
     * @return how many links match
     */
    long countLinks(Flow flow, LinkState state);

    /**
     * @param flow   the flow, or null for all
     * @param offset how many to skip, in link creation order
     * @param limit  how many at most
     * @return a page of links
     */
    List<Link> links(Flow flow, int offset, int limit);

    // ---------------------------------------------------------------- observed records

    /**
     * Stores records as read from their system, each replacing the earlier copy of the same record. The caller
     * decides their status (usually {@link RecordStatus#DIRTY}).
     */
    void observe(List<ObservedRecord> records);

    /**
     * @return the stored copy of one record
     */
    Optional<ObservedRecord> observed(Flow flow, Side side, String recordId);

    /**
     * The stored copies of many records at once, so that a page read from a system costs one lookup rather than
     * one per record.
     *
     * @param recordIds the records' ids on {@code side}; any number
     * @return the stored copies found, by record id; ids the store does not know are left out
     */
    Map<String, ObservedRecord> observed(Flow flow, Side side, Collection<String> recordIds);

    /**
     * @param now   records whose next attempt lies after this are left out
     * @param limit how many at most
     * @return records in status DIRTY or WAITING that are due, oldest observation first
     */
    List<ObservedRecord> due(Flow flow, Instant now, int limit);

    /**
     * Makes every record that waits out a backoff after a failed write due at once, keeping its count of attempts:
     * a person who starts a sync once the other system is healthy again wants it tried now, not at the time the
     * last failure set.
     *
     * @return how many records were made due
     */
    int retryNow();

    /**
     * @return records on {@code side} with that match key that are not deleted, linked or not
     */
    List<ObservedRecord> byMatchKey(Flow flow, Side side, String matchKey);

    /**
     * {@link #byMatchKey} for many keys at once.
     *
     * @param matchKeys match keys; any number
     * @return per key that any record has, those records, in record id order
     */
    Map<String, List<ObservedRecord>> byMatchKeys(Flow flow, Side side, Collection<String> matchKeys);

    /**
     * @return the ids of all non-deleted records of {@code side} crmsync has observed
     */
    List<String> observedIds(Flow flow, Side side);

    /**
     * @param status a status
     * @return records in that status across flows, e.g. the dead letters
     */
    List<ObservedRecord> withStatus(RecordStatus status);

    /**
     * @param status a status
     * @return how many records are in that status, per flow; a flow with none is left out
     */
    Map<Flow, Long> countWithStatus(RecordStatus status);

    // ---------------------------------------------------------------- cursors

    /**
     * @return where the last complete read of {@code side} for {@code flow} ended
     */
    Optional<String> cursor(Flow flow, Side side);

    /**
     * Moves the cursor; call only once the records read up to it are durably observed.
     */
    void saveCursor(Flow flow, Side side, String cursor);

    // ---------------------------------------------------------------- outbox

    /**
     * Writes a create intent before the create call.
     */
    void addIntent(CreateIntent intent);

    /**
     * @return the creates whose outcome is not known yet
     */
    List<CreateIntent> intents();

    /**
     * Forgets an intent once its outcome is recorded on the link.
     */
    void removeIntent(String linkId, Side target);

    /**
     * Writes, before the calls, the updates about to be sent; a link's earlier one is replaced.
     */
    void addPendingUpdates(List<PendingUpdate> updates);

    /**
     * @return the flow's updates whose outcome is not recorded yet, by link id
     */
    Map<String, PendingUpdate> pendingUpdates(Flow flow);

    /**
     * Forgets the links' pending updates once their outcome is recorded; ids without one are passed over.
     */
    void removePendingUpdates(Collection<String> linkIds);

    // ---------------------------------------------------------------- conflicts and history

    /**
     * Inserts the conflict or replaces the one with the same id.
     */
    void saveConflict(Conflict conflict);

    /**
     * @param openOnly whether to leave out settled conflicts
     * @return conflicts, newest first
     */
    List<Conflict> conflicts(boolean openOnly);

    /**
     * @return how many conflicts wait for a person, per flow; a flow with none is left out
     */
    Map<Flow, Long> countOpenConflicts();

    /**
     * @return the open conflict of a link, if any
     */
    Optional<Conflict> openConflictOf(String linkId);

    /**
     * Appends to a link's history.
     */
    void appendHistory(HistoryEntry entry);

    /**
     * @return a link's history, oldest first
     */
    List<HistoryEntry> history(String linkId);

    /**
     * @param flow    the flow
     * @param actions history actions, e.g. {@code deleted}, {@code retired}
     * @param since   the earliest entry time to count
     * @return how many history entries of the flow with one of those actions were written at or after {@code since}
     */
    long countHistory(Flow flow, Collection<String> actions, Instant since);

    /**
     * Replaces a flow's held removals by those the delete circuit breaker holds now. A removal held again keeps
     * when it was first held and whether it was accepted; one no longer held is dropped.
     *
     * @param flow    the flow
     * @param removals what the breaker holds back now; empty when it holds nothing of the flow
     */
    void holdRemovals(Flow flow, List<HeldRemoval> removals);

    /**
     * @param flow the flow, or null for all
     * @return the held removals, by flow, then side, then when they were held
     */
    List<HeldRemoval> heldRemovals(Flow flow);

    /**
     * Marks held removals accepted by a person: the next sync carries them out once, whatever the breaker says.
     *
     * @param flow the flow, or null for all
     * @return the flow's held removals, now all accepted
     */
    List<HeldRemoval> acceptHeldRemovals(Flow flow);

    /**
     * @param flow  the flow, or null for all
     * @param limit how many at most
     * @return the newest history entries across links, newest first
     */
    List<HistoryEntry> recentHistory(Flow flow, int limit);

    /**
     * Finds links by a text: a whole id (the link's own, or a record id on either side), or a part of any value
     * of a linked record as last read, such as a name or an email, ignoring case.
     *
     * @param flow   the flow, or null for all
     * @param text   what to look for; blank finds every link
     * @param offset how many matches to skip, in link creation order
     * @param limit  how many at most
     * @return the matching links
     */
    List<Link> searchLinks(Flow flow, String text, int offset, int limit);

    // ---------------------------------------------------------------- service cycles

    /**
     * Records what a service cycle did for one flow.
     */
    void appendCycle(CycleLog entry);

    /**
     * @param since the earliest start to include
     * @return the cycles that started at or after {@code since}, oldest first
     */
    List<CycleLog> cycles(Instant since);

    /**
     * Forgets cycles that started before {@code before}, so the log does not grow without end.
     */
    void pruneCycles(Instant before);

    // ---------------------------------------------------------------- what a person decided

    /**
     * @return the flows a person paused; they stay paused, across restarts too, until resumed
     */
    Set<Flow> pausedFlows();

    /**
     * Records that a person paused or resumed a flow. Pausing a paused flow keeps the time it was first paused.
     *
     * @param flow   the flow
     * @param paused whether it is paused from now on
     * @param at     when
     */
    void setPaused(Flow flow, boolean paused, Instant at);

    /**
     * Writes a consistent copy of the whole store to a new file while it is in use: a snapshot as of one moment,
     * taken without stopping the writer for longer than the copy itself.
     *
     * @param file the path of the file to write; it must not exist yet
     * @throws IllegalArgumentException when the file exists
     */
    void backupTo(String file);

    /**
     * Releases the store's resources.
     */
    @Override
    void close();
}
