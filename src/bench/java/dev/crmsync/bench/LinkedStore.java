package dev.crmsync.bench;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.mapping.MatchKey;
import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.mapping.RefResolver;
import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Fills a store as a first sync that links every record by its match key leaves it, without running that first
 * sync, whose matching takes hours at 100,000 records per side: every record is read through crmsync's own
 * connectors, mapped by its own mappings, paired on the match key (VAT number, e-mail) and written through its
 * own {@link Store}: one active link per pair with each side's hash, both records observed and settled, and each
 * side's cursor where the read ended. The next sync then sees nothing new, as after a real first sync.
 *
 * <p>Only flows with a match key are linked; records without a partner stay out of the store, as records no
 * sync has read yet would.
 *
 * <p>Not threadsafe.
 */
final class LinkedStore {

    private static final int BATCH = 1_000;

    /**
     * What was built.
     *
     * @param links       links made
     * @param differing   of those, pairs whose two sides map to different canonical values
     */
    record Built(long links, long differing) {
    }

    private final Map<Flow, Map<Side, Map<String, String>>> linkIds = new EnumMap<>(Flow.class);
    private final Map<String, String[]> recordIds = new HashMap<>();

    private final RefResolver refs = new RefResolver() {
        @Override
        public Optional<String> linkIdOf(Flow flow, Side side, String recordId) {
            return Optional.ofNullable(linkIds.getOrDefault(flow, Map.of()).getOrDefault(side, Map.of())
                    .get(recordId));
        }

        @Override
        public Optional<String> recordIdOn(Flow flow, Side side, String linkId) {
            String[] ids = recordIds.get(linkId);
            return ids == null ? Optional.empty() : Optional.of(ids[side.ordinal()]);
        }
    };

    private LinkedStore() {
    }

    /**
     * @param world a world whose store is empty and whose two systems hold the same records
     * @return what was built
     */
    static Built build(SyncWorld world) {
        return new LinkedStore().fill(world.config(), world);
    }

    private Built fill(CrmsyncConfig config, SyncWorld world) {
        long links = 0;
        long differing = 0;
        try (SyncConnection connection = SyncConnection.open(config, world.clock, world.sleeper())) {
            Store store = connection.store();
            for (Flow flow : Flow.values()) {
                RecordMapper mapper = new RecordMapper(config.mappings().get(flow));
                Optional<MatchKey> key = mapper.mapping().match();
                Map<Side, List<SideRecord>> read = new EnumMap<>(Side.class);
                Map<Side, String> cursors = new EnumMap<>(Side.class);
                for (Side side : Side.values()) {
                    List<SideRecord> records = new ArrayList<>();
                    cursors.put(side, connection.connector(side).readChanges(flow, null, records::addAll));
                    read.put(side, records);
                }
                if (key.isPresent()) {
                    Map<String, SideRecord> customcrmByKey = new HashMap<>();
                    for (SideRecord r : read.get(Side.CUSTOMCRM)) {
                        keyOf(mapper, key.get(), r).ifPresent(k -> customcrmByKey.putIfAbsent(k, r));
                    }
                    Instant now = world.clock.instant();
                    List<Link> batch = new ArrayList<>();
                    List<ObservedRecord> observed = new ArrayList<>();
                    for (SideRecord w : read.get(Side.WEBCRM)) {
                        Optional<String> k = keyOf(mapper, key.get(), w);
                        SideRecord c = k.map(customcrmByKey::remove).orElse(null);
                        if (c == null) {
                            continue;
                        }
                        String linkId = UUID.randomUUID().toString();
                        linkIds.computeIfAbsent(flow, f -> new EnumMap<>(Side.class))
                                .computeIfAbsent(Side.WEBCRM, s -> new HashMap<>()).put(w.id(), linkId);
                        linkIds.get(flow).computeIfAbsent(Side.CUSTOMCRM, s -> new HashMap<>()).put(c.id(), linkId);
                        recordIds.put(linkId, new String[] {w.id(), c.id()});
                        FieldValues wv = mapper.toCanonical(w, refs).values();
                        FieldValues cv = mapper.toCanonical(c, refs).values();
                        if (!wv.equals(cv)) {
                            differing++;
                        }
                        batch.add(new Link(linkId, flow, w.id(), c.id(), wv, wv.hash(), cv.hash(), LinkState.ACTIVE,
                                now));
                        observed.add(observed(w, k.get(), now));
                        observed.add(observed(c, k.get(), now));
                        if (batch.size() == BATCH) {
                            write(store, batch, observed);
                        }
                        links++;
                    }
                    write(store, batch, observed);
                }
                cursors.forEach((side, cursor) -> {
                    if (cursor != null) {
                        store.saveCursor(flow, side, cursor);
                    }
                });
            }
        }
        return new Built(links, differing);
    }

    private static ObservedRecord observed(SideRecord record, String key, Instant now) {
        return new ObservedRecord(record, key, null, RecordStatus.SETTLED, null, 0, null, now);
    }

    private Optional<String> keyOf(RecordMapper mapper, MatchKey key, SideRecord record) {
        return key.keyOf(mapper.toCanonical(record, refs).values().get(key.field()));
    }

    private static void write(Store store, List<Link> links, List<ObservedRecord> observed) {
        if (links.isEmpty()) {
            return;
        }
        store.inTransaction(() -> {
            links.forEach(store::saveLink);
            store.observe(observed);
            return null;
        });
        links.clear();
        observed.clear();
    }
}
