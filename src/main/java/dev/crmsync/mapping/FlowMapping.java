package dev.crmsync.mapping;

import dev.crmsync.model.Flow;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The property table of one flow, with its first-link match key and where each side keeps the link id stamp.
 *
 * @param flow                the flow
 * @param fields              the property table, in document order
 * @param matchKey            the first-link match key, or null when records of this flow are never matched
 * @param webcrmStampProperty the webCRM custom field that holds the link id (e.g. {@code OrganisationCustom5})
 * @param customcrmStampKey   the key in Customcrm's {@code external_ids} that holds the link id
 * @param filter              which records take part (selective sync)
 */
public record FlowMapping(Flow flow, List<FieldMapping> fields, MatchKey matchKey, String webcrmStampProperty,
                          String customcrmStampKey, RecordFilter filter) {

    /**
     * A flow in which every record takes part.
     */
    public FlowMapping(Flow flow, List<FieldMapping> fields, MatchKey matchKey, String webcrmStampProperty,
                       String customcrmStampKey) {
        this(flow, fields, matchKey, webcrmStampProperty, customcrmStampKey, RecordFilter.none());
    }

    public FlowMapping {
        Objects.requireNonNull(flow, "flow");
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException(flow.configName() + ": a flow needs at least one field");
        }
        Set<String> seen = new HashSet<>();
        Set<String> webcrmSeen = new HashSet<>();
        Set<String> customcrmSeen = new HashSet<>();
        for (FieldMapping field : fields) {
            if (!seen.add(field.field())) {
                throw new IllegalArgumentException(flow.configName() + ": field '" + field.field() + "' is mapped twice");
            }
            for (String part : field.partsOn(dev.crmsync.model.Side.WEBCRM)) {
                if (!webcrmSeen.add(part)) {
                    throw new IllegalArgumentException(flow.configName() + ": webCRM property '" + part
                            + "' is mapped twice");
                }
            }
            for (String part : field.partsOn(dev.crmsync.model.Side.CUSTOMCRM)) {
                if (!customcrmSeen.add(part)) {
                    throw new IllegalArgumentException(flow.configName() + ": Customcrm property '" + part
                            + "' is mapped twice");
                }
            }
            if (field.isReference() && !flow.parents().contains(field.references())) {
                throw new IllegalArgumentException(flow.configName() + ": field '" + field.field()
                        + "' may only reference " + flow.parents());
            }
        }
        if (matchKey != null && !seen.contains(matchKey.field())) {
            throw new IllegalArgumentException(flow.configName() + ": match key '" + matchKey.field()
                    + "' is not a mapped field");
        }
        if (webcrmStampProperty == null || webcrmStampProperty.isBlank()) {
            throw new IllegalArgumentException(flow.configName() + ": webcrm stamp property must not be blank");
        }
        if (webcrmSeen.contains(webcrmStampProperty)) {
            throw new IllegalArgumentException(flow.configName() + ": webCRM stamp property '" + webcrmStampProperty
                    + "' is also a mapped field");
        }
        if (customcrmStampKey == null || customcrmStampKey.isBlank()) {
            throw new IllegalArgumentException(flow.configName() + ": customcrm stamp key must not be blank");
        }
        java.util.Objects.requireNonNull(filter, "filter");
    }

    /**
     * @param property another webCRM custom field to stamp records with
     * @return a copy that stamps with {@code property}
     * @throws IllegalArgumentException when the field is also mapped
     */
    public FlowMapping withWebcrmStampProperty(String property) {
        return new FlowMapping(flow, fields, matchKey, property, customcrmStampKey, filter);
    }

    /**
     * A webCRM property may be named by the label the tenant gave its custom field ("Customer number") instead of
     * its property name ({@code OrganisationCustom3}); such a label must be resolved against the tenant's field
     * metadata before the mapping is used.
     *
     * @return the webCRM properties of this table that are labels rather than property names
     */
    public List<String> webcrmLabels() {
        return fields.stream().filter(f -> !f.isJoined()).map(FieldMapping::webcrmProperty)
                .filter(p -> !isPropertyName(p)).toList();
    }

    /**
     * @param properties label to the property it names
     * @return a copy with each label replaced by its property
     */
    public FlowMapping withLabelsResolved(java.util.Map<String, String> properties) {
        List<FieldMapping> resolved = fields.stream().map(f -> properties.containsKey(f.webcrmProperty())
                ? new FieldMapping(f.field(), properties.get(f.webcrmProperty()), f.webcrm(), f.customcrmProperty(),
                        f.customcrm(), f.direction(), f.references())
                : f).toList();
        return new FlowMapping(flow, resolved, matchKey, webcrmStampProperty, customcrmStampKey, filter);
    }

    /**
     * @param name a webCRM property as configured
     * @return whether it is a property name of this flow's entity, e.g. {@code OrganisationCustom3}
     */
    public boolean isPropertyName(String name) {
        return name.matches(flow.webcrmEntity() + "[A-Za-z0-9]+");
    }

    /**
     * @param newFilter which records take part
     * @return a copy with that filter
     */
    public FlowMapping withFilter(RecordFilter newFilter) {
        return new FlowMapping(flow, fields, matchKey, webcrmStampProperty, customcrmStampKey, newFilter);
    }

    /**
     * @return the first-link match key, if this flow has one
     */
    public Optional<MatchKey> match() {
        return Optional.ofNullable(matchKey);
    }

    /**
     * @param name a canonical field
     * @return its mapping, if mapped
     */
    public Optional<FieldMapping> field(String name) {
        return fields.stream().filter(f -> f.field().equals(name)).findFirst();
    }

    /**
     * @return the reference fields
     */
    public List<FieldMapping> references() {
        return fields.stream().filter(FieldMapping::isReference).toList();
    }
}
