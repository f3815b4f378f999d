package dev.crmsync.app.check;

import static dev.crmsync.app.check.Finding.Kind.CONTRACT;
import static dev.crmsync.app.check.Finding.Kind.REQUIRED_MISSING;
import static dev.crmsync.app.check.Finding.Kind.REQUIRED_UNMAPPED;
import static dev.crmsync.app.check.Finding.Kind.TYPE_MISMATCH;
import static dev.crmsync.app.check.Finding.Kind.UNCHECKED;
import static dev.crmsync.app.check.Finding.Kind.UNKNOWN_PROPERTY;

import dev.crmsync.mapping.FieldMapping;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of a flow's property names: does each system have the mapped properties, does the contract type a
 * Customcrm property as the mapping reads it, and does some mapping write every property a create needs.
 *
 * <p>Not threadsafe: used by one preflight on one thread.
 */
final class PropertyChecks {

    /**
     * What webCRM requires on create beyond its id, which its Swagger document does not say: a person's last name
     * (API-NOTES §7.4, "It is mandatory to define last name in webCRM").
     */
    static final Map<Flow, List<String>> WEBCRM_REQUIRED = Map.of(Flow.PERSONS, List.of("PersonLastName"));

    /** What a Customcrm sets itself or crmsync stamps itself, so a create's required list may name it unmapped. */
    private static final Set<String> NOT_MAPPED_ON_PURPOSE = Set.of("id", "version", "created_at", "updated_at",
            "deleted", "external_ids");

    private final FlowInputs in;
    private final Set<String> contractTypeMismatches = new HashSet<>();

    PropertyChecks(FlowInputs in) {
        this.in = in;
    }

    /**
     * @return the Customcrm properties whose contract type disagrees with their mapping, so the value checks do
     *         not report every sampled value of them once more
     */
    Set<String> run() {
        webcrmProperties();
        customcrmProperties();
        required(Side.WEBCRM, WEBCRM_REQUIRED.getOrDefault(in.flow(), List.of()));
        in.contractOfFlow().ifPresent(contract -> required(Side.CUSTOMCRM, contract.required(in.flow()).stream()
                .filter(p -> !NOT_MAPPED_ON_PURPOSE.contains(p)).toList()));
        return Set.copyOf(contractTypeMismatches);
    }

    // ---------------------------------------------------------------- webCRM

    /**
     * A webCRM property is known when the sampled records carry it (webCRM sends every property of a DTO, nulls
     * included) or the tenant's field metadata names it. With nothing sampled, only the metadata can vouch for a
     * property, and it names only configured fields; the rest is reported unchecked rather than unknown.
     */
    private void webcrmProperties() {
        Optional<List<Map<String, Object>>> sample = in.sample(Side.WEBCRM);
        if (sample.isEmpty()) {
            return;
        }
        Set<String> sent = new LinkedHashSet<>();
        sample.get().forEach(row -> sent.addAll(row.keySet()));
        List<String> unconfirmed = new ArrayList<>();
        for (String property : webcrmProperties(in)) {
            if (sent.contains(property) || in.metadata(property).isPresent()) {
                continue;
            }
            if (!in.isPropertyName(property)) {
                in.error(UNKNOWN_PROPERTY, Side.WEBCRM, property, "neither a " + in.flow().webcrmEntity()
                        + " property nor the label of a field webCRM's metadata names"
                        + (in.fields() == null ? "" : " (its labels: " + String.join(", ",
                        in.fields().labels(in.flow())) + ")"));
                continue;
            }
            Optional<String> spelled = sent.stream().filter(p -> p.equalsIgnoreCase(property)).findFirst()
                    .or(() -> in.fields() == null ? Optional.empty()
                            : in.fields().byProperty(in.flow(), property).map(f -> f.property()));
            if (spelled.isPresent()) {
                in.error(UNKNOWN_PROPERTY, Side.WEBCRM, property, "webCRM spells it " + spelled.get()
                        + "; property names are case-sensitive in webCRM's records");
            } else if (sample.get().isEmpty()) {
                unconfirmed.add(property);
            } else {
                in.error(UNKNOWN_PROPERTY, Side.WEBCRM, property, "none of the "
                        + Values.count(sample.get().size(), "sampled " + in.entity(Side.WEBCRM))
                        + " has it, and webCRM's field metadata does not name it");
            }
        }
        if (!unconfirmed.isEmpty()) {
            in.warning(UNCHECKED, Side.WEBCRM, null, "no " + in.entity(Side.WEBCRM) + " to sample, so "
                    + String.join(", ", unconfirmed) + " could not be confirmed (the field metadata names only "
                    + "configured fields)");
        }
    }

    // ---------------------------------------------------------------- Customcrm

    private void customcrmProperties() {
        if (in.contract() == null) {
            return;
        }
        if (in.contractOfFlow().isEmpty()) {
            in.warning(CONTRACT, Side.CUSTOMCRM, null, "the contract defines no body for POST /"
                    + in.flow().customcrmCollection() + "; Customcrm property names, types and required fields of "
                    + "this flow were not checked");
            return;
        }
        CustomcrmContract contract = in.contract();
        for (FieldMapping field : in.mapping().fields()) {
            for (String path : field.partsOn(Side.CUSTOMCRM)) {
                customcrmProperty(contract, field, path);
            }
        }
    }

