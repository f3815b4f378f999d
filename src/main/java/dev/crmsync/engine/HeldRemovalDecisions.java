package dev.crmsync.engine;

import dev.crmsync.model.Flow;
import dev.crmsync.model.LinkState;
import dev.crmsync.ports.HeldRemoval;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * A person's answer to the removals the delete circuit breaker holds ({@code crmsync deletes}).
 *
 * <p><b>Accept</b> marks them accepted: the next sync carries out exactly these removals (deletes, marks,
 * retirements) as planned, once, whatever the breaker says; it weighs only other removals, and may hold those.
 *
 * <p><b>Reject</b> means "the records are really gone on one side, but leave the other side as it is": each held
 * link is retired at once, without a write to either system, and the deleted record is settled, so nothing is
 * deleted, marked or created again. The retirement is a person's decision, not a delete the breaker should count.
 *
 * <p>Not threadsafe: one decision at a time, on one store.
 */
public final class HeldRemovalDecisions {

    /** History action of a held removal a person rejected. */
    public static final String REJECTED = "delete-rejected";

    private final Store store;
    private final InstantSource clock;

    /**
     * @param store the store that holds the removals
     * @param clock the time of the decisions
     */
    public HeldRemovalDecisions(Store store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param flow the flow, or null for all
     * @return the removals accepted now: every one held of the flow
     */
    public List<HeldRemoval> accept(Flow flow) {
        return store.acceptHeldRemovals(flow);
    }

    /**
     * @param flow the flow, or null for all
     * @return the removals rejected now (every one held of the flow): their links are retired, nothing is written
     *         to either system
     */
    public List<HeldRemoval> reject(Flow flow) {
        return store.inTransaction(() -> {
            List<HeldRemoval> held = store.heldRemovals(flow);
            Instant now = clock.instant();
            for (HeldRemoval removal : held) {
                store.link(removal.linkId()).filter(l -> l.state() != LinkState.RETIRED).ifPresent(link -> {
                    store.saveLink(link.with(link.base(), LinkState.RETIRED, now));
                    store.appendHistory(new HistoryEntry(link.id(), removal.flow(), now, null, REJECTED,
                            "held delete rejected by a person: link retired, " + removal.seenOn().other().label()
                                    + " record left as it is (was: " + removal.summary() + ")", Map.of()));
                });
                // The deleted record waited for this answer; settled, it is not planned (nor held) again.
                store.observed(removal.flow(), removal.seenOn(), removal.recordId())
                        .filter(r -> r.status() == RecordStatus.WAITING)
                        .ifPresent(r -> store.observe(List.of(r.with(RecordStatus.SETTLED, null, 0, null))));
            }
            held.stream().map(HeldRemoval::flow).distinct().forEach(f -> store.holdRemovals(f, List.of()));
            return held;
        });
    }
}
