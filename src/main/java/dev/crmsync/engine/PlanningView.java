package dev.crmsync.engine;

import dev.crmsync.mapping.RefResolver;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.Store;
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
    private final Map<String, Link> planned = new HashMap<>();
    private final Map<String, String> plannedBySideId = new HashMap<>();
    private final Set<String> handled = new HashSet<>();

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
        return store.linkOf(flow, side, recordId).map(stored -> planned.getOrDefault(stored.id(), stored));
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
        return recordId == null ? Optional.empty() : store.observed(flow, side, recordId);
    }

    List<ObservedRecord> byMatchKey(Flow flow, Side side, String matchKey) {
        return store.byMatchKey(flow, side, matchKey);
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
}