    private void customcrmProperty(CustomcrmContract contract, FieldMapping field, String path) {
        Optional<CustomcrmContract.Property> writable = contract.writable(in.flow(), path);
        if (writable.isPresent()) {
            contractType(field, writable.get());
        } else if (contract.readable(in.flow(), path).isPresent()) {
            if (field.direction().writesTo(Side.CUSTOMCRM)) {
                in.warning(UNKNOWN_PROPERTY, Side.CUSTOMCRM, path, "Customcrm sets it itself: the contract "
                        + "has it in what a " + in.flow().customcrmEntity() + " answers, not in what a write "
                        + "takes, so crmsync's writes of it are ignored");
            }
        } else {
            in.error(UNKNOWN_PROPERTY, Side.CUSTOMCRM, path, "the contract's " + in.flow().customcrmEntity()
                    + " has no such property" + suggestion(contract.writablePaths(in.flow()), path)
                    + "; Customcrm would ignore what crmsync writes there");
        }
    }

    /** The webCRM properties the mapping reads, a joined row's parts each on its own, labels resolved. */
    private static List<String> webcrmProperties(FlowInputs in) {
        List<String> out = new ArrayList<>();
        for (FieldMapping field : in.mapping().fields()) {
            if (field.isJoined()) {
                out.addAll(field.partsOn(Side.WEBCRM));
            } else {
                out.add(in.property(field, Side.WEBCRM));
            }
        }
        return out;
    }

    /** Compares the type a mapping's transform reads and writes with the type the contract gives. */
    private void contractType(FieldMapping field, CustomcrmContract.Property property) {
        Set<String> types = property.types();
        String expected = field.customcrm().systemType();
        if (types.isEmpty()) {
            return;
        }
        boolean fits = switch (expected) {
            case "string", "date", "date-time" -> types.contains("string");
            case "decimal" -> types.contains("number") || types.contains("integer");
            case "integer" -> types.contains("integer") || types.contains("number");
            case "boolean" -> types.contains("boolean");
            // A transform of a type crmsync does not know: its values are checked one by one instead.
            default -> true;
        };
        String path = field.customcrmProperty();
        if (!fits) {
            contractTypeMismatches.add(path);
            in.error(TYPE_MISMATCH, Side.CUSTOMCRM, path, "the mapping reads and writes it as " + expected
                    + ", but the contract types it " + String.join(" or ", types));
        } else if (expected.equals("decimal") && !types.contains("number")) {
            in.warning(TYPE_MISMATCH, Side.CUSTOMCRM, path, "the mapping writes decimals, but the contract takes "
                    + "whole numbers only: a value with a fraction will be refused");
        }
    }

    private static String suggestion(List<String> known, String path) {
        Optional<String> near = known.stream().filter(k -> k.equalsIgnoreCase(path)).findFirst()
                .or(() -> known.stream().filter(k -> lastSegment(k).equalsIgnoreCase(lastSegment(path))).findFirst());
        return near.map(k -> " (did you mean " + k + "?)").orElse("");
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    // ---------------------------------------------------------------- required fields

    /**
     * Every property {@code side} requires on create must be written there by some mapping; and where it is, the
     * sampled records of the other side that lack a value would be refused when crmsync creates them.
     */
    private void required(Side side, List<String> properties) {
        Side source = side.other();
        for (String property : properties) {
            Optional<FieldMapping> field = in.mapping().fields().stream()
                    .filter(f -> f.isJoined() ? f.partsOn(side).contains(property)
                            : in.property(f, side).equals(property)).findFirst();
            if (field.isEmpty() || !field.get().direction().writesTo(side)) {
                in.error(REQUIRED_UNMAPPED, side, property, side.label() + " requires it to create a "
                        + in.flow().entityOn(side) + ", but " + (field.isEmpty() ? "no mapping writes it"
                        : "its mapping only flows from " + side.label())
                        + ", so every " + in.flow().entityOn(side) + " crmsync creates from " + source.label()
                        + " would be refused");
                continue;
            }
            if (field.get().isJoined()) {
                // The sampled values of a join are several properties; the parts were checked as properties.
                continue;
            }
            in.sample(source).ifPresent(rows -> {
                String from = in.property(field.get(), source);
                long empty = rows.stream().filter(row -> isEmpty(field.get(), source, Values.at(row, from))).count();
                if (empty > 0) {
                    in.warning(REQUIRED_MISSING, side, property, empty + " of " + Values.count(rows.size(),
                            "sampled " + in.entity(source)) + " " + (empty == 1 ? "has" : "have")
                            + " no " + from + "; " + side.label() + " requires " + property
                            + ", so creating " + (empty == 1 ? "it" : "them") + " there will be refused");
                }
            });
        }
    }

    private static boolean isEmpty(FieldMapping field, Side side, Object raw) {
        // Read even an empty value: a row may stand in a default for it.
        try {
            return Values.isBlank(field.transformOn(side).toCanonical(raw));
        } catch (RuntimeException e) {
            // A value that does not read is the value checks' finding, not this one.
            return Values.isBlank(raw);
        }
    }
}
