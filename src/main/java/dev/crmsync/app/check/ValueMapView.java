package dev.crmsync.app.check;

import dev.crmsync.mapping.ValueTransform;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Sees a value map ({@code Transforms.valueMap}) from outside: which system and canonical values it has a pair
 * for. A value map lets every other value pass through unchanged, so that a status added on one side is carried
 * rather than lost; the preflight warns about such values, since the other system may not know them.
 *
 * <p>The mapping layer keeps a value map's pairs to itself. A value is taken as covered when the transform changes
 * it (a pair turned it into something else) or when the pairs that {@link ValueTransform#describe()} lists name it
 * (a pair that maps a value to itself, which changes nothing). Reading the description is the best effort it
 * looks: should its wording change, only pairs that map a value to itself are missed, and they show as warnings.
 *
 * <p>This class is threadsafe: it is immutable.
 */
final class ValueMapView {

    private static final String PREFIX = "value map {";

    private final ValueTransform transform;
    private final Set<String> systemValues;
    private final Set<String> canonicalValues;

    private ValueMapView(ValueTransform transform, Set<String> systemValues, Set<String> canonicalValues) {
        this.transform = transform;
        this.systemValues = Set.copyOf(systemValues);
        this.canonicalValues = Set.copyOf(canonicalValues);
    }

    /**
     * @param transform a transform
     * @return a view of it, when it is a value map
     */
    static Optional<ValueMapView> of(ValueTransform transform) {
        String description = transform.describe();
        if (description == null || !description.startsWith("value map")) {
            return Optional.empty();
        }
        Set<String> system = new HashSet<>();
        Set<String> canonical = new HashSet<>();
        // A wrapped value map (case folding, a default) appends "; …" to the description, so the pairs end at
        // the last brace rather than at the end.
        int end = description.lastIndexOf('}');
        if (description.startsWith(PREFIX) && end > PREFIX.length()) {
            String pairs = description.substring(PREFIX.length(), end);
            for (String pair : pairs.split(", ")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    system.add(key(pair.substring(0, equals)));
                    canonical.add(key(pair.substring(equals + 1)));
                }
            }
        }
        return Optional.of(new ValueMapView(transform, system, canonical));
    }

    /**
     * @param raw a non-blank value as the system holds it
     * @return whether a pair covers it
     */
    boolean coversSystemValue(Object raw) {
        if (systemValues.contains(key(raw.toString()))) {
            return true;
        }
        try {
            return !Objects.equals(transform.toCanonical(raw), raw.toString().strip());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * @param canonical a non-null canonical value
     * @return whether a pair covers it
     */
    boolean coversCanonicalValue(Object canonical) {
        if (canonicalValues.contains(key(canonical.toString()))) {
            return true;
        }
        try {
            return !Objects.equals(transform.fromCanonical(canonical), canonical.toString());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String key(String value) {
        return value.strip().toLowerCase(Locale.ROOT);
    }
}
