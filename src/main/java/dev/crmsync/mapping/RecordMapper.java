package dev.crmsync.mapping;

import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Ref;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a {@link FlowMapping} to records: a system's properties to canonical values, and canonical values to
 * the properties to write to a system. References go through a {@link RefResolver}, so they come out as the
 * parent's link id on the canonical side and as the parent's record id on each system side.
 *
 * <p>This class is immutable and threadsafe.
 */
public final class RecordMapper {

    /**
     * The Customcrm {@code external_ids} key under which crmsync keeps the id of the webCRM record a Customcrm
     * record is linked to, beside the link id: with both, a Customcrm record names its whole pair.
     */
    public static final String WEBCRM_ID_KEY = "webcrm";

    private final FlowMapping mapping;

    /**
     * @param mapping the flow's property table
     */
    public RecordMapper(FlowMapping mapping) {
        this.mapping = mapping;
    }

    /**
     * @return the mapping this mapper applies
     */
    public FlowMapping mapping() {
        return mapping;
    }

    /**
     * @param record a record as its system returned it
     * @param refs   translation of references through parent links
     * @return its canonical values, the link id stamped on it, and what keeps it from syncing now
     */
    public MappedRecord toCanonical(SideRecord record, RefResolver refs) {
        Side side = record.side();
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> waiting = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (FieldMapping field : mapping.fields()) {
            String property = field.propertyOn(side);
            List<String> parts = field.partsOn(side);
            Object raw = parts.size() == 1 ? Properties.get(record.properties(), property)
                    : parts.stream().map(part -> Properties.get(record.properties(), part)).toList();
            try {
                Object canonical = field.transformOn(side).toCanonical(raw);
                if (field.isReference()) {
                    canonical = toRef(field, side, canonical, refs, waiting);
                }
                values.put(field.field(), canonical);
            } catch (MappingException e) {
                problems.add(property + ": " + e.getMessage());
            }
        }
        return new MappedRecord(FieldValues.of(values), stampOf(record), waiting, problems);
    }

    /**
     * The properties to send to {@code side} for {@code values}: every field crmsync writes to that side,
     * including empty ones as null, so that a value cleared on one side is cleared on the other.
     *
     * @param side   the system to write to
     * @param values canonical values
     * @param refs   translation of references through parent links
     * @return property path to value; nested maps for dotted Customcrm paths
     * @throws MappingException when a value cannot be expressed on that side, or a reference has no record there
     */
    public Map<String, Object> toSystem(Side side, FieldValues values, RefResolver refs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (FieldMapping field : mapping.fields()) {
            if (!field.direction().writesTo(side)) {
                continue;
            }
            Object canonical = values.get(field.field());
            Object raw;
            if (field.isReference()) {
                raw = canonical == null ? null : refs.recordIdOn(field.references(), side, ((Ref) canonical).linkId())
                        .map(id -> side == Side.WEBCRM ? (Object) Long.valueOf(id) : id)
                        .orElseThrow(() -> new MappingException(field.field() + " points at "
                                + withArticle(field.references().entityOn(side)) + " that does not exist on "
                                + side.label() + " yet"));
            } else {
                raw = field.transformOn(side).fromCanonical(canonical);
            }
            List<String> parts = field.partsOn(side);
            if (parts.size() == 1) {
                Properties.put(out, parts.get(0), raw);
            } else {
                List<?> split = raw == null ? java.util.Collections.nCopies(parts.size(), null) : (List<?>) raw;
                for (int i = 0; i < parts.size(); i++) {
                    Properties.put(out, parts.get(i), split.get(i));
                }
            }
        }
        return out;
    }

    /**
     * The properties that stamp a record with its link id, so that a create whose answer was lost can be found
     * (invariant 4): a custom field on webCRM, {@code external_ids} on Customcrm, where the webCRM id is kept too
     * for people who look at the record.
     *
     * @param side     the system written to
     * @param linkId   the link id
     * @param webcrmId the webCRM record's id when writing to Customcrm, or null
     * @return the stamp properties, to be merged into a write
     */
    public Map<String, Object> stampProperties(Side side, String linkId, String webcrmId) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (side == Side.WEBCRM) {
            out.put(mapping.webcrmStampProperty(), linkId);
        } else {
            Map<String, Object> externalIds = new LinkedHashMap<>();
            externalIds.put(mapping.customcrmStampKey(), linkId);
            if (webcrmId != null) {
                externalIds.put(WEBCRM_ID_KEY, webcrmId);
            }
            out.put("external_ids", externalIds);
        }
        return out;
    }

    /**
     * @param record a record as its system returned it
     * @return the link id stamped on it, if any
     */
    public Optional<String> stampOf(SideRecord record) {
        Object stamp = record.side() == Side.WEBCRM
                ? record.properties().get(mapping.webcrmStampProperty())
                : Properties.get(record.properties(), "external_ids." + mapping.customcrmStampKey());
        return stamp == null || stamp.toString().isBlank() ? Optional.empty() : Optional.of(stamp.toString().strip());
    }

    /**
     * The webCRM record a Customcrm record names as its partner, in {@code external_ids} beside its link stamp.
     * crmsync writes both on every Customcrm record it creates or updates, and on the Customcrm record a webCRM
     * create was made from, so a link lost with the store can be rebuilt from Customcrm alone.
     *
     * @param record a record as its system returned it
     * @return the webCRM id it names, for a Customcrm record that carries a link stamp; empty otherwise
     */
    public Optional<String> partnerIdOf(SideRecord record) {
        if (record.side() != Side.CUSTOMCRM || stampOf(record).isEmpty()) {
            return Optional.empty();
        }
        Object id = Properties.get(record.properties(), "external_ids." + WEBCRM_ID_KEY);
        return id == null || id.toString().isBlank() ? Optional.empty() : Optional.of(id.toString().strip());
    }

    private static Ref toRef(FieldMapping field, Side side, Object canonicalId, RefResolver refs,
                             List<String> waiting) {
        // webCRM writes "no organisation" as 0; Customcrm as null.
        if (canonicalId == null || "0".equals(canonicalId)) {
            return null;
        }
        String recordId = canonicalId.toString();
        Optional<String> linkId = refs.linkIdOf(field.references(), side, recordId);
        if (linkId.isEmpty()) {
            waiting.add(field.references().entityOn(side) + " " + recordId);
            return null;
        }
        return new Ref(field.references(), linkId.get());
    }

    /** "an Organisation", "a Customer": the reason is read by people. */
    private static String withArticle(String noun) {
        return ("AEIOU".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }
}
