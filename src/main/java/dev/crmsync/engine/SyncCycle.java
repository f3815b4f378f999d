package dev.crmsync.engine;

import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.CreateIntent;
import dev.crmsync.ports.HeldRemoval;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One pass over every flow, parents first: settle the outbox, read what changed on both sides into the store,
 * notice deletes from complete id listings, plan, check the delete circuit breaker, and apply. Deletes and
 * retirements are applied last, children first, so that a parent is deleted after the children that point at it.
 *
 * <p>A dry run does the same reads and planning inside a store transaction that is rolled back, so neither the
 * systems nor the store change.
 *
 * <p>The cycle tells its {@link SyncMetrics} what it reads, skips, writes and fails (a dry run tells it nothing),
 * and logs with its id under the MDC key {@value #MDC_CYCLE}, so that every line of one cycle, the connectors'
 * included, can be found together.
 *
 * <p>Not threadsafe: one cycle at a time per connection.
 */
public final class SyncCycle {

    /** The MDC key of the cycle id while a cycle runs. */
    public static final String MDC_CYCLE = "cycle";

    private static final Logger log = LoggerFactory.getLogger(SyncCycle.class);

    /**
     * What a cycle should do.
     *
     * @param dryRun          read and plan, but write nothing anywhere
     * @param flows           the flows to run; a service runs each flow on its own schedule, so a cycle may take
     *                        only some. Parents still go first among those taken
     * @param reconcile       of those, the flows whose complete id lists are read to notice deletes
     * @param allowMassDelete let deletes past the circuit breaker through
     * @param resync          of those, the flows whose records are all read again from both sides, whatever the
     *                        cursors say, and planned again: an edit the change feeds never reported is found
     *                        and merged like any other, and links stay as they are. Implies reconcile
     */
    public record Options(boolean dryRun, Set<Flow> flows, Set<Flow> reconcile, boolean allowMassDelete,
                          Set<Flow> resync) {

        public Options {
            flows = flows.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flows));
            resync = resync.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(resync));
            Set<Flow> listing = EnumSet.noneOf(Flow.class);
            listing.addAll(reconcile);
            listing.addAll(resync);
            reconcile = listing.isEmpty() ? Set.of() : Set.copyOf(listing);
            if (!flows.containsAll(reconcile)) {
                throw new IllegalArgumentException("reconcile and resync " + reconcile + " must be among the flows "
                        + flows);
            }
        }

        /**
         * @param dryRun          read and plan, but write nothing anywhere
         * @param flows           the flows to run
         * @param reconcile       of those, the flows whose complete id lists are read
         * @param allowMassDelete let deletes past the circuit breaker through
         */
        public Options(boolean dryRun, Set<Flow> flows, Set<Flow> reconcile, boolean allowMassDelete) {
            this(dryRun, flows, reconcile, allowMassDelete, Set.of());
        }

        /**
         * @param flows the flows to read again in full from both sides and reconcile
         * @return a resync of those flows, writing what differs
         */
        public static Options resync(Set<Flow> flows) {
            return new Options(false, flows, flows, false, flows);
        }

        /**
         * @param dryRun          read and plan, but write nothing
         * @param listAllIds      whether every flow reads its complete id lists
         * @param allowMassDelete let deletes past the circuit breaker through
         */
        public Options(boolean dryRun, boolean listAllIds, boolean allowMassDelete) {
            this(dryRun, EnumSet.allOf(Flow.class), listAllIds ? EnumSet.allOf(Flow.class) : Set.of(),
                    allowMassDelete);
        }

        /**
         * @return the same flows again without id listings and without writes skipped: what a follow-up cycle does
         */
        public Options followUp() {
            return new Options(false, flows, Set.of(), allowMassDelete, Set.of());
        }
    }

    private static final class DryRunRollback extends RuntimeException {
        private final transient CycleReport report;

        DryRunRollback(CycleReport report) {
            super(null, null, false, false);
            this.report = report;
        }
    }

    private final Store store;
    private final Map<Side, Connector> connectors;
    private final SyncSettings settings;
    private final InstantSource clock;
    private final RecordObserver observer;
    private final Planner planner;
    private final PlanApplier applier;
    private final SyncMetrics metrics;

    /**
     * @param store      the store
     * @param connectors the connector of each side
     * @param mappers    the mapping of each flow
     * @param settings   policies
     * @param clock      the time source
     * @param linkIds    makes new link ids
     */
    public SyncCycle(Store store, Map<Side, Connector> connectors, Map<Flow, RecordMapper> mappers,
                     SyncSettings settings, InstantSource clock, Supplier<String> linkIds) {
        this(store, connectors, mappers, settings, clock, linkIds, SyncMetrics.NONE);
    }

    /**
     * @param store      the store
     * @param connectors the connector of each side
     * @param mappers    the mapping of each flow
     * @param settings   policies
     * @param clock      the time source, also of the durations and lags told to {@code metrics}
     * @param linkIds    makes new link ids
     * @param metrics    told what each cycle that is not a dry run reads, skips, writes and fails
     */
    public SyncCycle(Store store, Map<Side, Connector> connectors, Map<Flow, RecordMapper> mappers,
                     SyncSettings settings, InstantSource clock, Supplier<String> linkIds, SyncMetrics metrics) {
        this.store = store;
        this.connectors = Map.copyOf(connectors);
        this.settings = settings;
        this.clock = clock;
        this.observer = new RecordObserver(mappers);
        this.planner = new Planner(mappers, settings, (side, flow) -> connectors.get(side).canDelete(flow), clock,
                linkIds);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.applier = new PlanApplier(store, connectors, observer, mappers, settings, clock, metrics);
    }

    /**
     * @param options what to do
     * @return what the cycle saw, planned and did
     */
    public CycleReport run(Options options) {
        return run(options, SyncProgress.NONE);
    }

    /**
     * Runs one cycle. Its log lines carry a cycle id under the MDC key {@value #MDC_CYCLE}: the caller's, when the
     * caller has put one there (so that a service's own lines about the cycle share it), else a new one, removed
     * when the cycle ends.
     *
     * @param options  what to do
     * @param progress told how the cycle gets on
     * @return what the cycle saw, planned and did
     */
    public CycleReport run(Options options, SyncProgress progress) {
        boolean ownId = MDC.get(MDC_CYCLE) == null;
        if (ownId) {
            MDC.put(MDC_CYCLE, UUID.randomUUID().toString());
        }
        try {
            return runLogged(options, progress);
        } finally {
            if (ownId) {
                MDC.remove(MDC_CYCLE);
            }
        }
    }

    private CycleReport runLogged(Options options, SyncProgress progress) {
        if (!options.dryRun()) {
            Instant started = clock.instant();
            CycleReport report = runFlows(options, progress, metrics);
            Duration took = Duration.between(started, clock.instant());
            metrics.cycle(options.flows(), took);
            ApplyResult applied = report.applied();
            log.atDebug().addKeyValue("flows", options.flows().stream().map(Flow::configName).sorted().toList())
                    .addKeyValue("read", report.read()).addKeyValue("writes", applied.writes())
                    .addKeyValue("failures", applied.failures().size()).addKeyValue("retries", applied.retries())
                    .addKeyValue("tookMs", took.toMillis()).log("cycle finished");
            return report;
        }
        try {
            store.inTransaction(() -> {
                throw new DryRunRollback(runFlows(options, SyncProgress.NONE, SyncMetrics.NONE));
            });
            throw new IllegalStateException("a dry run must roll back");
        } catch (DryRunRollback rollback) {
            return rollback.report;
        }
    }

    private CycleReport runFlows(Options options, SyncProgress progress, SyncMetrics told) {
        List<FlowPlan> plans = new ArrayList<>();
        List<String> trips = new ArrayList<>();
        ApplyResult applied = new ApplyResult();
        int read = 0;
        List<FlowPlan> removals = new ArrayList<>();
        for (Flow flow : Flow.values()) {
            if (!options.flows().contains(flow)) {
                continue;
            }
            if (!options.dryRun()) {
                settleOutbox(flow);
            }
            // Before the first link there is no pair a delete could concern: a first sync lists no ids.
            boolean listIds = options.reconcile().contains(flow) && store.countLinks(flow, LinkState.ACTIVE) > 0;
            boolean resync = options.resync().contains(flow);
            for (Side side : Side.values()) {
                read += resync ? readAll(flow, side, told) : readChanges(flow, side, told);
                if (listIds) {
                    noticeDeletes(flow, side);
                }
            }
            List<ObservedRecord> due = store.due(flow, clock.instant(), Integer.MAX_VALUE);
            FlowPlan plan = planner.plan(flow, due, new PlanningView(store));
            List<HeldRemoval> held = store.heldRemovals(flow);
            // A person's accept (crmsync deletes accept) lets exactly the removals they saw through, once; the
            // breaker weighs the others.
            Set<String> accepted = HeldRemovals.acceptedLinks(held);
            plan = HeldRemovals.noteAccepted(plan, accepted, clock.instant());
            String trip = options.allowMassDelete() ? null : breakerTrip(plan, accepted);
            if (trip != null) {
                trips.add(trip);
                store.holdRemovals(flow, HeldRemovals.of(plan, accepted, clock.instant()));
                plan = HeldRemovals.hold(plan, accepted);
            } else if (!held.isEmpty()) {
                store.holdRemovals(flow, List.of());
            }
            plans.add(plan);
            if (!options.dryRun()) {
                FlowPlan now = plan.withoutRemovals();
                progress.planned(flow, now.changes().size(), (int) now.changes().stream().filter(PlannedChange::writes)
                        .count());
                applied.add(applier.apply(now, progress));
                removals.add(0, plan.removalsOnly());
            }
        }
        // Deletes go children first: a customer that still has contacts cannot be deleted before them.
        for (FlowPlan plan : removals) {
            applied.add(applier.apply(plan, SyncProgress.NONE));
        }
        return new CycleReport(plans, applied, read, trips, options.dryRun());
    }

    /**
     * Reads one record and its linked partner again from their systems into the store, due whatever the store held
     * (a dead letter too: a person asked for it), so that the flow's next cycle compares the pair afresh and
     * writes what differs under the merge policy. A known record its system no longer has is observed as deleted,
     * as a reconciliation would find it. The link is left as it is.
     *
     * @param flow the flow
     * @param side the record's side
     * @param id   the record's id there
     * @return the records as now stored, the asked one first
     * @throws java.util.NoSuchElementException when neither its system nor the store knows the record
     * @throws IllegalArgumentException           when the id cannot be one of that system
     */
    public List<ObservedRecord> rereadRecord(Flow flow, Side side, String id) {
        Instant now = clock.instant();
        List<ObservedRecord> again = new ArrayList<>();
        ObservedRecord asked = reread(flow, side, id, now).orElseThrow(() -> new java.util.NoSuchElementException(
                "no " + side.label() + " " + flow.entityOn(side) + " " + id + " in " + side.label()
                        + " or in the store"));
        again.add(asked);
        store.linkOf(flow, side, id).map(link -> link.idOn(side.other()))
                .flatMap(partner -> reread(flow, side.other(), partner, now))
                .ifPresent(again::add);
        store.observe(again);
        return List.copyOf(again);
    }

    private Optional<ObservedRecord> reread(Flow flow, Side side, String id, Instant now) {
        Optional<SideRecord> current = connectors.get(side).read(flow, id);
        if (current.isPresent()) {
            return Optional.of(observer.observe(current.get(), RecordStatus.DIRTY, now));
        }
        return store.observed(flow, side, id).filter(stored -> !stored.record().deleted())
                .map(stored -> observer.observe(SideRecord.deletion(side, flow, id, null), RecordStatus.DIRTY, now));
    }

    /**
     * Settles creates whose outcome is unknown (the process stopped between the call and recording its answer):
     * if the target holds a record stamped with the link id, the link is completed with it and the record is
     * observed, so the planner merges the pair like any other; if not, the source record is made due again (once
     * its backoff has passed) so the create is planned anew under the same link id.
     */
    private void settleOutbox(Flow flow) {
        for (Side target : Side.values()) {
            List<CreateIntent> intents = store.intents().stream()
                    .filter(i -> i.flow() == flow && i.target() == target).toList();
            if (intents.isEmpty()) {
                continue;
            }
            // One search for all of them: after a lost batch answer there are as many intents as the batch held.
            Map<String, SideRecord> found = connectors.get(target).findByStamps(flow,
                    intents.stream().map(CreateIntent::linkId).toList());
            for (CreateIntent intent : intents) {
                settle(flow, intent, Optional.ofNullable(found.get(intent.linkId())));
            }
        }
    }

    private void settle(Flow flow, CreateIntent intent, Optional<SideRecord> created) {
        Instant now = clock.instant();
        store.inTransaction(() -> {
            if (created.isPresent()) {
                // Complete the link here rather than leave it to the planner: the source record may be planned
                // before the found one, and would then see a pending link and create a second record. The found
                // record holds what the create wrote, the pending link's base, so its side's hash is the base's,
                // as when the answer arrives: without it the record would count as edited on its side, and a
                // delete of the source would retire the pair and leave the copy behind.
                store.link(intent.linkId()).ifPresent(link -> store.saveLink(
                        link.withIdOn(intent.target(), created.get().id())
                                .withHashOn(intent.target(), link.base().hash())
                                .with(link.base(), LinkState.ACTIVE, now)));
                store.observe(List.of(observer.observe(created.get(), RecordStatus.DIRTY, now)));
            } else {
                // The source is made due again, but keeps its failed attempts and backoff: a create that
                // failed for a passing reason leaves its intent too, and must not be retried at once, every
                // cycle, without ever becoming a dead letter. One that was given up stays a dead letter.
                Optional<Link> link = store.link(intent.linkId());
                Side sourceSide = intent.target().other();
                link.map(l -> l.idOn(sourceSide))
                        .flatMap(id -> store.observed(flow, sourceSide, id))
                        .filter(source -> source.status() != RecordStatus.DEAD)
                        .ifPresent(source -> store.observe(List.of(source.with(RecordStatus.DIRTY,
                                source.reason(), source.attempts(), source.nextAttemptAt()))));
            }
            store.removeIntent(intent.linkId(), intent.target());
            return null;
        });
    }

    private int readChanges(Flow flow, Side side, SyncMetrics told) {
        String cursor = store.cursor(flow, side).orElse(null);
        int[] count = {0};
        String next = connectors.get(side).readChanges(flow, cursor, page -> count[0] += observe(page, told, false));
        if (next != null && !next.equals(cursor)) {
            store.saveCursor(flow, side, next);
        }
        return count[0];
    }

    /**
     * Reads every record of a side from the start, as a resync does: a settled record is made due even when it
     * equals the store's copy, so the planner compares it with its partner again; a record that waits, failed or
     * is deleted keeps its state unless it changed, so its backoff and attempts are not undone. The cursor stays
     * where it is: the next ordinary read goes on from there, and what it reads again is recognised.
     */
    private int readAll(Flow flow, Side side, SyncMetrics told) {
        int[] count = {0};
        connectors.get(side).readChanges(flow, null, page -> count[0] += observe(page, told, true));
        return count[0];
    }

    /**
     * Stores the news of one page as due; with {@code again}, every settled live record too.
     *
     * @return how many records the page held
     */
    private int observe(List<SideRecord> page, SyncMetrics told, boolean again) {
        if (page.isEmpty()) {
            return 0;
        }
        Flow flow = page.get(0).flow();
        Side side = page.get(0).side();
        Instant now = clock.instant();
        told.read(flow, side, page.size());
        // One lookup for the whole page: a page of 500 records read again costs one query, not 500.
        Map<String, ObservedRecord> known = store.observed(flow, side, page.stream().map(SideRecord::id).toList());
        List<ObservedRecord> due = new ArrayList<>();
        for (SideRecord record : page) {
            ObservedRecord stored = known.get(record.id());
            boolean settledLive = stored != null && stored.status() == RecordStatus.SETTLED && !record.deleted();
            if (again && settledLive || isNews(record, stored)) {
                due.add(observer.observe(record, RecordStatus.DIRTY, now));
            } else {
                told.skipped(flow, side);
            }
        }
        if (!due.isEmpty()) {
            store.observe(due);
        }
        return page.size();
    }

    /**
     * A record read again in an overlap window, or the echo of a copy we stored ourselves, is no news when it
     * equals the stored copy of a settled record or a dead letter; a new version of a dead letter is news, and
     * clears it if it now goes through.
     *
     * @param record the record as just read
     * @param stored the store's copy of it, or null
     */
    private static boolean isNews(SideRecord record, ObservedRecord stored) {
        if (stored == null) {
            return true;
        }
        boolean settled = stored.status() == RecordStatus.SETTLED || stored.status() == RecordStatus.DEAD;
        return !(settled && stored.record().deleted() == record.deleted()
                && Objects.equals(stored.record().properties(), record.properties()));
    }

    private void noticeDeletes(Flow flow, Side side) {
        Optional<Set<String>> listed = connectors.get(side).allIds(flow);
        if (listed.isEmpty()) {
            return;
        }
        Set<String> present = new HashSet<>(listed.get());
        Instant now = clock.instant();
        List<ObservedRecord> gone = new ArrayList<>();
        for (String id : store.observedIds(flow, side)) {
            if (!present.contains(id)) {
                gone.add(observer.observe(SideRecord.deletion(side, flow, id, null), RecordStatus.DIRTY, now));
            }
        }
        if (!gone.isEmpty()) {
            store.observe(gone);
        }
    }

    /**
     * The delete circuit breaker: the removals this plan would make, together with those already made within
     * {@link SyncSettings#deleteWindow()}, against the flow's links as they stood before them. Counting over the
     * window rather than per cycle means a mass delete cannot pass in small cycles, as it would when change hooks
     * start a cycle for every burst of deletes. Removals a person accepted are not weighed, neither planned nor
     * already made: the person has seen them.
     */
    private String breakerTrip(FlowPlan plan, Set<String> accepted) {
        long removals = plan.changes().stream()
                .filter(c -> c.removesLink() && !HeldRemovals.isAccepted(c, accepted)).count();
        if (removals == 0) {
            return null;
        }
        Flow flow = plan.flow();
        Instant since = clock.instant().minus(settings.deleteWindow());
        long recent = settings.deleteWindow().isZero() ? 0
                : store.countHistory(flow, Planner.LINK_REMOVALS, since)
                - store.countHistory(flow, Set.of(HeldRemovals.ACCEPTED), since);
        long links = store.countLinks(flow, LinkState.ACTIVE) + recent;
        long total = removals + recent;
        if (total >= settings.deleteMinimum() && total > settings.deleteThreshold() * links) {
            String already = recent == 0 ? "" : ", and " + recent + " were removed in the last "
                    + describe(settings.deleteWindow()) + ": " + total + " of " + links;
            return flow.configName() + ": this run would delete or retire " + removals + " of "
                    + (links - recent) + " links" + already + ", more than "
                    + Math.round(settings.deleteThreshold() * 100) + " %; nothing was deleted. Check the other "
                    + "system, then see them with 'crmsync deletes' and accept or reject them there (or rerun "
                    + "with --allow-mass-delete, or raise sync.delete-threshold)";
        }
        return null;
    }

    private static String describe(Duration span) {
        if (span.toSeconds() % 3600 == 0) {
            return span.toHours() == 1 ? "hour" : span.toHours() + " hours";
        }
        return span.toSeconds() % 60 == 0 ? span.toMinutes() + " min" : span.toSeconds() + " s";
    }
}
