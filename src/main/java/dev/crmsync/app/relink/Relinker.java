package dev.crmsync.app.relink;

import dev.crmsync.engine.RecordObserver;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.mapping.MappedRecord;
import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.mapping.RefResolver;
import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Rebuilds the links of a store from the link stamps both systems hold, after the store was lost or an older copy
 * of it was put back. Per flow, parents first: it reads every record of both systems, pairs them by their stamps
 * ({@link StampPairing}), keeps the pairs the store already holds and adds the others.
 *
 * <p><b>What an added link holds.</b> The store that knew what the two records last agreed on is gone, so an
 * added link is saved in one of two ways:
 * <ul>
 *   <li>both records map to the same values: the link is saved as agreed on those values, with both records'
 *       copies as read. The next sync has nothing to do for the pair: no write, no echo, no ping-pong;</li>
 *   <li>they differ (one side was edited since the last sync, or a reference is not linked yet): the link is saved
 *       without agreed values and both records as changed, so the next sync merges them as it merges two records
 *       it links for the first time. Fields that differ are settled by the conflict policy; under the default
 *       {@code newest-wins} the record edited last wins, so an edit made since the last sync is kept, not undone
 *       by the older copy on the other side. Only a pair edited on both sides in different fields while the store
 *       was lost loses one of the edits, as no base tells them apart.</li>
 * </ul>
 * A link is never added for a record the store already links, nor under a link id the store holds: the store's
 * own link, with its agreed values, is kept. Cursors are left alone, so the next sync still reads everything that
 * changed since the store's last read (all of it, from an empty store) and creates or links what no stamp paired.
 *
 * <p>Not threadsafe: one relink at a time, under the store's lock.
 */
public final class Relinker {

    /** The history action of a link added from the stamps. */
    public static final String RELINKED = "relinked";

    private final Store store;
    private final Map<Side, Connector> connectors;
    private final Map<Flow, RecordMapper> mappers = new EnumMap<>(Flow.class);
    private final RecordObserver observer;
    private final InstantSource clock;

    /**
     * @param store      the store to add the links to
     * @param connectors the connector of each side
     * @param mappings   the mapping of each flow, with webCRM labels resolved
     * @param clock      the time the links and copies carry
     */
    public Relinker(Store store, Map<Side, Connector> connectors, Map<Flow, FlowMapping> mappings,
                    InstantSource clock) {
        this.store = store;
        this.connectors = Map.copyOf(connectors);
        mappings.forEach((flow, mapping) -> mappers.put(flow, new RecordMapper(mapping)));
        this.observer = new RecordObserver(mappers);
        this.clock = clock;
    }

    /**
     * @param flows  the flows to relink; parents go first whatever the order
     * @param dryRun find and report, but write nothing to the store
     * @return per flow, in dependency order, what was found and done
     */
    public List<FlowRelink> relink(Set<Flow> flows, boolean dryRun) {
        AddedLinks added = new AddedLinks(store);
        List<FlowRelink> out = new ArrayList<>();
        for (Flow flow : Flow.values()) {
            if (flows.contains(flow)) {
                out.add(relink(flow, dryRun, added));
            }
        }
        return out;
    }

