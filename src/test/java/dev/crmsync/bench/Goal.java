package dev.crmsync.bench;

import java.util.Locale;
import java.util.Objects;

/**
 * What a figure should reach: at most, at least or exactly a target, or nothing when the issue sets no goal and
 * the figure is only reported.
 *
 * @param kind   how the measured value is compared with the target
 * @param target the target; ignored for {@link Kind#NONE}
 * @param text   how the goal reads in the report, e.g. {@code <= 0.01}
 */
public record Goal(Kind kind, double target, String text) {

    /** How a measured value is held against the target. */
    public enum Kind { AT_MOST, AT_LEAST, EQUAL, NONE }

    public Goal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }

    /**
     * @param target the most the figure may be
     * @return the goal {@code <= target}
     */
    public static Goal atMost(double target) {
        return new Goal(Kind.AT_MOST, target, "<= " + format(target));
    }

    /**
     * @param target the least the figure must be
     * @return the goal {@code >= target}
     */
    public static Goal atLeast(double target) {
        return new Goal(Kind.AT_LEAST, target, ">= " + format(target));
    }

    /**
     * @param target the value the figure must equal
     * @param text   how the goal reads, e.g. {@code = idle_cycle_calls_1k (12)}
     * @return the goal
     */
    public static Goal equalTo(double target, String text) {
        return new Goal(Kind.EQUAL, target, text);
    }

    /**
     * @return no goal: the figure is reported only
     */
    public static Goal none() {
        return new Goal(Kind.NONE, Double.NaN, "none set");
    }

    /**
     * @param measured the measured value
     * @return whether it reaches the goal; true for a figure without a goal
     */
    public boolean isMetBy(double measured) {
        return switch (kind) {
            case AT_MOST -> measured <= target;
            case AT_LEAST -> measured >= target;
            case EQUAL -> measured == target;
            case NONE -> true;
        };
    }

    /**
     * @return whether there is a goal to meet
     */
    public boolean isSet() {
        return kind != Kind.NONE;
    }

    /**
     * @param value a number
     * @return the number as the report prints it: whole numbers without a fraction, others with up to four
     *         significant decimals
     */
    public static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.1f", value);
        }
        return String.format(Locale.ROOT, "%.4g", value).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
