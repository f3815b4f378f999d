package dev.crmsync.mapping;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The value transforms the default mappings use. Each is immutable and threadsafe.
 */
public final class Transforms {

    private Transforms() {
    }

    /**
     * @return a string copied as it is
     */
    public static ValueTransform text() {
        return new Plain("string") {
            @Override
            public Object toCanonical(Object raw) {
                return raw == null ? null : raw.toString();
            }
        };
    }

    /**
     * @return a decimal number; strings holding a number are accepted on input
     */
    public static ValueTransform decimal() {
        return new Plain("decimal") {
            @Override
            public Object toCanonical(Object raw) {
                return switch (raw) {
                    case null -> null;
                    case BigDecimal d -> d;
                    case Number n -> new BigDecimal(n.toString());
                    case String s when s.isBlank() -> null;
                    case String s -> parseDecimal(s);
                    default -> throw new MappingException("expected a number, got " + quote(raw));
                };
            }
        };
    }

    /**
     * A decimal number that a system keeps as text in a local format, as a webCRM custom field may hold a price
     * as {@code 1.234,50}: read in that format (plain numbers are read too), written in it.
     *
     * @param locale the format's language and country, e.g. Danish for {@code 1.234,50}
     * @return the transform
     */
    public static ValueTransform decimalText(Locale locale) {
        return new ValueTransform() {
            @Override
            public Object toCanonical(Object raw) {
                if (raw == null || raw.toString().isBlank()) {
                    return null;
                }
                if (raw instanceof Number n) {
                    return new BigDecimal(n.toString());
                }
                java.text.DecimalFormat format = format();
                java.text.ParsePosition position = new java.text.ParsePosition(0);
                String text = raw.toString().strip();
                Number parsed = format.parse(text, position);
                if (parsed == null || position.getIndex() != text.length()) {
                    throw new MappingException("expected a number written as in " + locale.getDisplayName(Locale.ENGLISH)
                            + ", e.g. " + format.format(new BigDecimal("1234.5")) + ", got '" + text + "'");
                }
                return (BigDecimal) parsed;
            }

            @Override
            public Object fromCanonical(Object canonical) {
                return canonical == null ? null : format().format(canonical);
            }

            @Override
            public String systemType() {
                return "string";
            }

            @Override
            public String describe() {
                return "decimal written as in " + locale.getDisplayName(Locale.ENGLISH);
            }

            private java.text.DecimalFormat format() {
                java.text.DecimalFormat format = (java.text.DecimalFormat) java.text.NumberFormat.getNumberInstance(locale);
                format.setParseBigDecimal(true);
                format.setMaximumFractionDigits(10);
                format.setMinimumFractionDigits(0);
                return format;
            }
        };
    }

    /**
     * @return a whole number; a decimal with a fraction is refused rather than rounded
     */
    public static ValueTransform integer() {
        return new Plain("integer") {
            @Override
            public Object toCanonical(Object raw) {
                return switch (raw) {
                    case null -> null;
                    case Integer i -> (long) i;
                    case Long l -> l;
                    case Number n -> wholeNumber(new BigDecimal(n.toString()), raw);
                    case String s when s.isBlank() -> null;
                    case String s -> wholeNumber(parseDecimal(s), raw);
                    default -> throw new MappingException("expected a whole number, got " + quote(raw));
                };
            }
        };
    }

    /**
     * @return a calendar date held as an ISO date string ({@code 1980-05-02})
     */
    public static ValueTransform date() {
        return new DateRead() {
            @Override
            public Object fromCanonical(Object canonical) {
                return canonical == null ? null : canonical.toString();
            }

            @Override
            public String systemType() {
                return "date";
            }
        };
    }

    /**
     * A calendar date held as a date-time at midnight, as webCRM holds a birthday: the time of day is dropped on
     * input and written as midnight.
     *
     * @return the transform
     */
    public static ValueTransform dateAsDateTime() {
        return new DateRead() {
            @Override
            public Object fromCanonical(Object canonical) {
                return canonical == null ? null : ((LocalDate) canonical).atStartOfDay().toString() + ":00";
            }

            @Override
            public String systemType() {
                return "date-time";
            }

            @Override
            public String describe() {
                return "date <-> date-time at midnight";
            }
        };
    }

