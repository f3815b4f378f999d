package dev.crmsync.mapping;

import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Selective sync: which records of a flow take part, per side, as property-in-values conditions that must all
 * hold ({@code OrganisationType} is {@code Customer}; {@code status} is {@code active}). Values compare without
 * regard to case or surrounding space. A record that no longer passes has left the filter: its link is retired,
 * or with {@code deleteOnLeave} its partner is deleted; a record that passes again is linked again.
 *
 * @param webcrm        webCRM property to the values it may have
 * @param customcrm     Customcrm property path to the values it may have
 * @param deleteOnLeave whether a record that leaves the filter has its partner deleted rather than its link retired
 */
public record RecordFilter(Map<String, Set<String>> webcrm, Map<String, Set<String>> customcrm,
                           boolean deleteOnLeave) {

    private static final RecordFilter NONE = new RecordFilter(Map.of(), Map.of(), false);

    public RecordFilter {
        webcrm = normalised(webcrm);
        customcrm = normalised(customcrm);
    }

    /**
     * @return a filter every record passes
     */
    public static RecordFilter none() {
        return NONE;
    }

    /**
     * @return whether any condition is set
     */
    public boolean isActive() {
        return !webcrm.isEmpty() || !customcrm.isEmpty();
    }

    /**
     * @param record a record as its system returned it
     * @return whether it takes part in the sync
     */
    public boolean accepts(SideRecord record) {
        Map<String, Set<String>> conditions = record.side() == Side.WEBCRM ? webcrm : customcrm;
        for (Map.Entry<String, Set<String>> condition : conditions.entrySet()) {
            Object value = Properties.get(record.properties(), condition.getKey());
            if (value == null || !condition.getValue().contains(key(value.toString()))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Set<String>> normalised(Map<String, Set<String>> conditions) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        conditions.forEach((property, values) -> out.put(property,
                values.stream().map(RecordFilter::key).collect(Collectors.toUnmodifiableSet())));
        return Map.copyOf(out);
    }

    private static String key(String value) {
        return value.strip().toLowerCase(Locale.ROOT);
    }
}
