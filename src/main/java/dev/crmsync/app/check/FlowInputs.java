package dev.crmsync.app.check;

import dev.crmsync.adapters.webcrm.WebcrmFieldMetadata;
import dev.crmsync.adapters.webcrm.WebcrmTenantFields;
import dev.crmsync.mapping.FieldMapping;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the checks of one flow work from: its mapping, the records sampled on each side, webCRM's field metadata
 * and the Customcrm contract, and where findings go. A side, the metadata or the contract is absent when it could
 * not be read; the checks that need it then stay silent, since a finding already says why.
 *
 * <p>Not threadsafe: used by one preflight on one thread.
 *
 * @param mapping  the flow's mapping
 * @param samples  per side, the properties of the live records sampled; a side left out was not read
 * @param fields   webCRM's field metadata, or null
 * @param contract the Customcrm contract, or null
 * @param out      where findings go
 */
record FlowInputs(FlowMapping mapping, Map<Side, List<Map<String, Object>>> samples, WebcrmTenantFields fields,
                  CustomcrmContract contract, FindingList out) {

    Flow flow() {
        return mapping.flow();
    }

    /**
     * The property a mapping row reads and writes on a side. A webCRM custom field may be named by the label the
     * tenant gave it ("Customer number") rather than its property; such a label is looked up in the field
     * metadata here, as a sync looks it up when it connects, so the checks see the property it stands for.
     *
     * @return the property; a label that the metadata does not know comes back as it is
     */
    String property(FieldMapping field, Side side) {
        String named = field.propertyOn(side);
        if (side == Side.CUSTOMCRM || fields == null || isPropertyName(named)) {
            return named;
        }
        return fields.byLabel(flow(), named).map(WebcrmFieldMetadata::property).orElse(named);
    }

    /**
     * @return whether the text is spelled as a property of this flow's webCRM entity, rather than as a label
     */
    boolean isPropertyName(String webcrmName) {
        String entity = flow().webcrmEntity();
        // The prefix without regard to case, so that a property only misspelt in case is reported as such.
        return webcrmName.matches("[A-Za-z][A-Za-z0-9_]*") && webcrmName.regionMatches(true, 0, entity, 0,
                entity.length());
    }

    /**
     * @return the records sampled on that side, if it was read
     */
    Optional<List<Map<String, Object>>> sample(Side side) {
        return Optional.ofNullable(samples.get(side));
    }

    /**
     * @return webCRM's metadata of that property, matched exactly as a DTO property is spelled
     */
    Optional<WebcrmFieldMetadata> metadata(String property) {
        return fields == null ? Optional.empty()
                : fields.byProperty(flow(), property).filter(f -> f.property().equals(property));
    }

    /**
     * @return the contract, when it describes this flow's writes
     */
    Optional<CustomcrmContract> contractOfFlow() {
        return contract != null && contract.definesWrites(flow()) ? Optional.of(contract) : Optional.empty();
    }

    /**
     * @return e.g. {@code webCRM Organisation}
     */
    String entity(Side side) {
        return side.label() + " " + flow().entityOn(side);
    }

    void error(Finding.Kind kind, Side side, String property, String message) {
        out.add(Severity.ERROR, kind, flow(), side, property, message);
    }

    void warning(Finding.Kind kind, Side side, String property, String message) {
        out.add(Severity.WARNING, kind, flow(), side, property, message);
    }

    /**
     * @return the mapping rows that carry values (not references, which are ids translated through links)
     */
    List<FieldMapping> valueFields() {
        // A joined row's values are the joins of several properties: its parts are checked as properties only.
        return mapping.fields().stream().filter(f -> !f.isReference() && !f.isJoined()).toList();
    }
}
