package dev.crmsync.engine;

import dev.crmsync.mapping.FieldMapping;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Side;
import dev.crmsync.ports.FieldConflict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The field-level three-way merge of invariant 3. For every mapped field it compares each side's value with the
 * last agreed value (the base):
 * <ul>
 *   <li>a field owned by one side takes that side's value;</li>
 *   <li>equal values, or a value only one side changed, need no decision;</li>
 *   <li>without a base (the first link of two existing records), an empty value never beats a filled one;</li>
 *   <li>otherwise the field is a conflict, settled by the {@link ConflictPolicy} and reported.</li>
 * </ul>
 * A deliberate clear (a side changed a filled value to empty while the other kept it) is an edit like any other
 * and is carried over; the "empty never overwrites" rule guards only decisions between two different edits.
 *
 * <p>This class is immutable and threadsafe.
 */
public final class FieldMerge {

    private final FlowMapping mapping;
    private final ConflictPolicy policy;

    /**
     * @param mapping the flow's property table
     * @param policy  how conflicts are settled
     */
    public FieldMerge(FlowMapping mapping, ConflictPolicy policy) {
        this.mapping = mapping;
        this.policy = policy;
    }

    /**
     * @param base      the last agreed values, or null at a first link
     * @param webcrm    webCRM's current values
     * @param customcrm Customcrm's current values
     * @return the merged values and the conflicts met
     */
    public MergeResult merge(FieldValues base, SideValues webcrm, SideValues customcrm) {
        Map<String, Object> merged = new LinkedHashMap<>();
        List<FieldConflict> conflicts = new ArrayList<>();
        boolean held = false;
        for (FieldMapping field : mapping.fields()) {
            String name = field.field();
            Object w = webcrm.values().get(name);
            Object c = customcrm.values().get(name);
            Object b = base == null ? null : base.get(name);
            Side owner = field.direction().owner();
            if (owner != null) {
                merged.put(name, owner == Side.WEBCRM ? w : c);
            } else if (Objects.equals(w, c)) {
                merged.put(name, w);
            } else if (base != null && Objects.equals(w, b)) {
                merged.put(name, c);
            } else if (base != null && Objects.equals(c, b)) {
                merged.put(name, w);
            } else if (base == null && (w == null || c == null)) {
                merged.put(name, w == null ? c : w);
            } else if (policy.kind() == ConflictPolicy.Kind.MANUAL) {
                held = true;
                conflicts.add(new FieldConflict(name, b, w, c, null));
            } else {
                Side winner = winner(webcrm.modifiedAt(), customcrm.modifiedAt());
                Object value = winner == Side.WEBCRM ? w : c;
                Object loser = winner == Side.WEBCRM ? c : w;
                merged.put(name, value == null && !policy.emptyOverwrites() ? loser : value);
                conflicts.add(new FieldConflict(name, b, w, c, winner));
            }
        }
        return new MergeResult(FieldValues.of(merged), conflicts, held);
    }

    private Side winner(Instant webcrmModified, Instant customcrmModified) {
        return switch (policy.kind()) {
            case WEBCRM_WINS -> Side.WEBCRM;
            case CUSTOMCRM_WINS -> Side.CUSTOMCRM;
            case NEWEST_WINS -> newest(webcrmModified, customcrmModified);
            case MANUAL -> throw new IllegalStateException("manual conflicts have no winner");
        };
    }

    private Side newest(Instant webcrmModified, Instant customcrmModified) {
        if (webcrmModified == null || customcrmModified == null) {
            return policy.tieBreaker();
        }
        Duration gap = Duration.between(webcrmModified, customcrmModified).abs();
        if (gap.compareTo(policy.tolerance()) <= 0) {
            return policy.tieBreaker();
        }
        return webcrmModified.isAfter(customcrmModified) ? Side.WEBCRM : Side.CUSTOMCRM;
    }
}
