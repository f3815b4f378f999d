package dev.crmsync.mapping;

import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The canonical field on which an existing record of one side is paired with an existing record of the other at
 * the first link, and how its value is normalised before comparing.
 *
 * @param field      the canonical field
 * @param normaliser what makes two spellings of one key equal
 * @param describe   the normalisation in words, for the dataflow document
 */
public record MatchKey(String field, UnaryOperator<String> normaliser, String describe) {

    /**
     * A VAT number: white space, dots and dashes removed, upper case ({@code dk 12 34-56.78} is {@code DK12345678}).
     */
    public static MatchKey vatNumber(String field) {
        return new MatchKey(field, v -> v.replaceAll("[\\s.\\-]", "").toUpperCase(Locale.ROOT),
                "no spaces, dots or dashes, upper case");
    }

    /**
     * An e-mail address: trimmed, lower case.
     */
    public static MatchKey email(String field) {
        return new MatchKey(field, v -> v.strip().toLowerCase(Locale.ROOT), "trimmed, lower case");
    }

    /**
     * @param value the field's canonical value, or null
     * @return the normalised key, or empty when the value gives none
     */
    public Optional<String> keyOf(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        String key = normaliser.apply(value.toString());
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
}
