package dev.crmsync.engine;

import dev.crmsync.model.Side;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a field edited differently on both sides is settled (invariant 3).
 *
 * @param kind            the rule
 * @param tolerance       for {@link Kind#NEWEST_WINS}: two modification times closer than this are too close to
 *                        tell apart, given coarse and possibly skewed clocks; then {@code tieBreaker} wins
 * @param tieBreaker      the side that wins a tie under {@link Kind#NEWEST_WINS}
 * @param emptyOverwrites whether a winning empty value may clear the loser's filled one
 */
public record ConflictPolicy(Kind kind, Duration tolerance, Side tieBreaker, boolean emptyOverwrites) {

    /** The rules. */
    public enum Kind {
        /** The side modified later wins. */
        NEWEST_WINS("newest-wins"),
        /** webCRM's value wins. */
        WEBCRM_WINS("webcrm-wins"),
        /** Customcrm's value wins. */
        CUSTOMCRM_WINS("customcrm-wins"),
        /** Neither: the link is held until a person decides. */
        MANUAL("manual");

        private final String configName;

        Kind(String configName) {
            this.configName = configName;
        }

        /**
         * @return the name used in configuration
         */
        public String configName() {
            return configName;
        }

        /**
         * @param name a configuration name
         * @return the rule
         * @throws IllegalArgumentException listing the accepted names
         */
        public static Kind fromConfigName(String name) {
            for (Kind kind : values()) {
                if (kind.configName.equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown conflict policy '" + name
                    + "': expected newest-wins, webcrm-wins, customcrm-wins or manual");
        }
    }

    public ConflictPolicy {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tieBreaker, "tieBreaker");
        if (tolerance == null || tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must be zero or positive: " + tolerance);
        }
    }

    /**
     * The default: newest wins, with two seconds of tolerance (webCRM stamps whole seconds), ties to webCRM,
     * empty values never clear filled ones.
     *
     * @return the default policy
     */
    public static ConflictPolicy ofDefaults() {
        return new ConflictPolicy(Kind.NEWEST_WINS, Duration.ofSeconds(2), Side.WEBCRM, false);
    }

    /**
     * @return a copy with another rule
     */
    public ConflictPolicy withKind(Kind newKind) {
        return new ConflictPolicy(newKind, tolerance, tieBreaker, emptyOverwrites);
    }
}
