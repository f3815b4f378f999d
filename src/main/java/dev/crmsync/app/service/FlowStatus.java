package dev.crmsync.app.service;

import dev.crmsync.model.Flow;
import dev.crmsync.ports.CycleLog;
import java.time.Duration;
import java.time.Instant;

/**
 * How one flow is doing, as the API and dashboard show it.
 *
 * @param flow              the flow
 * @param title             the pair in words, e.g. "webCRM Organisations ↔ Customcrm Customers"
 * @param state             {@code running}, {@code waiting}, {@code paused}, {@code system-down} (a system's
 *                          circuit is open: the flow waits for its trial time, then goes on by itself) or
 *                          {@code failing}
 * @param paused            whether a person paused it
 * @param interval          its poll interval
 * @param reconcileInterval its reconciliation interval
 * @param lastCycle         what its last cycle did, or null before the first
 * @param nextCycleAt       when it syncs next, or null while paused or running
 * @param nextReconcileAt   when it reconciles next, or null while paused
 * @param links             active links
 * @param deadLetters       dead letters
 * @param openConflicts     conflicts waiting for a person
 * @param lag               the longest end-to-end lag of its last cycle that wrote, or null
 * @param lastError         why its last cycle stopped early, or null
 * @param progress          how far the running cycle has got, or null
 * @param outcome           how its last turn in this process ended (ok, failed, held), or null before the first
 */
public record FlowStatus(Flow flow, String title, String state, boolean paused, Duration interval,
                         Duration reconcileInterval, CycleLog lastCycle, Instant nextCycleAt, Instant nextReconcileAt,
                         long links, long deadLetters, long openConflicts, Duration lag, String lastError,
                         ProgressTracker.Progress progress, FlowOutcome outcome) {

    /**
     * @param flow a flow
     * @return the pair in words
     */
    public static String titleOf(Flow flow) {
        return "webCRM " + flow.webcrmCollection() + " ↔ Customcrm "
                + Character.toUpperCase(flow.customcrmCollection().charAt(0)) + flow.customcrmCollection().substring(1);
    }
}
