package dev.crmsync.mapping;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Translates between country names, as webCRM holds them (a localised name chosen by the tenant), and ISO 3166-1
 * alpha-2 codes, as Customcrm holds them.
 *
 * <p>Names are recognised in English, Danish, Swedish, Norwegian, German, Dutch, Finnish and French, in the
 * country's own language, and by a few common aliases, without regard to case, accents or surrounding space; a
 * bare two-letter code is accepted as itself. Names are written in one configured language. The tables come from
 * the JDK's own locale data, so no list is kept by hand.
 *
 * <p>Instances are immutable and threadsafe.
 */
public final class Countries {

    private static final List<Locale> READ_LANGUAGES = List.of(Locale.ENGLISH, Locale.of("da"), Locale.of("sv"),
            Locale.of("nb"), Locale.of("no"), Locale.GERMAN, Locale.of("nl"), Locale.of("fi"), Locale.FRENCH);
    private static final Map<String, String> ALIASES = Map.of(
            "uk", "GB", "great britain", "GB", "england", "GB", "usa", "US", "united states of america", "US",
            "holland", "NL", "the netherlands", "NL", "czech republic", "CZ");
    private static final Pattern MARKS = Pattern.compile("\\p{M}");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Set<String> ISO_CODES = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2);
    private static final Map<String, String> CODE_BY_NAME = buildIndex();

    private final Locale writeLanguage;

    /**
     * @param writeLanguage the language of the names written to webCRM, e.g. English or Danish
     */
    public Countries(Locale writeLanguage) {
        this.writeLanguage = writeLanguage;
    }

    /**
     * @param name a country name in a known language, or an ISO code
     * @return the ISO 3166-1 alpha-2 code, or empty when the name names no known country
     */
    public static Optional<String> codeOf(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        // Most names need no folding of accents or spaces; they are found without the costly normalisation.
        String code = CODE_BY_NAME.get(name.strip().toLowerCase(Locale.ROOT));
        return Optional.ofNullable(code != null ? code : CODE_BY_NAME.get(key(name)));
    }

    /**
     * @param isoCode an ISO 3166-1 alpha-2 code, any case
     * @return the country's name in this instance's language
     * @throws MappingException when the code is not an ISO country code
     */
    public String nameOf(String isoCode) {
        String code = isoCode.strip().toUpperCase(Locale.ROOT);
        if (!ISO_CODES.contains(code)) {
            throw new MappingException("'" + isoCode + "' is not an ISO 3166-1 alpha-2 country code");
        }
        return Locale.of("", code).getDisplayCountry(writeLanguage);
    }

    /**
     * @return the language names are written in
     */
    public Locale writeLanguage() {
        return writeLanguage;
    }

    private static Map<String, String> buildIndex() {
        Map<String, String> index = new HashMap<>();
        for (String code : Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2)) {
            Locale country = Locale.of("", code);
            index.putIfAbsent(key(code), code);
            for (Locale language : READ_LANGUAGES) {
                index.putIfAbsent(key(country.getDisplayCountry(language)), code);
            }
        }
        // Each country in its own language(s), e.g. "Sverige", "Deutschland", "Suomi".
        for (Locale locale : Locale.getAvailableLocales()) {
            if (!locale.getCountry().isEmpty() && locale.getCountry().length() == 2) {
                index.putIfAbsent(key(locale.getDisplayCountry(locale)), locale.getCountry());
            }
        }
        ALIASES.forEach((alias, code) -> index.putIfAbsent(key(alias), code));
        return Map.copyOf(index);
    }

    private static String key(String name) {
        String folded = MARKS.matcher(Normalizer.normalize(name.strip().toLowerCase(Locale.ROOT), Normalizer.Form.NFD))
                .replaceAll("");
        return SPACES.matcher(folded.replace('ø', 'o').replace('æ', 'a')).replaceAll(" ");
    }
}
