package dev.crmsync.app.service;

import dev.crmsync.app.config.ServiceSettings;
import dev.crmsync.model.Flow;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When each flow syncs next. Every flow has its own interval for reading changes and its own, longer, interval
 * for reconciling complete id lists (the only way to notice a webCRM delete without a hook). A hook or a person
 * makes a flow due at once; a paused flow is never due. Flows that are due together run in one cycle, parents
 * first, so a new organisation and its new persons land in the same pass.
 *
 * <p>Pure bookkeeping: the caller passes the time in. This class is threadsafe.
 */
public final class FlowScheduler {

    /**
     * Flows to run now.
     *
     * @param flows     the flows that are due
     * @param reconcile of those, the ones whose complete id lists are to be read
     * @param trigger   why: the most urgent reason among the flows
     * @param resync    of those, the ones a person asked to read again in full from both sides
     */
    public record Batch(Set<Flow> flows, Set<Flow> reconcile, Trigger trigger, Set<Flow> resync) {

        public Batch {
            flows = Set.copyOf(flows);
            reconcile = Set.copyOf(reconcile);
            resync = Set.copyOf(resync);
        }

        /**
         * A batch without a resync.
         */
        public Batch(Set<Flow> flows, Set<Flow> reconcile, Trigger trigger) {
            this(flows, reconcile, trigger, Set.of());
        }
    }

    private static final class FlowTimes {
        Instant nextCycle;
        Instant nextReconcile;
        boolean paused;
        boolean reconcileAsked;
        boolean resyncAsked;
        Instant askedAt;
        Trigger trigger = Trigger.SCHEDULE;
    }

    private final Map<Flow, ServiceSettings.Schedule> schedules;
    private final Map<Flow, FlowTimes> times = new EnumMap<>(Flow.class);

    /**
     * Every flow is due at {@code start}, with a reconciliation: deletes made while the service was down are
     * noticed in the first cycle.
     *
     * @param schedules each flow's schedule
     * @param start     when the service starts
     */
    public FlowScheduler(Map<Flow, ServiceSettings.Schedule> schedules, Instant start) {
        this.schedules = Map.copyOf(schedules);
        for (Flow flow : Flow.values()) {
            if (!schedules.containsKey(flow)) {
                throw new IllegalArgumentException("no schedule for " + flow.configName());
            }
            FlowTimes t = new FlowTimes();
            t.nextCycle = start;
            t.nextReconcile = start;
            t.trigger = Trigger.START;
            times.put(flow, t);
        }
    }

    /**
     * @param now the time
     * @return the flows due at {@code now}, or empty when none is
     */
    public synchronized Optional<Batch> due(Instant now) {
        Set<Flow> flows = EnumSet.noneOf(Flow.class);
        Set<Flow> reconcile = EnumSet.noneOf(Flow.class);
        Set<Flow> resync = EnumSet.noneOf(Flow.class);
        Trigger trigger = null;
        for (Map.Entry<Flow, FlowTimes> e : times.entrySet()) {
            FlowTimes t = e.getValue();
            if (t.paused || t.nextCycle.isAfter(now)) {
                continue;
            }
            flows.add(e.getKey());
            if (t.reconcileAsked || !t.nextReconcile.isAfter(now)) {
                reconcile.add(e.getKey());
            }
            if (t.resyncAsked) {
                resync.add(e.getKey());
            }
            if (trigger == null || t.trigger.compareTo(trigger) > 0) {
                trigger = t.trigger;
            }
        }
        return flows.isEmpty() ? Optional.empty() : Optional.of(new Batch(flows, reconcile, trigger, resync));
    }

    /**
     * Schedules the next cycle of each flow of a batch one interval after it ended, and the next reconciliation
     * of those it reconciled. A failed cycle is tried again after the same interval: a system that is down is
     * not hammered, and its flows are still retried every interval. A hook or a person that asked while the
     * cycle ran keeps the flow due: the cycle may have read before their change.
     *
     * @param batch   the batch that ran
     * @param started when it started
     * @param ended   when it ended
     */
    public synchronized void ran(Batch batch, Instant started, Instant ended) {
        for (Flow flow : batch.flows()) {
            FlowTimes t = times.get(flow);
            ServiceSettings.Schedule schedule = schedules.get(flow);
            if (batch.reconcile().contains(flow)) {
                t.nextReconcile = ended.plus(schedule.reconcileInterval());
            }
            if (batch.resync().contains(flow)) {
                // Even when a person asked again meanwhile: that ask wanted a sync, and one follows.
                t.resyncAsked = false;
            }
            if (t.askedAt != null && t.askedAt.isAfter(started)) {
                continue;
            }
            t.nextCycle = ended.plus(schedule.interval());
            t.trigger = Trigger.SCHEDULE;
            t.askedAt = null;
            if (batch.reconcile().contains(flow)) {
                t.reconcileAsked = false;
            }
        }
    }

