/**
 * Notifications of {@code crmsync run}: {@link dev.crmsync.app.notify.FlowAlerts} turns how each flow's turns end
 * into events, only when something changes (a flow starts failing, recovers, is held by the delete circuit
 * breaker, its dead letters reach a threshold), and {@link dev.crmsync.app.notify.WebhookNotifier} POSTs each as a
 * small JSON object to the receiver of the {@code notify:} section, on a thread of its own, so that a slow or
 * absent receiver never holds up or fails a sync. The event's JSON is described in {@code docs/operations.md}.
 */
package dev.crmsync.app.notify;
