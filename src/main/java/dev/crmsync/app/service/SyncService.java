package dev.crmsync.app.service;

import dev.crmsync.app.config.ServiceSettings;
import dev.crmsync.engine.ConflictResolution;
import dev.crmsync.engine.CycleReport;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.engine.SyncRun;
import dev.crmsync.model.Flow;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.CycleLog;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The long-running sync of one connection: a single worker thread runs the cycles of whichever flows are due
 * (on their schedules, after a change hook, or because a person asked), and everything that changes the store
 * from outside (resolving a conflict, replaying or dismissing a dead letter, a dry run) is queued to that same
 * thread between cycles, so that one writer per connection holds (DESIGN.md section 5).
 *
 * <p>Stopping abandons the running cycle between two batches; what was written is recorded, and what was not is
 * planned again at the next start (the outbox covers a create whose answer was lost).
 *
 * <p>This class is threadsafe: the API calls it from its request threads.
 */
public final class SyncService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SyncService.class);

    /** A cycle runs until quiet, so the echoes of its own writes are settled in the same turn; this bounds it. */
    private static final int MAX_CYCLES_PER_TURN = 3;
    /** How long the cycle log keeps a cycle: the charts show a day, a week is there to look back on. */
    private static final Duration CYCLE_LOG_KEPT = Duration.ofDays(8);
    /** The worker looks at the clock at least this often, even when no flow is due. */
    private static final Duration LONGEST_NAP = Duration.ofSeconds(5);
    /** How long a request waits for the worker to take its task between cycles. */
    private static final Duration TASK_WAIT = Duration.ofMinutes(2);

    private final Store store;
    private final SyncCycle cycle;
    private final ServiceSettings settings;
    private final InstantSource clock;
    private final FlowScheduler scheduler;
    private final CycleTally tally;
    private final ProgressTracker progress;
    private final SystemHealth health;
    private final SystemGauges gauges;
    private final Instant startedAt;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Deque<FutureTask<?>> tasks = new ArrayDeque<>();
    private final List<ServiceListener> listeners = new CopyOnWriteArrayList<>();
    private final List<OutcomeListener> outcomeListeners = new CopyOnWriteArrayList<>();
    private final Map<Flow, CycleLog> lastCycles = new EnumMap<>(Flow.class);
    private final Map<Flow, Duration> lastLags = new EnumMap<>(Flow.class);
    private final Map<Flow, String> lastErrors = new EnumMap<>(Flow.class);
    /** How each flow's last turn of this process ended; none before its first (guarded by lastCycles). */
    private final Map<Flow, FlowOutcome> outcomes = new EnumMap<>(Flow.class);
    private final Set<HistoryEntry> publishedAtLast = new HashSet<>();

    private volatile FlowScheduler.Batch running;
    private volatile boolean stopping;
    private Instant lastPublished;
    private Instant lastPrune = Instant.EPOCH;
    private Thread worker;

    /**
     * @param store    the connection's store
     * @param cycle    the connection's cycle; only this service may run it
     * @param settings the schedules
     * @param clock    the time source
     * @param tally    counts what each cycle does; the same instance must be given to the cycle's metrics
     * @param health   fed by the connection's connectors
     * @param gauges   budget, call and hook counts per system
     */
    public SyncService(Store store, SyncCycle cycle, ServiceSettings settings, InstantSource clock, CycleTally tally,
                       SystemHealth health, SystemGauges gauges) {
        this.store = store;
        this.cycle = cycle;
        this.settings = settings;
        this.clock = clock;
        this.tally = tally;
        this.health = health;
        this.gauges = gauges;
        this.startedAt = clock.instant();
        this.scheduler = new FlowScheduler(settings.schedules(), startedAt);
        // Each batch moves the progress bar of the pages watching.
        this.progress = new ProgressTracker(clock, this::fireStatus);
        this.lastPublished = startedAt;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Reads the last cycle of each flow from the store, so that status survives a restart, and starts the worker.
     * Every flow syncs and reconciles at once, except those a person paused, which stay paused until resumed.
     */
    public void start() {
        start(Map.of());
    }

    /**
     * {@link #start()}, with fields for every log line of the worker, e.g. the connection it syncs where a process
     * syncs several.
     *
     * @param logContext MDC keys and values the worker sets before its first cycle
     */
    public void start(Map<String, String> logContext) {
        for (Flow flow : store.pausedFlows()) {
            scheduler.pause(flow);
            log.atInfo().addKeyValue("flow", flow.configName()).log("flow stays paused, as a person left it");
        }
        for (CycleLog entry : store.cycles(startedAt.minus(CYCLE_LOG_KEPT))) {
            lastCycles.put(entry.flow(), entry);
            if (entry.maxLag() != null) {
                lastLags.put(entry.flow(), entry.maxLag());
            }
        }
        Map<String, String> context = Map.copyOf(logContext);
        worker = Thread.ofPlatform().name("crmsync-sync").daemon(false).unstarted(() -> {
            context.forEach(MDC::put);
            work();
        });
        worker.start();
        log.atInfo().addKeyValue("flows", Flow.values().length).log("sync service started");
    }

    /**
     * Stops the worker: a running cycle stops after the batch it is applying.
     *
     * @param grace how long to wait for it
     * @return whether the worker ended within {@code grace}
     */
    public boolean stop(Duration grace) {
        stopping = true;
        progress.abandon();
        signal();
        if (worker == null) {
            return true;
        }
        try {
            worker.join(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            worker.interrupt();
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    /**
     * @param listener told about status changes and new history
     */
    public void addListener(ServiceListener listener) {
        listeners.add(listener);
    }

    /**
     * @param listener a listener added before
     */
    public void removeListener(ServiceListener listener) {
        listeners.remove(listener);
    }

    /**
     * @param listener told how each flow's turn ended
     */
    public void addOutcomeListener(OutcomeListener listener) {
        outcomeListeners.add(listener);
    }

    /**
     * @param flow a flow
     * @return how its last turn in this process ended, or empty before its first
     */
    public Optional<FlowOutcome> outcome(Flow flow) {
        synchronized (lastCycles) {
            return Optional.ofNullable(outcomes.get(flow));
        }
    }

    // ---------------------------------------------------------------- control

    /**
     * @param flow the flow to pause; a cycle under way finishes first
     * @return its status
     */
    public FlowStatus pause(Flow flow) {
        // The store first: a pause that a crash right after forgot would let the flow sync after the restart.
        store.setPaused(flow, true, clock.instant());
        scheduler.pause(flow);
        log.atInfo().addKeyValue("flow", flow.configName()).log("flow paused");
        fireStatus();
        return status(flow);
    }

    /**
     * @param flow the flow to resume; it syncs at once
     * @return its status
     */
    public FlowStatus resume(Flow flow) {
        store.setPaused(flow, false, clock.instant());
        scheduler.resume(flow, clock.instant());
        log.atInfo().addKeyValue("flow", flow.configName()).log("flow resumed");
        signal();
        fireStatus();
        return status(flow);
    }

    /**
     * Syncs a flow at once, with a reconciliation.
     *
     * @param flow the flow
     * @return its status
     * @throws IllegalStateException when the flow is paused
     */
    public FlowStatus syncNow(Flow flow) {
        if (scheduler.isPaused(flow)) {
            throw new IllegalStateException(flow.configName() + " is paused; resume it to sync");
        }
        scheduler.syncNow(flow, clock.instant());
        signal();
        return status(flow);
    }

    /**
     * Reads a flow again in full from both sides and reconciles it, at once: every record is compared with its
     * partner again and what differs is written under the merge policy; links stay as they are.
     *
     * @param flow the flow
     * @return its status
     * @throws IllegalStateException when the flow is paused
     */
    public FlowStatus resync(Flow flow) {
        requireNotPaused(flow, "resync");
        scheduler.resync(flow, clock.instant());
        log.atInfo().addKeyValue("flow", flow.configName()).log("resync asked");
        signal();
        return status(flow);
    }

    /**
     * Reads one record and its partner again from their systems, then syncs the flow at once, which compares the
     * pair afresh and writes what differs under the merge policy.
     *
     * @param flow     the flow
     * @param side     the record's side
     * @param recordId its id there
     * @return the records read, the asked one first
     * @throws IllegalStateException            when the flow is paused
     * @throws java.util.NoSuchElementException when neither its system nor the store knows the record
     * @throws IllegalArgumentException         when the id cannot be one of that system
     */
    public List<ObservedRecord> resync(Flow flow, Side side, String recordId) {
        requireNotPaused(flow, "resync");
        List<ObservedRecord> read = onWorker(() -> cycle.rereadRecord(flow, side, recordId));
        scheduler.syncNow(flow, clock.instant());
        log.atInfo().addKeyValue("flow", flow.configName()).addKeyValue("record", recordId)
                .log("record read again for a resync");
        signal();
        return read;
    }

    private void requireNotPaused(Flow flow, String what) {
        if (scheduler.isPaused(flow)) {
            throw new IllegalStateException(flow.configName() + " is paused; resume it to " + what);
        }
    }

    /**
     * Syncs every flow that is not paused at once.
     */
    public void syncNowAll() {
        for (Flow flow : Flow.values()) {
            if (!scheduler.isPaused(flow)) {
                scheduler.syncNow(flow, clock.instant());
            }
        }
        signal();
    }

    /**
     * A change hook said the flow changed: sync it early. Never blocks.
     *
     * @param flow the flow
     */
    public void hint(Flow flow) {
        scheduler.hint(flow, clock.instant());
        signal();
    }

    /**
     * A change hook said a record of the flow was deleted: sync it early with a reconciliation, since only a
     * complete id list shows a webCRM delete. Never blocks.
     *
     * @param flow the flow
     */
    public void hintDelete(Flow flow) {
        scheduler.hintDelete(flow, clock.instant());
        signal();
    }

    /**
     * A dry run of every flow, on the worker between cycles: what a cycle would write now.
     *
     * @return the plan
     */
    public CycleReport dryRun() {
        return onWorker(() -> cycle.run(new SyncCycle.Options(true, true, false)));
    }

    /**
     * Settles an open conflict by a person's choice, then syncs its flow at once so that the choice is written.
     *
     * @param conflictId the conflict
     * @param choices    the side to keep per conflicting field; every field must be named
     * @return the conflict as now recorded
     * @throws IllegalArgumentException when no open conflict has that id, or a field is missing
     */
    public Conflict resolve(String conflictId, Map<String, Side> choices) {
        Conflict resolved = onWorker(() -> new ConflictResolution(store, clock).resolve(conflictId, choices));
        if (!scheduler.isPaused(resolved.flow())) {
            scheduler.syncNow(resolved.flow(), clock.instant());
        }
        signal();
        return resolved;
    }

    /**
     * Makes dead letters due again, so the next cycle (which starts at once) tries them anew.
     *
     * @param flow     the flow, or null for every dead letter
     * @param side     the side, with the flow
     * @param recordId the record, with the flow
     * @return how many were replayed
     * @throws IllegalArgumentException when the named record is no dead letter
     */
    public int replay(Flow flow, Side side, String recordId) {
        List<ObservedRecord> replayed = onWorker(() -> {
            List<ObservedRecord> dead = deadLetters(flow, side, recordId);
            store.observe(dead.stream().map(r -> r.with(RecordStatus.DIRTY, null, 0, null)).toList());
            return dead;
        });
        replayed.stream().map(ObservedRecord::flow).distinct().filter(f -> !scheduler.isPaused(f))
                .forEach(f -> scheduler.syncNow(f, clock.instant()));
        log.atInfo().addKeyValue("records", replayed.size()).log("dead letters replayed");
        signal();
        return replayed.size();
    }

    /**
     * Dismisses a dead letter: it is no longer shown or tried; a newer version of the record syncs as usual.
     *
     * @throws IllegalArgumentException when the named record is no dead letter
     */
    public void dismiss(Flow flow, Side side, String recordId) {
        onWorker(() -> {
            List<ObservedRecord> dead = deadLetters(flow, side, recordId);
            store.observe(dead.stream()
                    .map(r -> r.with(RecordStatus.SETTLED, "dismissed by a person: " + r.reason(), 0, null))
                    .toList());
            return null;
        });
        fireStatus();
    }

    private List<ObservedRecord> deadLetters(Flow flow, Side side, String recordId) {
        if (flow == null) {
            return store.withStatus(RecordStatus.DEAD);
        }
        ObservedRecord record = store.observed(flow, side, recordId)
                .filter(r -> r.status() == RecordStatus.DEAD)
                .orElseThrow(() -> new IllegalArgumentException("no dead letter " + flow.configName() + "/"
                        + side.configName() + "/" + recordId));
        return List.of(record);
    }

    // ---------------------------------------------------------------- status

    /**
     * @return the service at a glance
     */
    public ServiceStatus status() {
        Map<Flow, Long> dead = store.countWithStatus(RecordStatus.DEAD);
        Map<Flow, Long> open = store.countOpenConflicts();
        List<FlowStatus> flows = new ArrayList<>();
        for (Flow flow : Flow.values()) {
            flows.add(status(flow, dead, open));
        }
        List<SystemStatus> systems = new ArrayList<>();
        for (Side side : Side.values()) {
            systems.add(new SystemStatus(side, health.of(side), gauges.budgetUsed(side), gauges.budgetLimit(side),
                    gauges.calls(side), gauges.throttled(side), gauges.hooksReceived(side)));
        }
        return new ServiceStatus(startedAt, isReady(), flows, systems);
    }

    /**
     * @return one flow's status
     */
    public FlowStatus status(Flow flow) {
        return status(flow, store.countWithStatus(RecordStatus.DEAD), store.countOpenConflicts());
    }

    private FlowStatus status(Flow flow, Map<Flow, Long> dead, Map<Flow, Long> open) {
        boolean paused = scheduler.isPaused(flow);
        FlowScheduler.Batch now = running;
        boolean isRunning = now != null && now.flows().contains(flow);
        String error;
        CycleLog last;
        Duration lag;
        FlowOutcome outcome;
        synchronized (lastCycles) {
            error = lastErrors.get(flow);
            last = lastCycles.get(flow);
            lag = lastLags.get(flow);
            outcome = outcomes.get(flow);
        }
        boolean systemDown = health.downUntil().isPresent();
        String state = isRunning ? "running" : paused ? "paused" : systemDown ? "system-down"
                : error != null ? "failing" : "waiting";
        ServiceSettings.Schedule schedule = settings.schedules().get(flow);
        return new FlowStatus(flow, FlowStatus.titleOf(flow), state, paused, schedule.interval(),
                schedule.reconcileInterval(), last, isRunning ? null : scheduler.nextCycle(flow).orElse(null),
                scheduler.nextReconcile(flow).orElse(null), store.countLinks(flow, LinkState.ACTIVE),
                dead.getOrDefault(flow, 0L), open.getOrDefault(flow, 0L), lag, error,
                isRunning ? progress.of(flow).orElse(null) : null, outcome);
    }

    /**
     * @return whether the store answers and both systems answered their last call
     */
    public boolean isReady() {
        return storeAnswers() && health.bothReachable();
    }

    /**
     * @return whether the store answers a query
     */
    public boolean storeAnswers() {
        try {
            store.countLinks(null, null);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * @return the systems' health
     */
    public SystemHealth health() {
        return health;
    }

    /**
     * @return when the service started
     */
    public Instant startedAt() {
        return startedAt;
    }

    // ---------------------------------------------------------------- the worker

    private void work() {
        while (true) {
            // Before taking the lock: a store read must not hold up the threads that only hand work to the worker
            followStoredPauses();
            FutureTask<?> task = null;
            Optional<FlowScheduler.Batch> batch = Optional.empty();
            lock.lock();
            try {
                if (!stopping) {
                    task = tasks.poll();
                    Instant now = clock.instant();
                    batch = task == null ? scheduler.due(now) : Optional.empty();
                    if (task == null && batch.isEmpty()) {
                        Duration nap = scheduler.nextWakeUp().map(at -> Duration.between(now, at))
                                .orElse(LONGEST_NAP);
                        if (nap.compareTo(LONGEST_NAP) > 0) {
                            nap = LONGEST_NAP;
                        }
                        wake.awaitNanos(Math.max(nap.toNanos(), TimeUnit.MILLISECONDS.toNanos(10)));
                        continue; // the lock is let go on the way; then the stored pauses are looked at again
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (stopping) {
                cancelTasks();
                return;
            }
            if (task != null) {
                task.run();
            } else {
                runBatch(batch.orElseThrow());
            }
        }
    }

    /**
     * Takes up a pause or resume that {@code crmsync pause} or {@code resume} wrote to the store beside the running
     * service; the worker looks at least every {@link #LONGEST_NAP}. A store that does not answer changes nothing
     * here: the cycle reports it.
     */
    private void followStoredPauses() {
        Set<Flow> stored;
        try {
            stored = store.pausedFlows();
        } catch (RuntimeException e) {
            return;
        }
        boolean changed = false;
        for (Flow flow : Flow.values()) {
            boolean paused = stored.contains(flow);
            if (paused != scheduler.isPaused(flow)) {
                if (paused) {
                    scheduler.pause(flow);
                } else {
                    scheduler.resume(flow, clock.instant());
                }
                log.atInfo().addKeyValue("flow", flow.configName())
                        .log(paused ? "flow paused through the store" : "flow resumed through the store");
                changed = true;
            }
        }
        if (changed) {
            fireStatus();
        }
    }

    private void runBatch(FlowScheduler.Batch batch) {
        Instant started = clock.instant();
        tally.reset();
        progress.clear();
        running = batch;
        fireStatus();
        String error = null;
        boolean abandoned = false;
        List<String> trips = new ArrayList<>();
        try {
            SyncRun.Result result = new SyncRun(cycle, MAX_CYCLES_PER_TURN).untilQuiet(
                    new SyncCycle.Options(false, batch.flows(), batch.reconcile(), false, batch.resync()), progress,
                    report -> {
                        trips.addAll(report.breakerTrips());
                        publishHistory();
                    });
            log.atInfo().addKeyValue("flows", names(batch.flows())).addKeyValue("trigger", batch.trigger().label())
                    .addKeyValue("writes", result.applied().writes()).addKeyValue("settled", result.settled())
                    .log("cycle finished");
        } catch (ProgressTracker.Abandoned e) {
            error = e.getMessage();
            abandoned = true;
            log.atInfo().addKeyValue("flows", names(batch.flows())).log("cycle abandoned: the service is stopping");
        } catch (RuntimeException e) {
            error = describe(e);
            log.atWarn().addKeyValue("flows", names(batch.flows())).addKeyValue("error", error)
                    .log("cycle stopped early; the flows are tried again after their interval");
        }
        Instant ended = clock.instant();
        recordCycle(batch, started, ended, error, trips);
        if (!abandoned) {
            // A turn cut short by a stop says nothing about the flow's health.
            tellOutcomes(batch.flows(), ended, error, trips);
        }
        scheduler.ran(batch, started, ended);
        // A system whose circuit opened is left alone until its trial time; the flows go on by themselves then.
        health.downUntil().ifPresent(until -> scheduler.deferUntil(batch.flows(), until));
        running = null;
        progress.clear();
        publishHistory();
        fireStatus();
    }

    private void recordCycle(FlowScheduler.Batch batch, Instant started, Instant ended, String error,
                             List<String> trips) {
        for (Flow flow : batch.flows()) {
            String trip = tripOf(flow, trips);
            String flowError = error != null ? error : trip;
            CycleTally.Counts counts = tally.of(flow);
            CycleLog entry = new CycleLog(flow, started, ended, batch.trigger().label(),
                    batch.reconcile().contains(flow), counts.read(), counts.written(), counts.failed(),
                    counts.maxLag(), flowError);
            synchronized (lastCycles) {
                lastCycles.put(flow, entry);
                if (counts.maxLag() != null) {
                    lastLags.put(flow, counts.maxLag());
                }
                if (flowError == null) {
                    lastErrors.remove(flow);
                } else {
                    lastErrors.put(flow, flowError);
                }
            }
            try {
                store.appendCycle(entry);
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("error", describe(e)).log("the cycle log could not be written");
            }
        }
        if (Duration.between(lastPrune, ended).compareTo(Duration.ofHours(1)) > 0) {
            try {
                store.pruneCycles(ended.minus(CYCLE_LOG_KEPT));
                lastPrune = ended;
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("error", describe(e)).log("old cycles could not be pruned");
            }
        }
    }

    private void tellOutcomes(Set<Flow> flows, Instant ended, String error, List<String> trips) {
        Map<Flow, Long> dead;
        try {
            dead = store.countWithStatus(RecordStatus.DEAD);
        } catch (RuntimeException e) {
            dead = Map.of();
        }
        for (Flow flow : flows) {
            String trip = tripOf(flow, trips);
            CycleResult result = error != null ? CycleResult.FAILED : trip != null ? CycleResult.HELD : CycleResult.OK;
            FlowOutcome outcome;
            synchronized (lastCycles) {
                FlowOutcome before = outcomes.get(flow);
                Instant since = before != null && before.result() == result ? before.since() : ended;
                outcome = new FlowOutcome(flow, result, ended, since, error != null ? error : trip,
                        dead.getOrDefault(flow, 0L));
                outcomes.put(flow, outcome);
            }
            for (OutcomeListener listener : outcomeListeners) {
                try {
                    listener.cycleEnded(outcome);
                } catch (RuntimeException e) {
                    log.atWarn().addKeyValue("flow", flow.configName()).addKeyValue("error", describe(e))
                            .log("a listener of cycle outcomes failed; the sync goes on");
                }
            }
        }
    }

    private static String tripOf(Flow flow, List<String> trips) {
        return trips.stream().filter(t -> t.startsWith(flow.configName() + ":")).findFirst().orElse(null);
    }

    /** Tells listeners about history entries appended since the last call, oldest first. */
    private void publishHistory() {
        if (listeners.isEmpty()) {
            lastPublished = clock.instant();
            publishedAtLast.clear();
            return;
        }
        List<HistoryEntry> recent;
        try {
            recent = store.recentHistory(null, 500);
        } catch (RuntimeException e) {
            return;
        }
        List<HistoryEntry> fresh = new ArrayList<>();
        for (HistoryEntry entry : recent) {
            if (entry.at().isAfter(lastPublished)
                    || entry.at().equals(lastPublished) && !publishedAtLast.contains(entry)) {
                fresh.add(0, entry);
            }
        }
        for (HistoryEntry entry : fresh) {
            if (entry.at().isAfter(lastPublished)) {
                lastPublished = entry.at();
                publishedAtLast.clear();
            }
            publishedAtLast.add(entry);
            listeners.forEach(l -> l.changed(entry));
        }
    }

    private void fireStatus() {
        listeners.forEach(ServiceListener::statusChanged);
    }

    private <T> T onWorker(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        lock.lock();
        try {
            if (stopping) {
                throw new IllegalStateException("the service is stopping");
            }
            tasks.add(task);
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            return task.get(TASK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sync worker", e);
        } catch (TimeoutException e) {
            task.cancel(false);
            throw new ServiceBusyException("a cycle is still running after " + TASK_WAIT.toMinutes()
                    + " minutes; try again when it has finished");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void cancelTasks() {
        lock.lock();
        try {
            tasks.forEach(t -> t.cancel(false));
            tasks.clear();
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static String names(Set<Flow> flows) {
        return flows.stream().sorted().map(Flow::configName).toList().toString();
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
