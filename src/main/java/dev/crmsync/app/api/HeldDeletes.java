package dev.crmsync.app.api;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.ports.HeldRemoval;
import dev.crmsync.ports.Store;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;

/**
 * The removals the delete circuit breaker holds, as the management API ({@code GET /api/held-deletes}) and
 * {@code crmsync deletes} both show them: each with the record that was deleted, the record on the other system
 * the removal would delete, mark or unlink, and that pair's name. One class for both, so that they give the same
 * data in the same JSON.
 *
 * <p>This class is threadsafe as far as its store is; it reads the store afresh on every call.
 */
public final class HeldDeletes {

    /**
     * A held removal with what a person needs to judge it.
     *
     * @param removal       the held removal
     * @param title         the pair's name, from the values both sides last agreed on
     * @param otherRecordId the record on the other system the removal would delete, mark or unlink; null when the
     *                      link holds none
     */
    public record HeldDelete(HeldRemoval removal, String title, String otherRecordId) {

        /**
         * @return the system of {@link #otherRecordId}
         */
        public Side otherSide() {
            return removal.seenOn().other();
        }
    }

    private final Store store;

    /**
     * @param store the store to read
     */
    public HeldDeletes(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * @param flow the flow, or null for all
     * @return the held removals, by flow, then side, then when they were held
     */
    public List<HeldDelete> list(Flow flow) {
        return describe(store.heldRemovals(flow));
    }

    /**
     * @param removals held removals, e.g. those just accepted or rejected
     * @return each with its pair's name and the other record
     */
    public List<HeldDelete> describe(List<HeldRemoval> removals) {
        return removals.stream().map(this::describe).toList();
    }

    /**
     * @param flow the flow, or null for all
     * @return the held removals in the API's JSON
     */
    public ArrayNode json(Flow flow) {
        return json(list(flow));
    }

    /**
     * @param held held removals, described
     * @return them in the API's JSON
     */
    public static ArrayNode json(List<HeldDelete> held) {
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        held.forEach(h -> out.add(ApiJson.heldDelete(h)));
        return out;
    }

    private HeldDelete describe(HeldRemoval removal) {
        Optional<Link> link = store.link(removal.linkId());
        return new HeldDelete(removal, link.map(l -> RecordTitles.of(l).name()).orElse(null),
                link.map(l -> l.idOn(removal.seenOn().other())).orElse(null));
    }
}
