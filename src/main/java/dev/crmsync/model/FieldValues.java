package dev.crmsync.model;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The canonical values of one record: field name to value, where a value is a {@link String}, {@link BigDecimal},
 * {@link Long}, {@link Boolean}, {@link LocalDate} or {@link Ref}. Canonical means that two records that a person
 * would call equal hold equal values: strings are stripped of surrounding white space, an empty string is the
 * same as no value (absent fields are simply missing), decimals are compared by value ({@code 100.0} equals
 * {@code 100}), integers are {@code long}.
 *
 * <p>The hash is over this canonical form, so a record that comes back unchanged, or an echo of our own write,
 * hashes to what the link already holds and moves nothing.
 *
 * <p>Instances are immutable and threadsafe.
 */
public final class FieldValues {

    private static final FieldValues EMPTY = new FieldValues(new TreeMap<>());

    private final SortedMap<String, Object> values;

    private FieldValues(SortedMap<String, Object> values) {
        this.values = Collections.unmodifiableSortedMap(values);
    }

    /**
     * @return a record with no values
     */
    public static FieldValues empty() {
        return EMPTY;
    }

    /**
     * @param raw field name to value; nulls and blank strings are dropped
     * @return the canonical values
     * @throws IllegalArgumentException when a value has a type that is not canonical
     */
    public static FieldValues of(Map<String, ?> raw) {
        SortedMap<String, Object> out = new TreeMap<>();
        raw.forEach((name, value) -> {
            Object canonical = canonical(name, value);
            if (canonical != null) {
                out.put(name, canonical);
            }
        });
        return new FieldValues(out);
    }

    /**
     * @param name  a field
     * @param value its value; null or blank removes the field
     * @return a copy with the field set
     */
    public FieldValues with(String name, Object value) {
        SortedMap<String, Object> copy = new TreeMap<>(values);
        Object canonical = canonical(name, value);
        if (canonical == null) {
            copy.remove(name);
        } else {
            copy.put(name, canonical);
        }
        return new FieldValues(copy);
    }

    /**
     * @param name a field
     * @return its value, or null when the record has none
     */
    public Object get(String name) {
        return values.get(name);
    }

    /**
     * @param name a field
     * @return whether the record has a value for it
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * @return the fields with a value, in name order
     */
    public Set<String> names() {
        return values.keySet();
    }

    /**
     * @return field name to value, read-only, in name order
     */
    public SortedMap<String, Object> asMap() {
        return values;
    }

    /**
     * @return whether no field has a value
     */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * @param other another record
     * @return the names of the fields whose values differ, in name order
     */
    public Set<String> differingFields(FieldValues other) {
        Set<String> union = new TreeSet<>(values.keySet());
        union.addAll(other.values.keySet());
        Set<String> names = new LinkedHashSet<>();
        for (String name : union) {
            if (!Objects.equals(values.get(name), other.values.get(name))) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * A stable digest of the canonical values: equal values give equal hashes on every machine and run.
     *
     * @return 32 lower-case hex digits
     */
    public String hash() {
        StringBuilder text = new StringBuilder();
        values.forEach((name, value) -> text.append(name).append('=').append(typeTag(value)).append(':')
                .append(render(value)).append('\n'));
        byte[] digest = SHA_256.get().digest(text.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    /** One digest per thread: looking the algorithm up for every record cost more than hashing it. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    private static String typeTag(Object value) {
        return switch (value) {
            case String s -> "s";
            case BigDecimal d -> "d";
            case Long l -> "i";
            case Boolean b -> "b";
            case LocalDate d -> "t";
            case Ref r -> "r";
            default -> throw new IllegalStateException("not canonical: " + value.getClass());
        };
    }

    private static String render(Object value) {
        return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    }

    private static Object canonical(String name, Object value) {
        return switch (value) {
            case null -> null;
            case String s -> {
                String stripped = s.strip();
                yield stripped.isEmpty() ? null : stripped;
            }
            case BigDecimal d -> d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Double d -> BigDecimal.valueOf(d).signum() == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(d).stripTrailingZeros();
            case Float f -> canonical(name, Double.valueOf(f.toString()));
            case Boolean b -> b;
            case LocalDate d -> d;
            case Ref r -> r;
            default -> throw new IllegalArgumentException("field " + name + " has a value of type "
                    + value.getClass().getSimpleName() + ", which is not a canonical type");
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldValues other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
