package dev.crmsync.engine;

import dev.crmsync.mapping.RefResolver;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.PendingUpdate;
import dev.crmsync.ports.Store;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The store as seen while a plan is made: what the store holds, overlaid with the links the plan has made or
 * changed so far, so that two records of one pair, or a child planned after its parent, see the plan's own
 * decisions before anything is written. It also remembers which records the plan has handled, so a pair is
 * reconciled once even when both its records are due.
 *
 * <p>Not threadsafe: one planner uses it from one thread.
 */
final class PlanningView implements RefResolver {

    private final Store store;
    /** What {@link #prefetch} read for the records being planned; a key absent here is asked of the store. */
    private final Map<String, Optional<Link>> storedLinks = new HashMap<>();
    private final Map<String, Optional<ObservedRecord>> storedRecords = new HashMap<>();
    private final Map<String, List<ObservedRecord>> storedMatches = new HashMap<>();
    private final Map<String, Link> planned = new HashMap<>();
    private final Map<String, String> plannedBySideId = new HashMap<>();
    private final Set<String> handled = new HashSet<>();
    /** The store's pending updates of each flow asked about, read once, less those already taken. */
    private final Map<Flow, Map<String, PendingUpdate>> pendingUpdates = new EnumMap<>(Flow.class);

    PlanningView(Store store) {
        this.store = store;
    }

    Optional<Link> link(String linkId) {
        Link link = planned.get(linkId);
        return link != null ? Optional.of(link) : store.link(linkId);
    }

    Optional<Link> linkOf(Flow flow, Side side, String recordId) {
        String plannedId = plannedBySideId.get(key(flow, side, recordId));
        if (plannedId != null) {
            return Optional.of(planned.get(plannedId));
        }
        Optional<Link> stored = storedLinks.get(key(flow, side, recordId));
        if (stored == null) {
            stored = store.linkOf(flow, side, recordId);
        }
        return stored.map(link -> planned.getOrDefault(link.id(), link));
    }

    /**
     * Reads at once what planning {@code records} will ask of the store record by record: their links, the other
     * side's copies of their partners, and the records sharing their match keys. A batch of 500 changes then costs
     * a few queries instead of some 2,000. What was read for an earlier batch is forgotten, so that memory follows
     * the batch, not the plan.
     *
     * @param flow    the flow
     * @param records the records about to be planned
     */
    void prefetch(Flow flow, List<ObservedRecord> records) {
        storedLinks.clear();
        storedRecords.clear();
        storedMatches.clear();
        for (Side side : Side.values()) {
            List<String> ids = records.stream().filter(r -> r.side() == side).map(ObservedRecord::id).toList();
            if (ids.isEmpty()) {
                continue;
            }
            Map<String, Link> links = store.linksOf(flow, side, ids);
            ids.forEach(id -> storedLinks.put(key(flow, side, id), Optional.ofNullable(links.get(id))));
            Side other = side.other();
            List<String> partners = links.values().stream().map(l -> l.idOn(other)).filter(id -> id != null)
                    .toList();
            Map<String, ObservedRecord> copies = store.observed(flow, other, partners);
            partners.forEach(id -> storedRecords.put(key(flow, other, id), Optional.ofNullable(copies.get(id))));
        }
        List<String> keys = records.stream().map(ObservedRecord::matchKey).filter(k -> k != null).distinct().toList();
        if (!keys.isEmpty()) {
            for (Side side : Side.values()) {
                Map<String, List<ObservedRecord>> matches = store.byMatchKeys(flow, side, keys);
                keys.forEach(k -> storedMatches.put(matchKey(flow, side, k), matches.getOrDefault(k, List.of())));
            }
        }
    }

    void plan(Link link) {
        planned.put(link.id(), link);
        for (Side side : Side.values()) {
            if (link.idOn(side) != null) {
                plannedBySideId.put(key(link.flow(), side, link.idOn(side)), link.id());
            }
        }
    }

    Optional<ObservedRecord> observed(Flow flow, Side side, String recordId) {
        if (recordId == null) {
            return Optional.empty();
        }
        Optional<ObservedRecord> stored = storedRecords.get(key(flow, side, recordId));
        return stored != null ? stored : store.observed(flow, side, recordId);
    }

    List<ObservedRecord> byMatchKey(Flow flow, Side side, String matchKey) {
        List<ObservedRecord> stored = storedMatches.get(matchKey(flow, side, matchKey));
        return stored != null ? stored : store.byMatchKey(flow, side, matchKey);
    }

    /**
     * Takes the update of a link that was sent but whose outcome the store has not recorded, once: the pair's
     * first reconciliation in the plan decides what became of it.
     */
    Optional<PendingUpdate> takePendingUpdate(Flow flow, String linkId) {
        return Optional.ofNullable(pendingUpdates
                .computeIfAbsent(flow, f -> new HashMap<>(store.pendingUpdates(f))).remove(linkId));
    }

    /**
     * @return the last thing the store's history says happened to a link, e.g. {@code left-filter}
     */
    Optional<String> lastAction(String linkId) {
        List<dev.crmsync.ports.HistoryEntry> history = store.history(linkId);
        return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1).action());
    }

    boolean isHandled(ObservedRecord record) {
        return handled.contains(key(record.flow(), record.side(), record.id()));
    }

    void markHandled(ObservedRecord record) {
        handled.add(key(record.flow(), record.side(), record.id()));
    }

    @Override
    public Optional<String> linkIdOf(Flow flow, Side side, String recordId) {
        return linkOf(flow, side, recordId).map(Link::id);
    }

    @Override
    public Optional<String> recordIdOn(Flow flow, Side side, String linkId) {
        return link(linkId).map(l -> l.idOn(side));
    }

    private static String key(Flow flow, Side side, String recordId) {
        return flow.name() + '/' + side.name() + '/' + recordId;
    }

    private static String matchKey(Flow flow, Side side, String matchKey) {
        return flow.name() + '/' + side.name() + "/key/" + matchKey;
    }
}
