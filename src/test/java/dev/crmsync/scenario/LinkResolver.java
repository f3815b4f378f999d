package dev.crmsync.scenario;

import dev.crmsync.mapping.RefResolver;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves references through the links a store holds once a sync has ended, so that a test can map both records
 * of a pair to canonical values, their references included, and compare them.
 */
final class LinkResolver implements RefResolver {

    private final Map<String, Link> byId = new HashMap<>();
    private final Map<String, String> bySideId = new HashMap<>();

    /**
     * @param links every link of the store, per flow, whatever its state
     */
    LinkResolver(Map<Flow, List<Link>> links) {
        links.forEach((flow, list) -> list.forEach(link -> {
            byId.put(link.id(), link);
            for (Side side : Side.values()) {
                if (link.idOn(side) != null) {
                    bySideId.put(flow + "/" + side + "/" + link.idOn(side), link.id());
                }
            }
        }));
    }

    @Override
    public Optional<String> linkIdOf(Flow flow, Side side, String recordId) {
        return Optional.ofNullable(bySideId.get(flow + "/" + side + "/" + recordId));
    }

    @Override
    public Optional<String> recordIdOn(Flow flow, Side side, String linkId) {
        return Optional.ofNullable(byId.get(linkId)).map(l -> l.idOn(side));
    }
}
