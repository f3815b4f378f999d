/**
 * {@code crmsync run}: the long-running service. {@link dev.crmsync.app.service.SyncService} drives one
 * connection's cycles from one worker thread, on each flow's own schedule ({@link
 * dev.crmsync.app.service.FlowScheduler}), early when a change hook or a person asks; it keeps what the
 * management API and the dashboard show. The HTTP side lives in {@code dev.crmsync.app.api}.
 */
package dev.crmsync.app.service;
