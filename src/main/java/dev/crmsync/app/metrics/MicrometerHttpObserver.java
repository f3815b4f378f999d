package dev.crmsync.app.metrics;

import dev.crmsync.adapters.http.HttpCallObserver;
import dev.crmsync.adapters.http.RateBudget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Counts what the connectors' HTTP clients tell their {@link HttpCallObserver}, as these Prometheus series:
 *
 * <ul>
 *   <li>{@code crmsync_api_calls_total{system,status}}: requests answered, by status ({@code none} when no answer
 *       came), retries counted one by one;</li>
 *   <li>{@code crmsync_api_throttled_total{system}}: 429 answers, the system saying crmsync went too fast;</li>
 *   <li>{@code crmsync_api_call_duration_seconds{system}}: how long requests take;</li>
 *   <li>{@code crmsync_api_budget_remaining{system}} and {@code crmsync_api_budget_limit{system}}: requests still
 *       allowed in the current window of crmsync's own pace, and the window's limit; only for a system crmsync paces
 *       itself for (webCRM).</li>
 * </ul>
 *
 * <p>A client made again for the same system (a reopened connection) replaces the budget source of the last one.
 *
 * <p>This class is threadsafe.
 *
 * @see CrmsyncMeters
 */
public final class MicrometerHttpObserver implements HttpCallObserver {

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Supplier<RateBudget>>> budgets = new ConcurrentHashMap<>();

    /**
     * @param registry where the meters go
     */
    public MicrometerHttpObserver(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void called(String system, String method, int status, Duration took) {
        Counter.builder("crmsync.api.calls").description("Requests to a system, by the status answered")
                .tags("system", system, "status", status == 0 ? "none" : Integer.toString(status))
                .register(registry).increment();
        Timer.builder("crmsync.api.call.duration").description("How long a request to a system takes")
                .tags("system", system).register(registry).record(took);
    }

    @Override
    public void throttled(String system) {
        Counter.builder("crmsync.api.throttled").description("429 answers: the system said crmsync went too fast")
                .tags("system", system).register(registry).increment();
    }

    @Override
    public void paced(String system, Supplier<RateBudget> budget) {
        budgets.computeIfAbsent(system, s -> {
            AtomicReference<Supplier<RateBudget>> source = new AtomicReference<>();
            gauge("crmsync.api.budget.remaining", "Requests still allowed in the current window of crmsync's pace",
                    s, source, RateBudget::remaining);
            gauge("crmsync.api.budget.limit", "Requests allowed per window of crmsync's pace", s, source,
                    RateBudget::limit);
            return source;
        }).set(budget);
    }

    private void gauge(String name, String description, String system,
                       AtomicReference<Supplier<RateBudget>> source, ToIntFunction<RateBudget> part) {
        Gauge.builder(name, source, s -> {
            Supplier<RateBudget> supplier = s.get();
            return supplier == null ? Double.NaN : part.applyAsInt(supplier.get());
        }).description(description).tags("system", system).strongReference(true).register(registry);
    }
}
