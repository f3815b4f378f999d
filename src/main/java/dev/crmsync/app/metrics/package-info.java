/**
 * Metrics at the edge: Micrometer with a Prometheus registry. {@link dev.crmsync.app.metrics.CrmsyncMeters} owns the
 * registry and the JVM's own metrics; {@link dev.crmsync.app.metrics.MicrometerSyncMetrics} counts what the engine
 * tells its {@link dev.crmsync.engine.SyncMetrics}, and {@link dev.crmsync.app.metrics.MicrometerHttpObserver} what
 * the connectors' HTTP clients tell their {@link dev.crmsync.adapters.http.HttpCallObserver}. The engine and the
 * adapters name no metrics library; only this package does.
 *
 * <p>Names are written the Micrometer way ({@code crmsync.records.read}); the Prometheus registry exposes them as
 * {@code crmsync_records_read_total}, {@code crmsync_cycle_duration_seconds} and so on.
 */
package dev.crmsync.app.metrics;
