package dev.crmsync.engine;

import dev.crmsync.mapping.RecordMapper;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.CreateIntent;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.PendingUpdate;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import dev.crmsync.ports.TransientCrmException;
import dev.crmsync.ports.Write;
import dev.crmsync.ports.WriteOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Carries out a {@link FlowPlan}. In each batch it first writes the outbox (create intents and their pending
 * links) in one transaction, then sends each side's writes to its connector in one call (which may batch them),
 * then records the changes' outcomes in one more transaction: a change whose writes all landed moves its link
 * forward; a change with a refused write leaves its link as it was and makes its record a dead letter with the
 * system's reason; a change with a passing failure is retried later with backoff, then given up as a dead
 * letter.
 *
 * <p>Each landed write, failed write and recorded conflict is told to the {@link SyncMetrics}. While a change's
 * outcome is recorded, its link id and its source record ({@code webcrm/42}) are in the MDC under
 * {@value #MDC_LINK} and {@value #MDC_RECORD}.
 *
 * <p>Not threadsafe: one applier per connection.
 */
public final class PlanApplier {

    /** The MDC key of the link whose change is being recorded. */
    public static final String MDC_LINK = "link";
    /** The MDC key of the record whose change is being recorded, as {@code side/id}, e.g. {@code webcrm/42}. */
    public static final String MDC_RECORD = "record";

    private static final Logger log = LoggerFactory.getLogger(PlanApplier.class);

    private final Store store;
    private final Map<Side, Connector> connectors;
    private final RecordObserver observer;
    private final Map<Flow, RecordMapper> mappers;
    private final SyncSettings settings;
    private final InstantSource clock;
    private final SyncMetrics metrics;
    /** The copies a batch's outcomes store, gathered so that they go to the store in one statement. */
    private final List<ObservedRecord> observations = new ArrayList<>();

    /**
     * @param store      the store
     * @param connectors the connector of each side
     * @param observer   turns written records into the store's copies
     * @param mappers    the mapping of each flow, for the stamps of records a create was made from
     * @param settings   batch size, attempts and backoff
     * @param clock      the time source, also of the lags told to {@code metrics}
     * @param metrics    told about each landed or failed write and each recorded conflict
     */
    PlanApplier(Store store, Map<Side, Connector> connectors, RecordObserver observer,
                Map<Flow, RecordMapper> mappers, SyncSettings settings, InstantSource clock, SyncMetrics metrics) {
        this.store = store;
        this.connectors = Map.copyOf(connectors);
        this.observer = observer;
        this.mappers = Map.copyOf(mappers);
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * @param plan     the plan
     * @param progress told after each batch
     * @return what landed and what failed
     */
    ApplyResult apply(FlowPlan plan, SyncProgress progress) {
        ApplyResult result = new ApplyResult();
        List<PlannedChange> changes = plan.changes();
        for (int from = 0; from < changes.size(); from += settings.batchSize()) {
            int to = Math.min(changes.size(), from + settings.batchSize());
            applyBatch(plan.flow(), changes.subList(from, to), result);
            progress.applied(plan.flow(), to, changes.size());
        }
        return result;
    }

    private void applyBatch(Flow flow, List<PlannedChange> batch, ApplyResult result) {
        Instant now = clock.instant();
        List<PendingUpdate> updates = pendingUpdates(flow, batch, now);
        store.inTransaction(() -> {
            for (PlannedChange change : batch) {
                for (Action action : change.actions()) {
                    if (action instanceof Action.Create create) {
                        store.saveLink(create.link());
                        store.addIntent(new CreateIntent(create.link().id(), flow, create.target(), now));
                    }
                }
            }
            store.addPendingUpdates(updates);
            return null;
        });
        Map<Action, WriteOutcome> outcomes = new IdentityHashMap<>();
        // webCRM first: the ids of the records created there go into the stamps of their Customcrm sources.
        for (Side side : List.of(Side.WEBCRM, Side.CUSTOMCRM)) {
            List<Action> sideWrites = new ArrayList<>();
            for (PlannedChange change : batch) {
                change.actions().stream().filter(a -> targetOf(a) == side).forEach(sideWrites::add);
            }
            List<Write> writes = new ArrayList<>(sideWrites.stream().map(PlanApplier::toWrite).toList());
            List<Write> stamps = side == Side.CUSTOMCRM ? sourceStamps(flow, batch, outcomes) : List.of();
            writes.addAll(stamps);
            if (!writes.isEmpty()) {
                List<WriteOutcome> answers = send(flow, side, writes);
                for (int i = 0; i < sideWrites.size(); i++) {
                    outcomes.put(sideWrites.get(i), answers.get(i));
                }
                for (int i = 0; i < stamps.size(); i++) {
                    logUnstamped(flow, (Write.Update) stamps.get(i), answers.get(sideWrites.size() + i));
                }
            }
        }
        // One transaction for the batch's outcomes: a commit per change cost more than the writes themselves, and
        // a crash before it loses nothing, since the outbox still holds the creates and the updates are planned
        // again (and cost no write when they landed).
        try {
            recordOutcomes(flow, batch, outcomes, result);
        } finally {
            observations.clear();
        }
    }

    /** Each change's updates, one per link with every side it writes to: they all write the same values. */
    private static List<PendingUpdate> pendingUpdates(Flow flow, List<PlannedChange> batch, Instant now) {
        List<PendingUpdate> pending = new ArrayList<>();
        for (PlannedChange change : batch) {
            List<Action.Update> updates = change.actions().stream()
                    .filter(Action.Update.class::isInstance).map(Action.Update.class::cast).toList();
            if (!updates.isEmpty()) {
                Set<Side> targets = EnumSet.noneOf(Side.class);
                updates.forEach(u -> targets.add(u.target()));
                Action.Update first = updates.get(0);
                pending.add(new PendingUpdate(first.link().id(), flow, targets, first.values(), now));
            }
        }
        return pending;
    }

    /**
     * The stamps of the Customcrm records that a webCRM create of this batch was made from: their link id and the
     * new webCRM id, merged into {@code external_ids}. A record crmsync creates carries its link id already; the
     * record it was made from carries nothing until this write, and without it a link lost with the store could
     * not be rebuilt ({@code crmsync relink}, or a sync from an empty store) and the pair would be made twice.
     * Customcrm is written rather than webCRM because its record names the whole pair (the webCRM record has room
     * for the link id alone) and because webCRM's requests are the scarce ones. The write sends no
     * {@code If-Match}: a merge patch of {@code external_ids} alone cannot undo an edit made meanwhile. Its echo
     * comes back through the next read, which also brings the record's new version.
     */
    private List<Write> sourceStamps(Flow flow, List<PlannedChange> batch, Map<Action, WriteOutcome> outcomes) {
        List<Write> stamps = new ArrayList<>();
        for (PlannedChange change : batch) {
            for (Action action : change.actions()) {
                if (action instanceof Action.Create create && create.target() == Side.WEBCRM
                        && create.source().side() == Side.CUSTOMCRM
                        && outcomes.get(action) instanceof WriteOutcome.Done done) {
                    String linkId = create.link().id();
                    stamps.add(new Write.Update(linkId, create.source().id(), null,
                            mappers.get(flow).stampProperties(Side.CUSTOMCRM, linkId, done.record().id())));
                }
            }
        }
        return stamps;
    }

    /**
     * A stamp that did not land costs no sync: the pair is linked and stays so. It is only missing for a recovery
     * from a lost store, until the next update of the record, which carries the stamp again; so it is logged, not
     * retried or made a dead letter.
     */
    private static void logUnstamped(Flow flow, Write.Update stamp, WriteOutcome outcome) {
        if (!(outcome instanceof WriteOutcome.Done)) {
            log.atWarn().addKeyValue("flow", flow.configName()).addKeyValue(MDC_LINK, stamp.linkId())
                    .addKeyValue("id", stamp.recordId()).addKeyValue("outcome", String.valueOf(outcome))
                    .log("the link stamp of the Customcrm record a webCRM create was made from was not written");
        }
    }

    private void recordOutcomes(Flow flow, List<PlannedChange> batch, Map<Action, WriteOutcome> outcomes,
                                ApplyResult result) {
        store.inTransaction(() -> {
            List<String> recorded = new ArrayList<>();
            for (PlannedChange change : batch) {
                putContext(change);
                try {
                    if (finish(flow, change, outcomes, result)) {
                        change.linkId().ifPresent(recorded::add);
                    }
                } finally {
                    MDC.remove(MDC_LINK);
                    MDC.remove(MDC_RECORD);
                }
            }
            // A failed update keeps its row: one that timed out may still have landed, and the next plan of the
            // pair needs to know that its values were crmsync's own.
            store.removePendingUpdates(recorded);
            // The records' new places in the sync, stored together; nothing above reads them back.
            store.observe(List.copyOf(observations));
            return null;
        });
    }

    /** Puts the change's link and source record in the MDC, for the lines logged while its outcome is recorded. */
    private static void putContext(PlannedChange change) {
        String link = change.linkId().orElse(null);
        ObservedRecord record = null;
        for (Action action : change.actions()) {
            if (record == null) {
                record = switch (action) {
                    case Action.Create c -> c.source();
                    case Action.Update u -> u.source();
                    case Action.Delete d -> d.source();
                    case Action.Settle settle -> settle.record();
                    default -> null;
                };
            }
        }
        if (link != null) {
            MDC.put(MDC_LINK, link);
        }
        if (record != null) {
            MDC.put(MDC_RECORD, record.side().configName() + "/" + record.id());
        }
    }

    private List<WriteOutcome> send(Flow flow, Side side, List<Write> writes) {
        try {
            List<WriteOutcome> answers = connectors.get(side).write(flow, writes);
            if (answers.size() != writes.size()) {
                throw new IllegalStateException(side.label() + " connector answered " + answers.size()
                        + " outcomes for " + writes.size() + " writes");
            }
            return answers;
        } catch (TransientCrmException e) {
            return writes.stream().<WriteOutcome>map(w -> new WriteOutcome.Retry(e.getMessage())).toList();
        }
    }

    /** @return whether every write of the change landed, so that its link now stands as planned */
    private boolean finish(Flow flow, PlannedChange change, Map<Action, WriteOutcome> outcomes, ApplyResult result) {
        Instant now = clock.instant();
        Action failedAction = null;
        WriteOutcome failure = null;
        for (Action action : change.actions()) {
            WriteOutcome outcome = outcomes.get(action);
            if (outcome != null && !(outcome instanceof WriteOutcome.Done) && failure == null) {
                failedAction = action;
                failure = outcome;
            }
        }
        ObservedRecord source = failedAction == null ? null : sourceOf(failedAction);
        Set<String> written = new HashSet<>();
        for (Action action : change.actions()) {
            if (outcomes.get(action) instanceof WriteOutcome.Done done) {
                written.add(key(done.record()));
            }
        }
        if (failure == null) {
            for (Action action : change.actions()) {
                applyState(action, written);
            }
        } else {
            for (Action action : change.actions()) {
                if (action instanceof Action.Settle settle && !sameRecord(settle.record(), source)
                        && !written.contains(key(settle.record().record()))) {
                    applyState(action, written);
                }
            }
            markFailed(flow, failedAction, source, failure, result);
        }
        for (Action action : change.actions()) {
            if (outcomes.get(action) instanceof WriteOutcome.Done done) {
                recordDone(flow, action, done.record(), result, now);
            }
        }
        return failure == null;
    }

    private void applyState(Action action, Set<String> written) {
        switch (action) {
            case Action.SaveLink save -> store.saveLink(save.link());
            case Action.Settle settle -> {
                if (!written.contains(key(settle.record().record()))) {
                    observations.add(settle.record().with(settle.status(), settle.reason(), 0, null));
                }
            }
            case Action.RecordConflict conflict -> {
                store.saveConflict(conflict.conflict());
                metrics.conflict(conflict.conflict().flow(), conflict.conflict().policy());
            }
            case Action.Note note -> store.appendHistory(note.entry());
            case Action.Create create -> {
                if (!written.contains(key(create.source().record()))) {
                    observations.add(create.source().with(RecordStatus.SETTLED, null, 0, null));
                }
            }
            case Action.Update update -> {
            }
            case Action.Delete delete -> store.saveLink(delete.link());
        }
    }

    private void recordDone(Flow flow, Action action, SideRecord record, ApplyResult result, Instant now) {
        SyncMetrics.WriteKind kind = switch (action) {
            case Action.Create create -> SyncMetrics.WriteKind.CREATE;
            case Action.Update update -> SyncMetrics.WriteKind.UPDATE;
            case Action.Delete delete -> SyncMetrics.WriteKind.DELETE;
            default -> throw new IllegalStateException("not a write: " + action);
        };
        switch (action) {
            case Action.Create create -> {
                Link link = create.link().withIdOn(create.target(), record.id())
                        .withHashOn(create.target(), create.values().hash())
                        .with(create.values(), LinkState.ACTIVE, now);
                store.saveLink(link);
                store.removeIntent(link.id(), create.target());
                result.created(create.target());
            }
            case Action.Update update -> result.updated(update.target());
            case Action.Delete delete -> result.deleted(delete.target());
            default -> throw new IllegalStateException("not a write: " + action);
        }
        // The copy of the written record lets the next write skip a read; a later read replaces it.
        observations.add(observer.observe(record, RecordStatus.SETTLED, now));
        // From when crmsync first read the edit (a retried record keeps that time) to now, when its write landed.
        ObservedRecord source = sourceOf(action);
        Duration lag = source == null ? Duration.ZERO : Duration.between(source.observedAt(), now);
        Side target = targetOf(action);
        metrics.written(flow, target, kind, lag.isNegative() ? Duration.ZERO : lag);
        log.atDebug().addKeyValue("flow", flow.configName()).addKeyValue("target", target.configName())
                .addKeyValue("kind", kind.name().toLowerCase(Locale.ROOT))
                .addKeyValue("id", record.id()).addKeyValue("lagMs", Math.max(0, lag.toMillis())).log("write landed");
    }

    private void markFailed(Flow flow, Action action, ObservedRecord source, WriteOutcome failure,
                            ApplyResult result) {
        Side target = targetOf(action);
        if (action instanceof Action.Create create && failure instanceof WriteOutcome.Rejected) {
            // The system refused the create, so nothing was made: the intent is settled.
            store.removeIntent(create.link().id(), target);
        }
        String what = flow.entityOn(source.side()) + " " + source.id() + " (" + source.side().label() + ")";
        switch (failure) {
            case WriteOutcome.Rejected rejected -> {
                String reason = target.label() + " refused the " + verb(action) + ": " + rejected.reason();
                observations.add(source.with(RecordStatus.DEAD, reason, source.attempts() + 1, null));
                result.failed(what + ": " + reason);
                metrics.failed(flow, target, true);
                logFailure(flow, target, action, reason, true);
            }
            case WriteOutcome.Retry retry -> {
                int attempts = source.attempts() + 1;
                if (attempts >= settings.maxAttempts()) {
                    String reason = "gave up after " + attempts + " attempts to " + verb(action) + " on "
                            + target.label() + ": " + retry.reason();
                    observations.add(source.with(RecordStatus.DEAD, reason, attempts, null));
                    result.failed(what + ": " + reason);
                    metrics.failed(flow, target, true);
                    logFailure(flow, target, action, reason, true);
                } else {
                    Duration wait = settings.retryBackoff().multipliedBy(1L << Math.min(20, attempts - 1));
                    observations.add(source.with(RecordStatus.DIRTY, retry.reason(), attempts,
                            clock.instant().plus(wait)));
                    result.retrying();
                    metrics.failed(flow, target, false);
                    logFailure(flow, target, action, retry.reason(), false);
                }
            }
            case WriteOutcome.Done done -> throw new IllegalStateException("not a failure");
        }
    }

    private static void logFailure(Flow flow, Side target, Action action, String reason, boolean dead) {
        (dead ? log.atWarn() : log.atInfo()).addKeyValue("flow", flow.configName())
                .addKeyValue("target", target.configName()).addKeyValue("write", verb(action))
                .addKeyValue("reason", reason)
                .log(dead ? "write failed; the record is a dead letter" : "write failed; it will be tried again");
    }

    private static Side targetOf(Action action) {
        return switch (action) {
            case Action.Create c -> c.target();
            case Action.Update u -> u.target();
            case Action.Delete d -> d.target();
            default -> null;
        };
    }

    private static ObservedRecord sourceOf(Action action) {
        return switch (action) {
            case Action.Create c -> c.source();
            case Action.Update u -> u.source();
            case Action.Delete d -> d.source();
            default -> throw new IllegalStateException("not a write: " + action);
        };
    }

    private static Write toWrite(Action action) {
        return switch (action) {
            case Action.Create c -> new Write.Create(c.link().id(), c.properties());
            case Action.Update u -> new Write.Update(u.link().id(), u.link().idOn(u.target()),
                    u.current() == null ? null : u.current().record(), u.properties());
            case Action.Delete d -> new Write.Delete(d.link().id(), d.recordId());
            default -> throw new IllegalStateException("not a write: " + action);
        };
    }

    private static String verb(Action action) {
        return action instanceof Action.Create ? "create" : action instanceof Action.Update ? "update" : "delete";
    }

    private static boolean sameRecord(ObservedRecord a, ObservedRecord b) {
        return b != null && a.side() == b.side() && a.id().equals(b.id());
    }

    private static String key(SideRecord record) {
        return record.side() + "/" + record.id();
    }
}
