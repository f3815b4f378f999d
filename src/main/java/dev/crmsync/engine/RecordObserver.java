package dev.crmsync.engine;

import dev.crmsync.mapping.MatchKey;
import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.mapping.RefResolver;
import dev.crmsync.model.Flow;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a record read from a system into the store's {@link ObservedRecord}: works out its match key and link
 * stamp, so that later lookups by key or stamp are index reads rather than mappings of every record. Public for
 * {@code crmsync relink}, which stores the records it links again exactly as a sync would have.
 *
 * <p>This class is immutable and threadsafe.
 */
public final class RecordObserver {

    private final Map<Flow, RecordMapper> mappers;

    /**
     * @param mappers the mapping of each flow
     */
    public RecordObserver(Map<Flow, RecordMapper> mappers) {
        this.mappers = Map.copyOf(mappers);
    }

    /**
     * @param record a record as its system returned it
     * @param status its place in the sync
     * @param at     when it was read
     * @return the store's copy of it
     */
    public ObservedRecord observe(SideRecord record, RecordStatus status, Instant at) {
        RecordMapper mapper = mappers.get(record.flow());
        String stamp = mapper.stampOf(record).orElse(null);
        String key = null;
        Optional<MatchKey> matchKey = mapper.mapping().match();
        if (!record.deleted() && matchKey.isPresent()) {
            Object value = mapper.toCanonical(record, RefResolver.NONE).values().get(matchKey.get().field());
            key = matchKey.get().keyOf(value).orElse(null);
        }
        return new ObservedRecord(record, key, stamp, status, null, 0, null, at);
    }
}
