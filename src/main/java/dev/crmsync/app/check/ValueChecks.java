package dev.crmsync.app.check;

import static dev.crmsync.app.check.Finding.Kind.TOO_LONG;
import static dev.crmsync.app.check.Finding.Kind.TYPE_MISMATCH;
import static dev.crmsync.app.check.Finding.Kind.VALUE_NOT_ALLOWED;
import static dev.crmsync.app.check.Finding.Kind.VALUE_OUTSIDE_MAP;

import dev.crmsync.mapping.FieldMapping;
import dev.crmsync.mapping.MappingException;
import dev.crmsync.mapping.ValueTransform;
import dev.crmsync.model.Side;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks of a flow's sampled values: does every value read as its mapping says (a decimal, a date, a country
 * crmsync knows), does a value map have a pair for it, and would the other system take it as crmsync would
 * write it (type, allowed values, length, pattern).
 *
 * <p>A problem every sampled value has is a mistake in the mapping: an error. A problem only some values have is
 * in the data: those records will end in the dead letters, a warning.
 *
 * <p>Not threadsafe: used by one preflight on one thread.
 */
final class ValueChecks {

    /** How many of a field's allowed values a message lists: enough to show the spelling webCRM wants. */
    private static final int ALLOWED_SHOWN = 12;

    private final FlowInputs in;
    private final Set<String> contractTypeMismatches;

    /**
     * @param in                     the flow's inputs
     * @param contractTypeMismatches Customcrm properties whose type was already found at odds with the contract
     */
    ValueChecks(FlowInputs in, Set<String> contractTypeMismatches) {
        this.in = in;
        this.contractTypeMismatches = contractTypeMismatches;
    }

    void run() {
        for (FieldMapping field : in.valueFields()) {
            for (Side side : Side.values()) {
                in.sample(side).ifPresent(rows -> reading(field, side, rows));
            }
            for (Side target : Side.values()) {
                if (field.direction().writesTo(target)) {
                    in.sample(target.other()).ifPresent(rows -> writing(field, target, rows));
                }
            }
        }
    }

    // ---------------------------------------------------------------- reading one side

    private void reading(FieldMapping field, Side side, List<Map<String, Object>> rows) {
        String property = in.property(field, side);
        ValueTransform transform = field.transformOn(side);
        Optional<ValueMapView> map = ValueMapView.of(transform);
        Tally unreadable = new Tally();
        Tally outside = new Tally();
        int values = 0;
        for (Map<String, Object> row : rows) {
            Object raw = Values.at(row, property);
            if (Values.isBlank(raw)) {
                continue;
            }
            values++;
            try {
                transform.toCanonical(raw);
            } catch (RuntimeException e) {
                unreadable.add(reason(e, raw, transform));
                continue;
            }
            if (map.isPresent() && !map.get().coversSystemValue(raw)) {
                outside.add(raw.toString().strip());
            }
        }
        boolean known = side == Side.CUSTOMCRM && contractTypeMismatches.contains(property);
        if (unreadable.count > 0 && !known) {
            String sampled = Values.count(values, "sampled " + side.label() + " value");
            report(unreadable.count, values, TYPE_MISMATCH, side, property, (unreadable.count == values
                    ? "none of the " + sampled + " reads" : unreadable.count + " of " + sampled + " do not read")
                    + " as " + transform.systemType() + ", e.g. " + unreadable.first());
        }
        if (outside.count > 0) {
            in.warning(VALUE_OUTSIDE_MAP, side, property, outside.count + " of "
                    + Values.count(values, "sampled " + side.label() + " value") + " have no pair in the value map "
                    + "and pass through unchanged: " + Values.examples(outside.distinct));
        }
    }

    // ---------------------------------------------------------------- writing to the other side

