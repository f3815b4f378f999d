package dev.crmsync.app.simulate.webcrm;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the simulator's bulk {@code PATCH /{Entity}} behaves where webCRM documents nothing (API-NOTES §7.3 gives
 * only "returns assigned ids for inserted … and error messages"), so that a client can be tried against every
 * plausible reading of that sentence rather than the one the simulator happens to pick.
 *
 * @param maxItems             the most items one PATCH may carry; more are refused whole with 413. 0 for no limit,
 *                             which is what webCRM documents
 * @param badItemFailsBatch    true to refuse a whole PATCH with 400 naming no item when one item is invalid,
 *                             instead of answering that item's error message in its place
 * @param answers              what the answer array holds
 * @param slowAboveItems       a PATCH of more items than this is carried out, then answered only after
 *                             {@code slowDelay}, as a server that takes long over big batches; 0 for never
 * @param slowDelay            the delay of a slow PATCH
 */
public record PatchQuirks(int maxItems, boolean badItemFailsBatch, Answers answers, int slowAboveItems,
                          Duration slowDelay) {

    /** What the string array a PATCH answers holds. */
    public enum Answers {
        /** One string per item, in order: the id on success, the error message on failure (the default). */
        PER_ITEM,
        /** Ids for inserted items and messages for failed ones, in order; nothing for updated items. */
        INSERTED_ONLY,
        /** An empty array, whatever happened. */
        NONE;

        /**
         * @param text {@code per-item}, {@code inserted-only} or {@code none}
         * @return the value
         * @throws IllegalArgumentException for any other text
         */
        public static Answers of(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("answers must be per-item, inserted-only or none: " + text);
            }
        }

        /**
         * @return the text {@link #of} reads
         */
        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Faithful to what webCRM documents: no limit, per-item answers, no delay. */
    public static final PatchQuirks NONE = new PatchQuirks(0, false, Answers.PER_ITEM, 0, Duration.ZERO);

    public PatchQuirks {
        Objects.requireNonNull(answers, "answers");
        Objects.requireNonNull(slowDelay, "slowDelay");
        if (maxItems < 0 || slowAboveItems < 0 || slowDelay.isNegative()) {
            throw new IllegalArgumentException("maxItems, slowAboveItems and slowDelay must not be negative");
        }
    }

    /**
     * @param items the items of a PATCH
     * @return whether the simulator refuses it for its size
     */
    boolean tooMany(int items) {
        return maxItems > 0 && items > maxItems;
    }

    /**
     * @param items the items of a PATCH
     * @return how long to hold its answer back
     */
    Duration delayFor(int items) {
        return slowAboveItems > 0 && items > slowAboveItems ? slowDelay : Duration.ZERO;
    }
}
