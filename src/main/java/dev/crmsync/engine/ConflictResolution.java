package dev.crmsync.engine;

import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.FieldConflict;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * A person's decision on a conflict held under the {@code manual} policy: which side's values to keep. The
 * decision is recorded in the store and the pair is made due again; the next sync writes it.
 *
 * <p>How: the link's last agreed value of each conflicting field is set to the value of the side that loses. To
 * the next merge the losing side then looks unchanged in those fields and the kept side changed, so the kept
 * values win, while edits of other fields on either side are merged as usual. Nothing is written to either
 * system here.
 *
 * <p>This class is threadsafe as far as its store is.
 */
public final class ConflictResolution {

    private final Store store;
    private final InstantSource clock;

    /**
     * @param store the store
     * @param clock the time source
     */
    public ConflictResolution(Store store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param conflictId an open conflict's id
     * @param keep       the side whose values win every field of the conflict
     * @return the conflict as now recorded
     * @throws IllegalArgumentException when no open conflict has that id
     */
    public Conflict resolve(String conflictId, Side keep) {
        return store.inTransaction(() -> {
            Conflict conflict = store.conflicts(true).stream().filter(c -> c.id().equals(conflictId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no open conflict with id " + conflictId));
            Link link = store.link(conflict.linkId()).orElseThrow(() ->
                    new IllegalStateException("conflict " + conflictId + " names a link the store does not hold"));
            Instant now = clock.instant();
            FieldValues base = link.base();
            for (FieldConflict field : conflict.fields()) {
                base = base.with(field.field(), field.valueOn(keep.other()));
            }
            store.saveLink(new Link(link.id(), link.flow(), link.webcrmId(), link.customcrmId(), base, null, null,
                    LinkState.ACTIVE, now));
            for (Side side : Side.values()) {
                String id = link.idOn(side);
                if (id != null) {
                    store.observed(link.flow(), side, id).ifPresent(record ->
                            store.observe(List.of(record.with(RecordStatus.DIRTY, null, 0, null))));
                }
            }
            List<FieldConflict> decided = conflict.fields().stream()
                    .map(f -> new FieldConflict(f.field(), f.base(), f.webcrm(), f.customcrm(), keep)).toList();
            Conflict resolved = new Conflict(conflict.id(), conflict.flow(), conflict.linkId(), decided,
                    conflict.webcrmValues(), conflict.customcrmValues(), conflict.policy(), conflict.detectedAt(), now,
                    "person");
            store.saveConflict(resolved);
            store.appendHistory(new HistoryEntry(link.id(), link.flow(), now, keep, "resolved",
                    "conflict resolved by a person: " + keep.label() + "'s values kept", Map.of()));
            return resolved;
        });
    }
}