    private void writing(FieldMapping field, Side target, List<Map<String, Object>> rows) {
        Side source = target.other();
        String from = in.property(field, source);
        String to = in.property(field, target);
        ValueTransform read = field.transformOn(source);
        ValueTransform write = field.transformOn(target);
        Optional<ValueMapView> map = ValueMapView.of(write);
        Constraint rule = constraint(target, to);
        Tally outside = new Tally();
        Tally unwritable = new Tally();
        Tally wrongType = new Tally();
        Tally notAllowed = new Tally();
        Tally tooLong = new Tally();
        Tally noMatch = new Tally();
        int longest = 0;
        int values = 0;
        for (Map<String, Object> row : rows) {
            Object canonical = canonical(read, Values.at(row, from));
            if (canonical == null) {
                continue;
            }
            values++;
            if (map.isPresent() && !map.get().coversCanonicalValue(canonical)) {
                outside.add(canonical);
            }
            Object value;
            try {
                value = write.fromCanonical(canonical);
            } catch (RuntimeException e) {
                unwritable.add(reason(e, canonical, write));
                continue;
            }
            if (value == null) {
                continue;
            }
            if (!rule.types().isEmpty() && !fits(value, rule.types())) {
                wrongType.add(value);
            }
            if (!rule.allowed().isEmpty() && !rule.allowed().contains(value.toString())) {
                notAllowed.add(value);
            }
            if (value instanceof String text) {
                if (rule.maxLength() > 0 && text.length() > rule.maxLength()) {
                    tooLong.add(text);
                    longest = Math.max(longest, text.length());
                }
                if (rule.pattern() != null && !rule.pattern().matcher(text).find()) {
                    noMatch.add(text);
                }
            }
        }
        String sampled = " of " + Values.count(values, "sampled " + source.label() + " value");
        if (outside.count > 0) {
            in.warning(VALUE_OUTSIDE_MAP, target, to, outside.count + sampled + " (" + from + ") have no pair "
                    + "in the value map and would reach " + target.label() + " unchanged: "
                    + Values.examples(outside.distinct));
        }
        if (unwritable.count > 0) {
            report(unwritable.count, values, TYPE_MISMATCH, target, to, unwritable.count + sampled
                    + " cannot be written to " + target.label() + ", e.g. " + unwritable.first());
        }
        if (wrongType.count > 0) {
            report(wrongType.count, values, TYPE_MISMATCH, target, to, wrongType.count + sampled + " would be "
                    + "written as " + Values.jsonType(wrongType.distinct.iterator().next()) + " ("
                    + Values.examples(wrongType.distinct) + "), but " + rule.typeSource() + " "
                    + String.join(" or ", rule.types()));
        }
        if (notAllowed.count > 0) {
            in.warning(VALUE_NOT_ALLOWED, target, to, notAllowed.count + sampled + " would be written as "
                    + Values.examples(notAllowed.distinct) + ", which " + rule.allowedSource() + " does not offer ("
                    + Values.examples(rule.allowed(), ALLOWED_SHOWN) + "); " + target.label() + " will refuse "
                    + (notAllowed.count == 1 ? "it" : "them"));
        }
        if (tooLong.count > 0) {
            in.warning(TOO_LONG, target, to, tooLong.count + sampled + " would be longer than the "
                    + rule.maxLength() + " characters " + rule.lengthSource() + " allows (the longest has "
                    + longest + ")");
        }
        if (noMatch.count > 0) {
            in.warning(VALUE_NOT_ALLOWED, target, to, noMatch.count + sampled + " would not match the "
                    + "contract's pattern " + rule.pattern().pattern() + ", e.g. " + Values.examples(noMatch.distinct)
                    + "; " + target.label() + " will refuse " + (noMatch.count == 1 ? "it" : "them"));
        }
    }

    // ---------------------------------------------------------------- what the receiving side accepts

    /**
     * What the receiving side is known to accept for one property.
     *
     * @param types        JSON types; empty for any
     * @param typeSource   who says so, for messages
     * @param allowed      the only values allowed; empty for any
     * @param allowedSource who says so
     * @param maxLength    the longest text, or 0
     * @param lengthSource who says so
     * @param pattern      a pattern texts must contain a match of, or null
     */
    private record Constraint(Set<String> types, String typeSource, List<String> allowed, String allowedSource,
                              int maxLength, String lengthSource, Pattern pattern) {
    }