    private FlowRelink relink(Flow flow, boolean dryRun, AddedLinks added) {
        RecordMapper mapper = mappers.get(flow);
        // Customcrm first: its stamped records name the webCRM records to keep, which need not be stamped.
        Map<String, SideRecord> customcrm = readAll(Side.CUSTOMCRM, flow, r -> mapper.stampOf(r).isPresent());
        Set<String> named = new HashSet<>();
        customcrm.values().forEach(r -> mapper.partnerIdOf(r).ifPresent(named::add));
        Map<String, SideRecord> webcrm = readAll(Side.WEBCRM, flow,
                r -> named.contains(r.id()) || mapper.stampOf(r).isPresent());
        StampPairing.Result stamps = new StampPairing(mapper).pair(webcrm.values(), customcrm.values());

        Instant now = clock.instant();
        List<FlowRelink.Added> newLinks = new ArrayList<>();
        List<FlowRelink.Kept> kept = new ArrayList<>();
        List<StampPairing.Pair> outsideFilter = new ArrayList<>();
        List<ObservedRecord> copies = new ArrayList<>();
        for (StampPairing.Pair pair : stamps.pairs()) {
            Optional<Link> stored = storedLinkOf(flow, pair);
            if (stored.isPresent()) {
                kept.add(new FlowRelink.Kept(pair, stored.get()));
                continue;
            }
            if (!mapper.mapping().filter().accepts(pair.webcrm()) || !mapper.mapping().filter().accepts(pair.customcrm())) {
                outsideFilter.add(pair);
                continue;
            }
            MappedRecord w = mapper.toCanonical(pair.webcrm(), added);
            MappedRecord c = mapper.toCanonical(pair.customcrm(), added);
            boolean inSync = w.isReady() && c.isReady() && w.values().equals(c.values());
            Link link = inSync
                    ? new Link(pair.linkId(), flow, pair.webcrm().id(), pair.customcrm().id(), w.values(),
                    w.values().hash(), c.values().hash(), LinkState.ACTIVE, now)
                    : new Link(pair.linkId(), flow, pair.webcrm().id(), pair.customcrm().id(), FieldValues.empty(),
                    null, null, LinkState.ACTIVE, now);
            RecordStatus status = inSync ? RecordStatus.SETTLED : RecordStatus.DIRTY;
            copies.add(observer.observe(pair.webcrm(), status, now));
            copies.add(observer.observe(pair.customcrm(), status, now));
            added.add(link);
            newLinks.add(new FlowRelink.Added(link, inSync));
        }
        if (!dryRun && !newLinks.isEmpty()) {
            store.inTransaction(() -> {
                for (FlowRelink.Added a : newLinks) {
                    store.saveLink(a.link());
                    store.appendHistory(new HistoryEntry(a.link().id(), flow, now, null, RELINKED,
                            "linked again from the link stamps by crmsync relink" + (a.inSync()
                                    ? "; both records held the same values"
                                    : "; the records differ, so the next sync merges them"), Map.of()));
                }
                store.observe(copies);
                return null;
            });
        }
        return new FlowRelink(flow, newLinks, kept, outsideFilter, stamps.webcrmOnly(), stamps.customcrmOnly(),
                stamps.ambiguous());
    }

    /** The store's link under the pair's link id, or of either of its records: a pair the store already holds. */
    private Optional<Link> storedLinkOf(Flow flow, StampPairing.Pair pair) {
        return store.link(pair.linkId())
                .or(() -> store.linkOf(flow, Side.WEBCRM, pair.webcrm().id()))
                .or(() -> store.linkOf(flow, Side.CUSTOMCRM, pair.customcrm().id()));
    }

    /** Every live record of one side, read from the start, of those {@code keep} accepts; by id. */
    private Map<String, SideRecord> readAll(Side side, Flow flow, Predicate<SideRecord> keep) {
        Map<String, SideRecord> records = new LinkedHashMap<>();
        // A change feed may list a record more than once and ends a deleted one with a tombstone: the last wins.
        connectors.get(side).readChanges(flow, null, page -> page.forEach(r -> {
            if (r.deleted() || !keep.test(r)) {
                records.remove(r.id());
            } else {
                records.put(r.id(), r);
            }
        }));
        return records;
    }

    /**
     * The store's links with those added so far laid over them, so that a person's reference to an organisation
     * linked a moment ago resolves, in a dry run too, where nothing is saved.
     */
    private static final class AddedLinks implements RefResolver {
        private final Store store;
        private final Map<String, Link> byId = new HashMap<>();
        private final Map<String, String> bySideId = new HashMap<>();

        AddedLinks(Store store) {
            this.store = store;
        }

        void add(Link link) {
            byId.put(link.id(), link);
            for (Side side : Side.values()) {
                bySideId.put(key(link.flow(), side, link.idOn(side)), link.id());
            }
        }

        @Override
        public Optional<String> linkIdOf(Flow flow, Side side, String recordId) {
            String added = bySideId.get(key(flow, side, recordId));
            return added != null ? Optional.of(added) : store.linkOf(flow, side, recordId).map(Link::id);
        }

        @Override
        public Optional<String> recordIdOn(Flow flow, Side side, String linkId) {
            Link added = byId.get(linkId);
            return added != null ? Optional.ofNullable(added.idOn(side))
                    : store.link(linkId).map(l -> l.idOn(side));
        }

        private static String key(Flow flow, Side side, String recordId) {
            return flow.name() + '/' + side.name() + '/' + recordId;
        }
    }
}
