package dev.crmsync.app.relink;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import java.util.List;

/**
 * What {@code crmsync relink} found and did for one flow.
 *
 * @param flow          the flow
 * @param added         pairs found on both sides that the store did not hold, now linked
 * @param kept          pairs found on both sides that the store already held (in link or record): left as they are
 * @param outsideFilter pairs with a record outside the flow's filter: not linked, like any record outside it
 * @param webcrmOnly    webCRM records stamped with a link id no Customcrm record carries
 * @param customcrmOnly Customcrm records stamped with a link id whose webCRM record is not there
 * @param ambiguous     stamps that point two ways, one sentence each: nothing was linked for them
 */
public record FlowRelink(Flow flow, List<Added> added, List<Kept> kept, List<StampPairing.Pair> outsideFilter,
                         List<StampPairing.Unpaired> webcrmOnly, List<StampPairing.Unpaired> customcrmOnly,
                         List<String> ambiguous) {

    public FlowRelink {
        added = List.copyOf(added);
        kept = List.copyOf(kept);
        outsideFilter = List.copyOf(outsideFilter);
        webcrmOnly = List.copyOf(webcrmOnly);
        customcrmOnly = List.copyOf(customcrmOnly);
        ambiguous = List.copyOf(ambiguous);
    }

    /**
     * A link added from the stamps.
     *
     * @param link   the link as saved
     * @param inSync whether both records held the same values: then the link is saved as agreed and the next sync
     *               has nothing to do for it; otherwise the next sync merges the two like a first link
     */
    public record Added(Link link, boolean inSync) {
    }

    /**
     * A pair the store already held.
     *
     * @param pair   the pair the stamps make
     * @param stored the store's link that holds its link id or one of its records
     */
    public record Kept(StampPairing.Pair pair, Link stored) {

        /**
         * @return whether the store's link pairs the same two records as the stamps
         */
        public boolean agrees() {
            return pair.webcrm().id().equals(stored.webcrmId()) && pair.customcrm().id().equals(stored.customcrmId());
        }
    }

    /**
     * @return pairs found on both sides: added, kept and outside the filter
     */
    public int found() {
        return added.size() + kept.size() + outsideFilter.size();
    }

    /**
     * @return of the added links, those whose records differ and that the next sync merges
     */
    public long toMerge() {
        return added.stream().filter(a -> !a.inSync()).count();
    }
}