    /**
     * @param countries the country tables and the language names are written in
     * @return a country name on the system side, an ISO 3166-1 alpha-2 code on the canonical side
     */
    public static ValueTransform countryName(Countries countries) {
        return new ValueTransform() {
            @Override
            public Object toCanonical(Object raw) {
                if (raw == null || raw.toString().isBlank()) {
                    return null;
                }
                return Countries.codeOf(raw.toString()).orElseThrow(() ->
                        new MappingException("'" + raw + "' is not a country name crmsync knows"));
            }

            @Override
            public Object fromCanonical(Object canonical) {
                return canonical == null ? null : countries.nameOf(canonical.toString());
            }

            @Override
            public String systemType() {
                return "string";
            }

            @Override
            public String describe() {
                return "country name (" + countries.writeLanguage().getDisplayLanguage(Locale.ENGLISH)
                        + ") <-> ISO 3166-1 alpha-2 code";
            }
        };
    }

    /**
     * An ISO country code held as a code: upper-cased and checked.
     *
     * @return the transform
     */
    public static ValueTransform countryCode() {
        return new Plain("string") {
            @Override
            public Object toCanonical(Object raw) {
                return raw == null || raw.toString().isBlank() ? null : raw.toString().strip().toUpperCase(Locale.ROOT);
            }
        };
    }

    /**
     * A list of values mapped pair by pair, without regard to case on input. Values outside the map pass through
     * unchanged, so a new status added on one side is carried rather than lost.
     *
     * @param systemToCanonical system value to canonical value, in document order
     * @return the transform
     * @throws IllegalArgumentException when two system values map to the same canonical value
     */
    public static ValueTransform valueMap(Map<String, String> systemToCanonical) {
        Map<String, String> forward = new LinkedHashMap<>();
        Map<String, String> backward = new LinkedHashMap<>();
        systemToCanonical.forEach((system, canonical) -> {
            forward.put(system.toLowerCase(Locale.ROOT), canonical);
            if (backward.putIfAbsent(canonical.toLowerCase(Locale.ROOT), system) != null) {
                throw new IllegalArgumentException("value map maps two values to '" + canonical + "'");
            }
        });
        String description = "value map " + systemToCanonical;
        Map<String, String> pairs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(systemToCanonical));
        return new ValueTransform() {
            @Override
            public Object toCanonical(Object raw) {
                if (raw == null || raw.toString().isBlank()) {
                    return null;
                }
                String value = raw.toString().strip();
                return forward.getOrDefault(value.toLowerCase(Locale.ROOT), value);
            }

            @Override
            public Object fromCanonical(Object canonical) {
                if (canonical == null) {
                    return null;
                }
                String value = canonical.toString();
                return backward.getOrDefault(value.toLowerCase(Locale.ROOT), value);
            }

            @Override
            public String systemType() {
                return "string";
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public Map<String, String> valuePairs() {
                return pairs;
            }
        };
    }

    /**
     * Reads an empty value as {@code fallback}, on either side; e.g. {@code -} for a contact without last name,
     * which webCRM refuses.
     *
     * @param base     the transform of the value itself
     * @param fallback the canonical value of an empty property
     * @return the transform
     */
    public static ValueTransform defaultWhenEmpty(ValueTransform base, Object fallback) {
        return new Wrapped(base, "empty becomes '" + fallback + "'") {
            @Override
            public Object toCanonical(Object raw) {
                Object value = base.toCanonical(raw);
                return value == null || value.toString().isBlank() ? fallback : value;
            }
        };
    }

    /**
     * Reads text in upper or lower case, so that the other side gets it so.
     *
     * @param base  the transform of the value itself
     * @param upper upper case when true, lower case when false
     * @return the transform
     */
    public static ValueTransform inCase(ValueTransform base, boolean upper) {
        return new Wrapped(base, upper ? "upper case" : "lower case") {
            @Override
            public Object toCanonical(Object raw) {
                Object value = base.toCanonical(raw);
                return value instanceof String text
                        ? (upper ? text.toUpperCase(Locale.ROOT) : text.toLowerCase(Locale.ROOT)) : value;
            }
        };
    }

    /**
     * Reads every value as {@code value}: with a one-way direction, the other side always gets the constant.
     *
     * @param value the constant
     * @return the transform
     */
    public static ValueTransform constant(String value) {
        return new Plain("string") {
            @Override
            public Object toCanonical(Object raw) {
                return value;
            }

            @Override
            public String describe() {
                return "always '" + value + "'";
            }
        };
    }

