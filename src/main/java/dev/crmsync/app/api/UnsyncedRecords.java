package dev.crmsync.app.api;

import dev.crmsync.mapping.DefaultMappings;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.mapping.MappedRecord;
import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.mapping.RefResolver;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The records that did not go through, as the management API and {@code crmsync dead-letters} both show them:
 * the dead letters, and the records that wait (status {@link RecordStatus#WAITING}), each waiting one with the
 * parent records that hold it back and where those stand. One class for both, so the API and the command line
 * give the same data in the same JSON.
 *
 * <p>A waiting record's parents are found the way the engine finds them: its flow's mapping reads each reference
 * from the record, and the store says whether the referenced record is linked on both systems, a dead letter,
 * waiting itself, or unknown. The reason the engine recorded is kept as it is.
 *
 * <p>This class is threadsafe as far as its store is; it reads the store afresh on every call.
 *
 * @see WaitingRecord
 */
public final class UnsyncedRecords {

    /** A reference read from a waiting record: the parent's id on the child's system. */
    private record Reference(Flow flow, Side side, String recordId) {
    }

    private final Store store;
    private final Map<Flow, RecordMapper> mappers = new EnumMap<>(Flow.class);
    private final InstantSource clock;

    /**
     * @param store    the store to read
     * @param mappings the property table of each flow, as configured; flows left out use the default table
     * @param clock    what "now" is, for how long a record has waited
     */
    public UnsyncedRecords(Store store, Map<Flow, FlowMapping> mappings, InstantSource clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        Map<Flow, FlowMapping> defaults = defaultMappings();
        for (Flow flow : Flow.values()) {
            FlowMapping mapping = mappings == null ? null : mappings.get(flow);
            mappers.put(flow, new RecordMapper(mapping != null ? mapping : defaults.get(flow)));
        }
    }

    /**
     * @return the default property tables, for a caller that has no configuration at hand
     */
    public static Map<Flow, FlowMapping> defaultMappings() {
        // The country language only matters for writing country names; titles and references do not use it.
        return DefaultMappings.all(Locale.ENGLISH);
    }

    // ---------------------------------------------------------------- dead letters

    /**
     * @return the dead letters across flows, in the store's order
     */
    public List<ObservedRecord> deadLetters() {
        return store.withStatus(RecordStatus.DEAD);
    }

    /**
     * What a person calls a record that did not sync: its link's name when it is linked, otherwise the name its
     * own values give, otherwise its entity and id ({@code Organisation 17}).
     *
     * @param record a record as crmsync last read it
     * @return its title; never null
     */
    public String titleOf(ObservedRecord record) {
        return titleOf(record, store.linkOf(record.flow(), record.side(), record.id()).orElse(null));
    }

    private String titleOf(ObservedRecord record, Link link) {
        if (link != null) {
            String linked = RecordTitles.nameOf(link.flow(), link.base());
            if (linked != null) {
                return linked;
            }
        }
        String own = nameOf(record);
        return own != null ? own : record.flow().entityOn(record.side()) + " " + record.id();
    }

    private String nameOf(ObservedRecord record) {
        try {
            MappedRecord mapped = mappers.get(record.flow()).toCanonical(record.record(), RefResolver.NONE);
            return RecordTitles.nameOf(record.flow(), mapped.values());
        } catch (RuntimeException e) {
            // A record that does not map has no name to show; its id still identifies it.
            return null;
        }
    }

    // ---------------------------------------------------------------- waiting records

    /**
     * @return how many records wait, per flow; a flow with none is left out
     */
    public Map<Flow, Long> waitingCounts() {
        return store.countWithStatus(RecordStatus.WAITING);
    }

    /**
     * @return the waiting records across flows, in the store's order, each with the parents that hold it back
     */
    public List<WaitingRecord> waiting() {
        Instant now = clock.instant();
        List<ObservedRecord> records = store.withStatus(RecordStatus.WAITING);
        List<Set<Reference>> references = new ArrayList<>(records.size());
        Set<Reference> wanted = new LinkedHashSet<>();
        for (ObservedRecord record : records) {
            Set<Reference> found = referencesOf(record);
            references.add(found);
            wanted.addAll(found);
        }
        Lookup parents = Lookup.of(store, wanted);
        Lookup children = Lookup.of(store, records.stream()
                .map(r -> new Reference(r.flow(), r.side(), r.id())).toList());
        List<WaitingRecord> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ObservedRecord record = records.get(i);
            List<WaitingRecord.Parent> holding = new ArrayList<>();
            for (Reference reference : references.get(i)) {
                parentOf(reference, parents).ifPresent(holding::add);
            }
            Link link = children.link(new Reference(record.flow(), record.side(), record.id()));
            out.add(new WaitingRecord(record.flow(), record.side(), record.id(), titleOf(record, link),
                    record.reason(), record.observedAt(), Duration.between(record.observedAt(), now), holding));
        }
        return out;
    }

    /** The references a record holds, read through its flow's mapping; none when it does not map. */
    private Set<Reference> referencesOf(ObservedRecord record) {
        Set<Reference> found = new LinkedHashSet<>();
        RefResolver recording = new RefResolver() {
            @Override
            public Optional<String> linkIdOf(Flow flow, Side side, String recordId) {
                found.add(new Reference(flow, side, recordId));
                return Optional.empty();
            }

            @Override
            public Optional<String> recordIdOn(Flow flow, Side side, String linkId) {
                return Optional.empty();
            }
        };
        try {
            mappers.get(record.flow()).toCanonical(record.record(), recording);
        } catch (RuntimeException e) {
            return Set.of();
        }
        return found;
    }

    /** The parent as it stands, or empty when it is linked on both systems and so holds nothing back. */
    private Optional<WaitingRecord.Parent> parentOf(Reference reference, Lookup lookup) {
        Link link = lookup.link(reference);
        ObservedRecord record = lookup.observed(reference);
        boolean linkedOnBoth = link != null && link.idOn(Side.WEBCRM) != null && link.idOn(Side.CUSTOMCRM) != null;
        if (linkedOnBoth) {
            return Optional.empty();
        }
        WaitingRecord.Standing standing;
        if (record != null && record.status() == RecordStatus.DEAD) {
            standing = WaitingRecord.Standing.DEAD;
        } else if (record != null && record.status() == RecordStatus.WAITING) {
            standing = WaitingRecord.Standing.WAITING;
        } else if (link != null) {
            standing = WaitingRecord.Standing.PENDING;
        } else if (record != null) {
            standing = WaitingRecord.Standing.UNLINKED;
        } else {
            standing = WaitingRecord.Standing.UNREAD;
        }
        String title = record != null ? titleOf(record, link)
                : link != null && RecordTitles.nameOf(link.flow(), link.base()) != null
                ? RecordTitles.nameOf(link.flow(), link.base())
                : reference.flow().entityOn(reference.side()) + " " + reference.recordId();
        return Optional.of(new WaitingRecord.Parent(reference.flow(), reference.side(), reference.recordId(), title,
                standing, record == null ? null : record.reason(), link == null ? null : link.id()));
    }

    /** The links and stored copies of many records, read with one query per flow and side. */
    private record Lookup(Map<Reference, Link> links, Map<Reference, ObservedRecord> observed) {

        static Lookup of(Store store, Collection<Reference> references) {
            Map<Flow, Map<Side, List<String>>> ids = new EnumMap<>(Flow.class);
            for (Reference r : references) {
                ids.computeIfAbsent(r.flow(), f -> new EnumMap<>(Side.class))
                        .computeIfAbsent(r.side(), s -> new ArrayList<>()).add(r.recordId());
            }
            Map<Reference, Link> links = new HashMap<>();
            Map<Reference, ObservedRecord> observed = new HashMap<>();
            ids.forEach((flow, bySide) -> bySide.forEach((side, recordIds) -> {
                store.linksOf(flow, side, recordIds).forEach((id, link) ->
                        links.put(new Reference(flow, side, id), link));
                store.observed(flow, side, recordIds).forEach((id, record) ->
                        observed.put(new Reference(flow, side, id), record));
            }));
            return new Lookup(links, observed);
        }

        Link link(Reference reference) {
            return links.get(reference);
        }

        ObservedRecord observed(Reference reference) {
            return observed.get(reference);
        }
    }

    // ---------------------------------------------------------------- JSON

    /**
     * @return the dead letters as {@code GET /api/dead-letters} answers them
     */
    public ArrayNode deadLettersJson() {
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        deadLetters().forEach(r -> out.add(ApiJson.deadLetter(r, titleOf(r))));
        return out;
    }

    /**
     * @return the waiting records as {@code GET /api/waiting} answers them
     */
    public ArrayNode waitingJson() {
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        waiting().forEach(w -> out.add(ApiJson.waiting(w)));
        return out;
    }

    /**
     * @return both, as {@code crmsync dead-letters --json} prints them: {@code {"deadLetters": [...], "waiting":
     *         [...]}}, each element in the API's shape
     */
    public ObjectNode json() {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.set("deadLetters", deadLettersJson());
        out.set("waiting", waitingJson());
        return out;
    }
}