    /**
     * Holds flows back until a time, e.g. while a system they need is down; a hook or a person may still ask for
     * them earlier.
     *
     * @param flows the flows
     * @param until when they are due at the earliest
     */
    public synchronized void deferUntil(Set<Flow> flows, Instant until) {
        for (Flow flow : flows) {
            FlowTimes t = times.get(flow);
            if (t.nextCycle.isBefore(until)) {
                t.nextCycle = until;
            }
        }
    }

    /**
     * A change hook said the flow changed: sync it at once, without a reconciliation (a hook for a delete needs
     * one: see {@link #hintDelete}).
     *
     * @param flow the flow
     * @param now  the time
     */
    public synchronized void hint(Flow flow, Instant now) {
        ask(flow, now, Trigger.HOOK, false);
    }

    /**
     * A change hook said a record of the flow was deleted: sync it at once, with a reconciliation.
     *
     * @param flow the flow
     * @param now  the time
     */
    public synchronized void hintDelete(Flow flow, Instant now) {
        ask(flow, now, Trigger.HOOK, true);
    }

    /**
     * A person asked: sync the flow at once, with a reconciliation.
     *
     * @param flow the flow
     * @param now  the time
     */
    public synchronized void syncNow(Flow flow, Instant now) {
        ask(flow, now, Trigger.MANUAL, true);
    }

    /**
     * A person asked for a resync: read the flow again in full from both sides and reconcile, at once.
     *
     * @param flow the flow
     * @param now  the time
     */
    public synchronized void resync(Flow flow, Instant now) {
        ask(flow, now, Trigger.RESYNC, true);
        times.get(flow).resyncAsked = true;
    }

    /**
     * @return whether a resync of the flow was asked for and has not run yet
     */
    public synchronized boolean isResyncAsked(Flow flow) {
        return times.get(flow).resyncAsked;
    }

    private void ask(Flow flow, Instant now, Trigger trigger, boolean reconcile) {
        FlowTimes t = times.get(flow);
        if (t.nextCycle.isAfter(now)) {
            t.nextCycle = now;
        }
        t.askedAt = now;
        if (trigger.compareTo(t.trigger) > 0 || t.trigger == Trigger.SCHEDULE) {
            t.trigger = trigger;
        }
        t.reconcileAsked |= reconcile;
    }

    /**
     * @param flow the flow
     */
    public synchronized void pause(Flow flow) {
        times.get(flow).paused = true;
    }

    /**
     * Resumes a paused flow; it syncs at once, since it may have missed its turn.
     *
     * @param flow the flow
     * @param now  the time
     */
    public synchronized void resume(Flow flow, Instant now) {
        FlowTimes t = times.get(flow);
        if (t.paused) {
            t.paused = false;
            ask(flow, now, Trigger.MANUAL, false);
        }
    }

    /**
     * @return whether the flow is paused
     */
    public synchronized boolean isPaused(Flow flow) {
        return times.get(flow).paused;
    }

    /**
     * @return when the flow syncs next; empty while it is paused
     */
    public synchronized Optional<Instant> nextCycle(Flow flow) {
        FlowTimes t = times.get(flow);
        return t.paused ? Optional.empty() : Optional.of(t.nextCycle);
    }

    /**
     * @return when the flow reconciles next; empty while it is paused
     */
    public synchronized Optional<Instant> nextReconcile(Flow flow) {
        FlowTimes t = times.get(flow);
        if (t.paused) {
            return Optional.empty();
        }
        return Optional.of(t.reconcileAsked ? t.nextCycle : t.nextReconcile);
    }

    /**
     * @return the earliest next cycle of a flow that is not paused; empty when every flow is paused
     */
    public synchronized Optional<Instant> nextWakeUp() {
        return times.values().stream().filter(t -> !t.paused).map(t -> t.nextCycle).min(Instant::compareTo);
    }
}