    /**
     * Several properties on one side held as one value on the other: read by joining the filled parts with
     * {@code separator}, written by splitting at the last separators, so the last part is filled first, e.g.
     * {@code "Mette Louise Hansen"} into {@code ["Mette Louise", "Hansen"]}: a last name, which webCRM requires,
     * is the part least often left empty. Joining the split value gives it back unchanged, so a written value
     * does not come back as a change.
     *
     * @param separator what stands between the parts, e.g. a space
     * @param parts     how many properties, at least 2
     * @return the transform of the side with several properties
     */
    public static ValueTransform joined(String separator, int parts) {
        if (parts < 2 || separator.isEmpty()) {
            throw new IllegalArgumentException("a join needs two or more parts and a separator");
        }
        return new ValueTransform() {
            @Override
            public Object toCanonical(Object raw) {
                if (!(raw instanceof java.util.List<?> values)) {
                    throw new MappingException("expected " + parts + " properties to join, got " + quote(raw));
                }
                String joined = values.stream().filter(v -> v != null && !v.toString().isBlank())
                        .map(v -> v.toString().strip()).collect(java.util.stream.Collectors.joining(separator));
                return joined.isEmpty() ? null : joined;
            }

            @Override
            public Object fromCanonical(Object canonical) {
                java.util.List<Object> out = new java.util.ArrayList<>(java.util.Collections.nCopies(parts, null));
                if (canonical == null) {
                    return out;
                }
                String rest = canonical.toString();
                for (int i = parts - 1; i > 0; i--) {
                    int at = rest.lastIndexOf(separator);
                    if (at < 0) {
                        break;
                    }
                    out.set(i, rest.substring(at + separator.length()));
                    rest = rest.substring(0, at);
                }
                // Whatever is left goes to the first part that is still empty, counting from the end.
                int slot = parts - 1;
                while (slot > 0 && out.get(slot) != null) {
                    slot--;
                }
                out.set(slot, rest);
                return out;
            }

            @Override
            public String systemType() {
                return "string";
            }

            @Override
            public String describe() {
                return "joined with '" + separator + "'; split at the last separators when written";
            }
        };
    }

    /** Reads a date from a date or a date-time, with or without offset; the time of day is dropped. */
    private abstract static class DateRead implements ValueTransform {
        @Override
        public Object toCanonical(Object raw) {
            return raw == null || raw.toString().isBlank() ? null : parseDate(raw.toString());
        }
    }

    /** A transform that changes what another one reads, and writes as it does. */
    private abstract static class Wrapped implements ValueTransform {
        private final ValueTransform base;
        private final String description;

        Wrapped(ValueTransform base, String description) {
            this.base = base;
            this.description = description;
        }

        @Override
        public Object fromCanonical(Object canonical) {
            return base.fromCanonical(canonical);
        }

        @Override
        public String systemType() {
            return base.systemType();
        }

        @Override
        public String describe() {
            return base.describe().isEmpty() ? description : base.describe() + "; " + description;
        }

        @Override
        public Map<String, String> valuePairs() {
            return base.valuePairs();
        }
    }

    private abstract static class Plain implements ValueTransform {
        private final String type;

        Plain(String type) {
            this.type = type;
        }

        @Override
        public Object fromCanonical(Object canonical) {
            return canonical;
        }

        @Override
        public String systemType() {
            return type;
        }
    }

    private static BigDecimal parseDecimal(String s) {
        try {
            return new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            throw new MappingException("expected a number, got '" + s + "'");
        }
    }

    private static Long wholeNumber(BigDecimal value, Object raw) {
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            throw new MappingException("expected a whole number, got " + quote(raw));
        }
    }

    private static LocalDate parseDate(String text) {
        String s = text.strip();
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s);
            }
            if (s.endsWith("Z") || s.matches(".*[+-]\\d{2}:\\d{2}$")) {
                return OffsetDateTime.parse(s).toLocalDate();
            }
            return LocalDateTime.parse(s).toLocalDate();
        } catch (DateTimeParseException e) {
            throw new MappingException("expected a date, got '" + text + "'");
        }
    }

    private static String quote(Object raw) {
        return raw instanceof String s ? "'" + s + "'" : String.valueOf(raw);
    }
}
