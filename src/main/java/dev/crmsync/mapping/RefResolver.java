package dev.crmsync.mapping;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.util.Optional;

/**
 * Translates record ids through the links of a parent flow, so a reference read on one side can be written on
 * the other. The engine implements it over its link state.
 */
public interface RefResolver {

    /** Knows no links: every reference is unlinked. Enough where references do not matter, as for match keys. */
    RefResolver NONE = new RefResolver() {
        @Override
        public Optional<String> linkIdOf(Flow flow, Side side, String recordId) {
            return Optional.empty();
        }

        @Override
        public Optional<String> recordIdOn(Flow flow, Side side, String linkId) {
            return Optional.empty();
        }
    };

    /**
     * @param flow     the referenced flow
     * @param side     the side the id belongs to
     * @param recordId the referenced record's id on that side
     * @return the id of the link that pairs it, or empty when it is not linked (yet)
     */
    Optional<String> linkIdOf(Flow flow, Side side, String recordId);

    /**
     * @param flow   the referenced flow
     * @param side   the side whose id is wanted
     * @param linkId a link of that flow
     * @return the linked record's id on that side, or empty when the link has none there (yet)
     */
    Optional<String> recordIdOn(Flow flow, Side side, String linkId);
}
