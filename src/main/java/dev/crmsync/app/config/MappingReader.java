package dev.crmsync.app.config;

import dev.crmsync.mapping.Countries;
import dev.crmsync.mapping.Direction;
import dev.crmsync.mapping.FieldMapping;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.mapping.MatchKey;
import dev.crmsync.mapping.RecordFilter;
import dev.crmsync.mapping.Transforms;
import dev.crmsync.mapping.ValueTransform;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code mappings:} section: per flow, rows that add to or replace rows of the default property table,
 * rows to remove, and the first-link match key.
 *
 * <pre>
 * mappings:
 *   organisations:
 *     fields:
 *       - { webcrm: OrganisationCustom1, customcrm: notes }                        # a custom field, both ways
 *       - { webcrm: OrganisationIndustry, customcrm: industry, direction: webcrm-to-customcrm }
 *       - { webcrm: OrganisationStatus, customcrm: status, values: { A Kunde: a_customer, B Kunde: b_customer } }
 *     remove: [ website ]                                                          # by Customcrm property
 *     match: { field: vat_number, normalise: vat-number }
 *     filter: { webcrm: { OrganisationType: [ Customer ] }, on-leave: retire }     # selective sync
 * </pre>
 *
 * A listed row replaces the default row that maps the same webCRM or Customcrm property. A webCRM custom field
 * may be named by its label ({@code webcrm: "Customer number"}); labels are resolved when crmsync connects. The canonical name of a
 * new row is its Customcrm property. Row types: {@code text} (default), {@code decimal}, {@code integer},
 * {@code date}, {@code date-as-date-time} (a date webCRM holds as a date-time) and {@code country} (a country
 * name in webCRM, an ISO code in Customcrm). A {@code values} map translates webCRM values to Customcrm values;
 * {@code case: upper|lower} folds text as it is read; {@code default} stands in for an empty value (e.g. {@code -}
 * for a last name webCRM requires); {@code constant} reads every value as the constant, which with a one-way
 * direction writes it to the other side; {@code webcrm-number-format: da-DK} reads and writes a decimal that webCRM
 * keeps as text in a custom field in that locale's format ({@code 1.234,50}). One side may list several
 * properties, joined into one value with {@code join} (default a space) and split again when written:
 * {@code { webcrm: [PersonFirstName, PersonMiddleName], customcrm: first_name }}.
 *
 * <p>Not threadsafe: used while loading only.
 */
final class MappingReader {

    private final Countries countries;

    MappingReader(Locale webcrmCountryLanguage) {
        this.countries = new Countries(webcrmCountryLanguage);
    }

    Map<Flow, FlowMapping> read(Section mappings, Map<Flow, FlowMapping> defaults) {
        Map<Flow, FlowMapping> out = new EnumMap<>(defaults);
        for (String name : mappings.keys()) {
            Flow flow;
            try {
                flow = Flow.fromConfigName(name);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(mappings.key(name), e.getMessage());
            }
            out.put(flow, flow(mappings.section(name), defaults.get(flow)));
        }
        mappings.refuseUnknownKeys();
        return out;
    }

