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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

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
        return resolve(conflictId, field -> keep);
    }

    /**
     * @param conflictId an open conflict's id
     * @param choices    the side whose value wins, per conflicting field; every field of the conflict must be named
     * @return the conflict as now recorded
     * @throws IllegalArgumentException when no open conflict has that id, or a field is missing or unknown
     */
    public Conflict resolve(String conflictId, Map<String, Side> choices) {
        return resolve(conflictId, field -> {
            Side side = choices.get(field);
            if (side == null) {
                throw new IllegalArgumentException("choose a side for the field '" + field + "' as well");
            }
            return side;
        }, choices.keySet());
    }

    private Conflict resolve(String conflictId, Function<String, Side> choice) {
        return resolve(conflictId, choice, null);
    }

    private Conflict resolve(String conflictId, Function<String, Side> choice,
                             Set<String> named) {
        return store.inTransaction(() -> {
            Conflict conflict = store.conflicts(true).stream().filter(c -> c.id().equals(conflictId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no open conflict with id " + conflictId));
            if (named != null) {
                Set<String> unknown = new TreeSet<>(named);
                conflict.fields().forEach(f -> unknown.remove(f.field()));
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException("the conflict has no field " + unknown);
                }
            }
            Link link = store.link(conflict.linkId()).orElseThrow(() ->
                    new IllegalStateException("conflict " + conflictId + " names a link the store does not hold"));
            Instant now = clock.instant();
            FieldValues base = link.base();
            List<FieldConflict> decided = new ArrayList<>();
            Set<Side> kept = EnumSet.noneOf(Side.class);
            for (FieldConflict field : conflict.fields()) {
                Side keep = choice.apply(field.field());
                kept.add(keep);
                // The losing side's value becomes the base: to the next merge only the kept side has changed.
                base = base.with(field.field(), field.valueOn(keep.other()));
                decided.add(new FieldConflict(field.field(), field.base(), field.webcrm(), field.customcrm(), keep));
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
            Conflict resolved = new Conflict(conflict.id(), conflict.flow(), conflict.linkId(), decided,
                    conflict.webcrmValues(), conflict.customcrmValues(), conflict.policy(), conflict.detectedAt(), now,
                    "person");
            store.saveConflict(resolved);
            Side origin = kept.size() == 1 ? kept.iterator().next() : null;
            String detail = origin != null
                    ? "conflict resolved by a person: " + origin.label() + "'s values kept"
                    : "conflict resolved by a person, field by field: " + decided.stream()
                            .map(f -> f.field() + " from " + f.winner().label()).toList();
            store.appendHistory(new HistoryEntry(link.id(), link.flow(), now, origin, "resolved", detail, Map.of()));
            return resolved;
        });
    }
}