    private Constraint constraint(Side target, String property) {
        if (target == Side.CUSTOMCRM) {
            Optional<CustomcrmContract.Property> p = in.contractOfFlow()
                    .flatMap(contract -> contract.writable(in.flow(), property));
            if (p.isEmpty()) {
                return new Constraint(Set.of(), "", List.of(), "", 0, "", null);
            }
            Set<String> types = contractTypeMismatches.contains(property) ? Set.of() : p.get().types();
            return new Constraint(types, "the contract types it", p.get().allowed(), "the contract",
                    p.get().maxLength(), "the contract", pattern(p.get().pattern()));
        }
        List<String> dropdown = in.metadata(property).map(f -> f.dropdownValues()).orElse(List.of());
        int max = in.metadata(property).map(f -> f.maxLength()).orElse(0);
        return new Constraint(webcrmTypes(property), "webCRM holds only", dropdown,
                "the tenant's " + property + " dropdown", max, "webCRM's field metadata", null);
    }

    /**
     * webCRM's metadata types only configured fields; for the rest the sampled records tell. Only numbers and
     * booleans are inferred: a text property may hold anything that reads as text.
     */
    private Set<String> webcrmTypes(String property) {
        Set<String> seen = new LinkedHashSet<>();
        in.sample(Side.WEBCRM).ifPresent(rows -> rows.stream().map(row -> row.get(property))
                .filter(v -> v != null).forEach(v -> seen.add(Values.jsonType(v))));
        if (seen.isEmpty()) {
            return Set.of();
        }
        if (Set.of("integer", "number").containsAll(seen)) {
            return Set.of("number");
        }
        return seen.equals(Set.of("boolean")) ? Set.of("boolean") : Set.of();
    }

    private static boolean fits(Object value, Set<String> types) {
        String type = Values.jsonType(value);
        if (types.contains(type) || type.equals("integer") && types.contains("number")) {
            return true;
        }
        // webCRM reads a number or a flag sent as text; the contract's JSON Schema does not, but it never infers
        // these two types from text either.
        if (value instanceof String text && types.equals(Set.of("number"))) {
            try {
                new BigDecimal(text.strip());
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return value instanceof String text && types.equals(Set.of("boolean"))
                && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"));
    }

    private static Pattern pattern(String pattern) {
        if (pattern.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            // A JSON Schema pattern Java cannot read is left unchecked rather than reported against the data.
            return null;
        }
    }

    // ---------------------------------------------------------------- plumbing

    private static Object canonical(ValueTransform read, Object raw) {
        if (Values.isBlank(raw)) {
            return null;
        }
        try {
            return read.toCanonical(raw);
        } catch (RuntimeException e) {
            // Reported by the reading check of the source side.
            return null;
        }
    }

    private void report(int failing, int values, Finding.Kind kind, Side side, String property, String message) {
        if (failing == values) {
            in.error(kind, side, property, message);
        } else {
            in.warning(kind, side, property, message + "; those records will end in the dead letters");
        }
    }

    private static String reason(RuntimeException e, Object value, ValueTransform transform) {
        if (e instanceof MappingException) {
            return e.getMessage();
        }
        // The two sides' transforms disagree on what a canonical value is (e.g. text on one side, a date on the
        // other): the exception's own text names JVM classes and helps nobody.
        return Values.quote(value) + " cannot be taken as " + transform.systemType() + " ("
                + e.getClass().getSimpleName() + ")";
    }

    /** Counts problems and keeps the distinct values or reasons met, in order. */
    private static final class Tally {
        private final Set<Object> distinct = new LinkedHashSet<>();
        private int count;

        void add(Object example) {
            count++;
            distinct.add(example);
        }

        String first() {
            return distinct.iterator().next().toString();
        }
    }
}
