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
 * <p>A value is covered when a pair names it, or when the transform changes it (a value map wrapped in case
 * folding changes values that no pair spells exactly).
 *
 * <p>This class is threadsafe: it is immutable.
 */
final class ValueMapView {

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
        if (transform.valuePairs().isEmpty()) {
            return Optional.empty();
        }
        Set<String> system = new HashSet<>();
        Set<String> canonical = new HashSet<>();
        transform.valuePairs().forEach((systemValue, canonicalValue) -> {
            system.add(key(systemValue));
            canonical.add(key(canonicalValue));
        });
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
