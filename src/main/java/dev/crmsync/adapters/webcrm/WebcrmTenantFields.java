package dev.crmsync.adapters.webcrm;

import dev.crmsync.model.Flow;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fields a webCRM tenant has configured, per flow, read from {@code GET /FieldsMetadata/{Entity}}: what the
 * generic slots are called there, so that a user can name a custom field by the label they see in webCRM
 * ("Customer number") and crmsync finds the property that holds it ({@code OrganisationCustom1}).
 *
 * <p>Labels and property names are matched without regard to letter case or surrounding blanks, as a user types
 * them. A label two fields of one entity share resolves to neither, since picking one would be a guess.
 *
 * <p>This class is threadsafe: it is immutable.
 *
 * @see WebcrmConnector#fieldsMetadata(Flow)
 * @see WebcrmFieldMetadata
 */
public final class WebcrmTenantFields {

    /**
     * What resolving labels gave.
     *
     * @param properties each resolved label, as given, with its property, in the order given
     * @param unknown    the labels no configured field carries
     * @param ambiguous  the labels several configured fields carry
     */
    public record Resolution(Map<String, String> properties, List<String> unknown, List<String> ambiguous) {

        public Resolution {
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
            unknown = List.copyOf(unknown);
            ambiguous = List.copyOf(ambiguous);
        }

        /**
         * @return whether every label resolved to exactly one property
         */
        public boolean isComplete() {
            return unknown.isEmpty() && ambiguous.isEmpty();
        }
    }

    private final Map<Flow, List<WebcrmFieldMetadata>> fields;

    private WebcrmTenantFields(Map<Flow, List<WebcrmFieldMetadata>> fields) {
        Map<Flow, List<WebcrmFieldMetadata>> copy = new EnumMap<>(Flow.class);
        for (Flow flow : Flow.values()) {
            copy.put(flow, List.copyOf(fields.getOrDefault(flow, List.of())));
        }
        this.fields = copy;
    }

    /**
     * @param fields the configured fields per flow; flows left out have none
     * @return the catalogue
     */
    public static WebcrmTenantFields of(Map<Flow, List<WebcrmFieldMetadata>> fields) {
        return new WebcrmTenantFields(fields);
    }

    /**
     * Reads the metadata of every flow's entity: three requests.
     *
     * @param connector the connection to the tenant
     * @return the catalogue
     * @throws TransientCrmException when webCRM stays unreachable
     * @throws PermanentCrmException when webCRM refuses the token or the request
     */
    public static WebcrmTenantFields read(WebcrmConnector connector) {
        Map<Flow, List<WebcrmFieldMetadata>> fields = new EnumMap<>(Flow.class);
        for (Flow flow : Flow.values()) {
            fields.put(flow, connector.fieldsMetadata(flow));
        }
        return new WebcrmTenantFields(fields);
    }

    /**
     * @param flow a flow
     * @return its entity's configured fields, in webCRM's order
     */
    public List<WebcrmFieldMetadata> fields(Flow flow) {
        return fields.get(flow);
    }

    /**
     * @param flow     a flow
     * @param property a DTO property in any letter case, e.g. {@code organisationcustom1}
     * @return its metadata, if the tenant has configured it
     */
    public Optional<WebcrmFieldMetadata> byProperty(Flow flow, String property) {
        String wanted = key(property);
        return fields.get(flow).stream().filter(f -> key(f.property()).equals(wanted)).findFirst();
    }

    /**
     * @param flow  a flow
     * @param label a label as the tenant shows it, in any letter case, e.g. {@code customer number}
     * @return the one field that carries it; empty when none or several do
     */
    public Optional<WebcrmFieldMetadata> byLabel(Flow flow, String label) {
        List<WebcrmFieldMetadata> matches = withLabel(flow, label);
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    /**
     * @param flow  a flow
     * @param label a label, any letter case
     * @return the property of the one field that carries it
     * @throws IllegalArgumentException naming the label and the labels the entity has, when none or several
     *                                  fields carry it
     */
    public String propertyOf(Flow flow, String label) {
        List<WebcrmFieldMetadata> matches = withLabel(flow, label);
        if (matches.size() == 1) {
            return matches.get(0).property();
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("webCRM has no " + flow.webcrmEntity() + " field labelled '" + label
                    + "'; its configured labels are " + labels(flow));
        }
        throw new IllegalArgumentException("several webCRM " + flow.webcrmEntity() + " fields are labelled '"
                + label + "': " + matches.stream().map(WebcrmFieldMetadata::property).toList());
    }

    /**
     * @param flow   a flow
     * @param labels labels as a user wrote them
     * @return each label's property, and the labels that resolve to none or to several
     */
    public Resolution resolve(Flow flow, Collection<String> labels) {
        Map<String, String> properties = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        List<String> ambiguous = new ArrayList<>();
        for (String label : labels) {
            List<WebcrmFieldMetadata> matches = withLabel(flow, label);
            switch (matches.size()) {
                case 0 -> unknown.add(label);
                case 1 -> properties.put(label, matches.get(0).property());
                default -> ambiguous.add(label);
            }
        }
        return new Resolution(properties, unknown, ambiguous);
    }

    /**
     * @param flow a flow
     * @return the labels its entity's configured fields carry, in webCRM's order
     */
    public List<String> labels(Flow flow) {
        return fields.get(flow).stream().map(WebcrmFieldMetadata::label).filter(l -> !l.isEmpty()).toList();
    }

    private List<WebcrmFieldMetadata> withLabel(Flow flow, String label) {
        String wanted = key(label);
        return fields.get(flow).stream().filter(f -> !f.label().isEmpty() && key(f.label()).equals(wanted)).toList();
    }

    private static String key(String text) {
        return text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    }
}
