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
 * stamp, so that later lookups by key or stamp are index reads rather than mappings of every record.
 *
 * <p>This class is immutable and threadsafe.
 */
final class RecordObserver {

    private final Map<Flow, RecordMapper> mappers;

    RecordObserver(Map<Flow, RecordMapper> mappers) {
        this.mappers = Map.copyOf(mappers);
    }

    ObservedRecord observe(SideRecord record, RecordStatus status, Instant at) {
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