    private FlowMapping flow(Section s, FlowMapping base) {
        List<FieldMapping> fields = new ArrayList<>(base.fields());
        for (String removed : s.strings("remove")) {
            if (!fields.removeIf(f -> f.customcrmProperty().equals(removed) || f.webcrmProperty().equals(removed))) {
                throw new ConfigException(s.key("remove"), "no row of the " + base.flow().configName()
                        + " table maps '" + removed + "'");
            }
        }
        for (Section row : s.sections("fields")) {
            FieldMapping field = row(row, base, fields);
            fields.removeIf(f -> overlaps(f, field));
            fields.add(field);
        }
        MatchKey match = s.has("match") ? match(s.section("match")) : base.matchKey();
        RecordFilter filter = filter(s.section("filter"), base.flow());
        s.refuseUnknownKeys();
        if (match != null && fields.stream().noneMatch(f -> f.field().equals(match.field()))) {
            throw new ConfigException(s.key("match"), "the match key '" + match.field() + "' is not a mapped field; "
                    + "map it or set match: { normalise: none }");
        }
        try {
            return new FlowMapping(base.flow(), fields, match, base.webcrmStampProperty(), base.customcrmStampKey(),
                    filter);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s.key("fields"), e.getMessage());
        }
    }

    private FieldMapping row(Section row, FlowMapping base, List<FieldMapping> current) {
        List<String> webcrmParts = parts(row, "webcrm");
        List<String> customcrmParts = parts(row, "customcrm");
        String webcrm = String.join(FieldMapping.PART_SEPARATOR, webcrmParts);
        String customcrm = String.join(FieldMapping.PART_SEPARATOR, customcrmParts);
        String separator = row.string("join", null);
        for (String part : webcrmParts.size() > 1 ? webcrmParts : List.<String>of()) {
            if (!base.isPropertyName(part)) {
                throw new ConfigException(row.key("webcrm"), "'" + part + "' is not a property of a webCRM "
                        + base.flow().webcrmEntity() + "; a join names properties, not labels");
            }
        }
        if (!base.isPropertyName(webcrm) && webcrmParts.size() == 1
                && (webcrm.matches("[A-Za-z0-9]+") || webcrm.isBlank())) {
            // A single word that is no property of this entity is a mistake, not a label, e.g. OrganisationName
            // under persons; labels ("Customer number") are resolved against webCRM's field metadata at start.
            throw new ConfigException(row.key("webcrm"), "'" + webcrm + "' is not a property of a webCRM "
                    + base.flow().webcrmEntity() + "; its name starts with " + base.flow().webcrmEntity()
                    + ", or name a custom field by its label");
        }
        Direction direction = direction(row);
        String referenced = row.string("references", null);
        String type = row.string("type", null);
        Map<String, String> values = row.pairs("values");
        String fallback = row.string("default", null);
        String letterCase = row.string("case", null);
        String constant = row.string("constant", null);
        String numberFormat = row.string("webcrm-number-format", null);
        row.refuseUnknownKeys();
        // A row that replaces a default keeps the default's canonical name, so references and match keys still
        // find it.
        String name = current.stream()
                .filter(f -> f.partsOn(Side.CUSTOMCRM).equals(customcrmParts) || f.partsOn(Side.WEBCRM).equals(webcrmParts))
                .map(FieldMapping::field).findFirst().orElse(customcrm);
        if (referenced != null) {
            Flow target;
            try {
                target = Flow.fromConfigName(referenced);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(row.key("references"), e.getMessage());
            }
            if (type != null || !values.isEmpty()) {
                throw new ConfigException(row.key("references"), "a reference has no type or values of its own");
            }
            return new FieldMapping(name, webcrm, Transforms.text(), customcrm, Transforms.text(), direction, target);
        }
        ValueTransform webcrmSide;
        ValueTransform customcrmSide;
        String kind = type == null ? "text" : type.strip().toLowerCase(Locale.ROOT);
        switch (kind) {
            case "text" -> {
                webcrmSide = Transforms.text();
                customcrmSide = Transforms.text();
            }
            case "decimal" -> {
                webcrmSide = Transforms.decimal();
                customcrmSide = Transforms.decimal();
            }
            case "integer" -> {
                webcrmSide = Transforms.integer();
                customcrmSide = Transforms.integer();
            }
            case "date" -> {
                webcrmSide = Transforms.date();
                customcrmSide = Transforms.date();
            }
            case "date-as-date-time" -> {
                webcrmSide = Transforms.dateAsDateTime();
                customcrmSide = Transforms.date();
            }
            case "country" -> {
                webcrmSide = Transforms.countryName(countries);
                customcrmSide = Transforms.countryCode();
            }
            default -> throw new ConfigException(row.key("type"), "unknown type '" + type + "': expected text, "
                    + "decimal, integer, date, date-as-date-time or country");
        }
        if (!values.isEmpty()) {
            if (!kind.equals("text")) {
                throw new ConfigException(row.key("values"), "a value map works on text rows only");
            }
            try {
                webcrmSide = Transforms.valueMap(values);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(row.key("values"), e.getMessage());
            }
        }
        boolean joined = webcrmParts.size() > 1 || customcrmParts.size() > 1;
        if (joined) {
            if (webcrmParts.size() > 1 && customcrmParts.size() > 1) {
                throw new ConfigException(row.key("customcrm"), "only one side of a row may name several properties");
            }
            if (!kind.equals("text") || !values.isEmpty() || numberFormat != null) {
                throw new ConfigException(row.key("join"), "a join works on text only");
            }
            ValueTransform join = Transforms.joined(separator == null ? " " : separator,
                    Math.max(webcrmParts.size(), customcrmParts.size()));
            if (webcrmParts.size() > 1) {
                webcrmSide = join;
            } else {
                customcrmSide = join;
            }
        } else if (separator != null) {
            throw new ConfigException(row.key("join"), "a join needs a list of properties on one side");
        }
        if (numberFormat != null) {
            if (!kind.equals("decimal")) {
                throw new ConfigException(row.key("webcrm-number-format"), "works on decimal rows only");
            }
            Locale locale = Locale.forLanguageTag(numberFormat.strip());
            if (locale.getLanguage().isEmpty()) {
                throw new ConfigException(row.key("webcrm-number-format"), "'" + numberFormat
                        + "' is not a language tag such as da-DK or en-GB");
            }
            webcrmSide = Transforms.decimalText(locale);
        }
        if (constant != null) {
            webcrmSide = Transforms.constant(constant);
            customcrmSide = Transforms.constant(constant);
        }
        if (letterCase != null) {
            boolean upper = switch (letterCase.strip().toLowerCase(Locale.ROOT)) {
                case "upper" -> true;
                case "lower" -> false;
                default -> throw new ConfigException(row.key("case"), "expected upper or lower, not '" + letterCase + "'");
            };
            webcrmSide = Transforms.inCase(webcrmSide, upper);
            customcrmSide = Transforms.inCase(customcrmSide, upper);
        }
        if (fallback != null) {
            Object canonicalFallback = customcrmSide.toCanonical(fallback);
            webcrmSide = Transforms.defaultWhenEmpty(webcrmSide, canonicalFallback);
            customcrmSide = Transforms.defaultWhenEmpty(customcrmSide, canonicalFallback);
        }
        return new FieldMapping(name, webcrm, webcrmSide, customcrm, customcrmSide, direction, null);
    }

    /**
     * Reads {@code filter: { webcrm: { OrganisationType: [Customer] }, customcrm: { type: [customer] },
     * on-leave: retire }}: which records take part, and what happens when one leaves.
     */
    private static RecordFilter filter(Section s, Flow flow) {
        Map<String, Set<String>> webcrm = conditions(s.section("webcrm"));
        Map<String, Set<String>> customcrm = conditions(s.section("customcrm"));
        String onLeave = s.string("on-leave", "retire").strip().toLowerCase(Locale.ROOT);
        s.refuseUnknownKeys();
        for (String property : webcrm.keySet()) {
            if (!property.startsWith(flow.webcrmEntity())) {
                throw new ConfigException(s.key("webcrm") + "." + property, "is not a property of a webCRM "
                        + flow.webcrmEntity());
            }
        }
        boolean delete = switch (onLeave) {
            case "retire" -> false;
            case "delete" -> true;
            default -> throw new ConfigException(s.key("on-leave"), "unknown policy '" + onLeave
                    + "': expected retire or delete");
        };
        return new RecordFilter(webcrm, customcrm, delete);
    }

    private static Map<String, Set<String>> conditions(Section s) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String property : s.keys()) {
            List<String> values = s.strings(property);
            if (values.isEmpty()) {
                throw new ConfigException(s.key(property), "needs at least one value the property may have");
            }
            out.put(property, new LinkedHashSet<>(values));
        }
        s.refuseUnknownKeys();
        return out;
    }

    /** A listed row replaces every row that maps one of its properties on either side. */
    private static boolean overlaps(FieldMapping a, FieldMapping b) {
        for (Side side : Side.values()) {
            if (a.partsOn(side).stream().anyMatch(b.partsOn(side)::contains)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> parts(Section row, String key) {
        List<String> parts = row.strings(key).stream().map(String::strip).toList();
        if (parts.isEmpty() || parts.stream().anyMatch(String::isEmpty)) {
            throw new ConfigException(row.key(key), "is required");
        }
        if (parts.stream().anyMatch(p -> p.contains(FieldMapping.PART_SEPARATOR))) {
            throw new ConfigException(row.key(key), "a property name cannot contain '" + FieldMapping.PART_SEPARATOR
                    + "'; list the properties to join instead");
        }
        return parts;
    }

    private static Direction direction(Section row) {
        String text = row.string("direction", "both").strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "both" -> Direction.BOTH;
            case "webcrm-to-customcrm" -> Direction.WEBCRM_TO_CUSTOMCRM;
            case "customcrm-to-webcrm" -> Direction.CUSTOMCRM_TO_WEBCRM;
            default -> throw new ConfigException(row.key("direction"), "unknown direction '" + text
                    + "': expected both, webcrm-to-customcrm or customcrm-to-webcrm");
        };
    }

    private static MatchKey match(Section s) {
        String normalise = s.string("normalise", "none").strip().toLowerCase(Locale.ROOT);
        String field = s.string("field", null);
        s.refuseUnknownKeys();
        if (normalise.equals("none")) {
            return null;
        }
        if (field == null || field.isBlank()) {
            throw new ConfigException(s.key("field"), "is required unless normalise is none");
        }
        return switch (normalise) {
            case "vat-number" -> MatchKey.vatNumber(field.strip());
            case "email" -> MatchKey.email(field.strip());
            default -> throw new ConfigException(s.key("normalise"), "unknown normalisation '" + normalise
                    + "': expected vat-number, email or none");
        };
    }
}
