package dev.crmsync.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.adapters.http.RateBudget;
import dev.crmsync.engine.SyncMetrics.WriteKind;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * The meters' names, tags and gauges, without a sync. (After real syncs: {@code PrometheusScrapeScenarioTest}.)
 */
class CrmsyncMetersTest {

    @Test
    void shouldNameTheEngineSeriesWithTheirTags() {
        try (CrmsyncMeters meters = CrmsyncMeters.create()) {
            // Given
            MicrometerSyncMetrics sync = meters.syncMetrics();

            // When
            sync.read(Flow.PERSONS, Side.CUSTOMCRM, 7);
            sync.skipped(Flow.PERSONS, Side.CUSTOMCRM);
            sync.written(Flow.PERSONS, Side.WEBCRM, WriteKind.UPDATE, Duration.ofSeconds(90));
            sync.failed(Flow.PRODUCTS, Side.CUSTOMCRM, true);
            sync.failed(Flow.PRODUCTS, Side.WEBCRM, false);
            sync.conflict(Flow.ORGANISATIONS, "webcrm-wins");
            sync.cycle(EnumSet.of(Flow.PERSONS, Flow.ORGANISATIONS), Duration.ofSeconds(3));
            String scrape = meters.scrape();

            // Then
            assertThat(scrape).contains(
                    "crmsync_records_read_total{flow=\"persons\",side=\"customcrm\"} 7.0",
                    "crmsync_records_skipped_total{flow=\"persons\",side=\"customcrm\"} 1.0",
                    "crmsync_records_written_total{flow=\"persons\",kind=\"update\",side=\"webcrm\"} 1.0",
                    "crmsync_dead_letters_total{flow=\"products\",side=\"customcrm\"} 1.0",
                    "crmsync_write_retries_total{flow=\"products\",side=\"webcrm\"} 1.0",
                    "crmsync_conflicts_total{flow=\"organisations\",policy=\"webcrm-wins\"} 1.0",
                    "crmsync_sync_lag_seconds_bucket{flow=\"persons\",side=\"webcrm\",le=\"60.0\"} 0",
                    "crmsync_sync_lag_seconds_bucket{flow=\"persons\",side=\"webcrm\",le=\"120.0\"} 1",
                    "crmsync_sync_lag_seconds_sum{flow=\"persons\",side=\"webcrm\"} 90.0",
                    "crmsync_cycle_duration_seconds_count{flows=\"organisations,persons\"} 1",
                    "crmsync_cycle_duration_seconds_sum{flows=\"organisations,persons\"} 3.0");
            // and counters that nothing touched yet start at zero, so a rate over them exists
            assertThat(scrape).contains("crmsync_records_written_total{flow=\"products\",kind=\"delete\","
                    + "side=\"customcrm\"} 0.0");
        }
    }

    @Test
    void shouldTagEachConnectionsSeriesWithItsNameInOneRegistry() {
        try (CrmsyncMeters meters = CrmsyncMeters.forSeveralConnections()) {
            // Given two connections' views of one registry
            CrmsyncMeters acme = meters.forConnection("acme");
            CrmsyncMeters globex = meters.forConnection("globex");

            // When each counts its own
            acme.syncMetrics().read(Flow.PERSONS, Side.WEBCRM, 3);
            globex.syncMetrics().read(Flow.PERSONS, Side.WEBCRM, 5);
            globex.httpObserver().paced("webcrm", () -> new RateBudget(10, 240));
            acme.deadLetters(Flow.PRODUCTS, () -> 2);
            String scrape = meters.scrape();

            // Then one scrape holds both, each tagged, and no series of a connection without the tag
            assertThat(scrape).contains(
                    "crmsync_records_read_total{connection=\"acme\",flow=\"persons\",side=\"webcrm\"} 3.0",
                    "crmsync_records_read_total{connection=\"globex\",flow=\"persons\",side=\"webcrm\"} 5.0",
                    "crmsync_api_budget_remaining{connection=\"globex\",system=\"webcrm\"} 10.0",
                    "crmsync_dead_letters_current{connection=\"acme\",flow=\"products\"} 2.0",
                    "crmsync_cycles_total{connection=\"globex\",flow=\"persons\",result=\"failed\"} 0.0");
            assertThat(scrape.lines().filter(l -> l.startsWith("crmsync_") && !l.contains("connection=")))
                    .isEmpty();
            assertThat(scrape).contains("jvm_threads_live_threads");
        }
    }

    @Test
    void shouldRefuseToCountAConnectionInTheRegistryOfSeveral() {
        try (CrmsyncMeters meters = CrmsyncMeters.forSeveralConnections()) {
            // When a caller forgets the connection's view, Then it is told, rather than count untagged series
            assertThatThrownBy(meters::syncMetrics)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("forConnection");
            assertThatThrownBy(() -> meters.forConnection("acme")
                    .forConnection("globex")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldNameTheHttpSeriesWithTheirTags() {
        try (CrmsyncMeters meters = CrmsyncMeters.create()) {
            // Given
            MicrometerHttpObserver http = meters.httpObserver();

            // When
            http.called("customcrm", "GET", 200, Duration.ofMillis(40));
            http.called("customcrm", "GET", 0, Duration.ofSeconds(30));
            http.called("webcrm", "PUT", 429, Duration.ofMillis(5));
            http.throttled("webcrm");
            http.paced("webcrm", () -> new RateBudget(212, 240));
            String scrape = meters.scrape();

            // Then a call without answer has the status none
            assertThat(scrape).contains(
                    "crmsync_api_calls_total{status=\"200\",system=\"customcrm\"} 1.0",
                    "crmsync_api_calls_total{status=\"none\",system=\"customcrm\"} 1.0",
                    "crmsync_api_calls_total{status=\"429\",system=\"webcrm\"} 1.0",
                    "crmsync_api_throttled_total{system=\"webcrm\"} 1.0",
                    "crmsync_api_call_duration_seconds_count{system=\"customcrm\"} 2",
                    "crmsync_api_budget_remaining{system=\"webcrm\"} 212.0",
                    "crmsync_api_budget_limit{system=\"webcrm\"} 240.0");
        }
    }

    @Test
    void shouldReadTheBudgetOfTheLatestClientOfASystem() {
        try (CrmsyncMeters meters = CrmsyncMeters.create()) {
            // Given a client whose connection was closed, and the one of a connection opened since
            meters.httpObserver().paced("webcrm", () -> new RateBudget(3, 240));

            // When
            meters.httpObserver().paced("webcrm", () -> new RateBudget(239, 240));

            // Then the gauge reads the new one
            assertThat(meters.scrape()).contains("crmsync_api_budget_remaining{system=\"webcrm\"} 239.0");
        }
    }

    @Test
    void shouldReadTheBudgetOfTheLatestClientOfAConnectionTakenUpAgainByANode() {
        try (CrmsyncMeters meters = CrmsyncMeters.forSeveralConnections()) {
            // Given a connection a node held, let go and took up again, each time with clients of its own
            meters.forConnection("acme").httpObserver().paced("webcrm", () -> new RateBudget(3, 240));

            // When
            meters.forConnection("acme").httpObserver().paced("webcrm", () -> new RateBudget(239, 240));

            // Then the gauge reads the clients of the latest hold
            assertThat(meters.scrape())
                    .contains("crmsync_api_budget_remaining{connection=\"acme\",system=\"webcrm\"} 239.0");
        }
    }

    @Test
    void shouldShowTheDeadLettersOfEachFlowBesideTheirCounter() {
        try (CrmsyncMeters meters = CrmsyncMeters.create()) {
            // Given the counter of dead letters made
            meters.syncMetrics().failed(Flow.PERSONS, Side.WEBCRM, true);

            // When the service shows how many each flow holds now, the last source registered winning
            meters.deadLetters(Flow.PERSONS, () -> 5);
            meters.deadLetters(Flow.PERSONS, () -> 2);
            String scrape = meters.scrape();

            // Then both series are there, the gauge under its own name
            assertThat(scrape).contains("crmsync_dead_letters_total{flow=\"persons\",side=\"webcrm\"} 1.0",
                    "crmsync_dead_letters_current{flow=\"persons\"} 2.0");
        }
    }

    @Test
    void shouldShowNaNRatherThanFailTheScrapeWhenAGaugeSourceFails() {
        try (CrmsyncMeters meters = CrmsyncMeters.create()) {
            // Given a source that throws, e.g. a store closed at shutdown
            meters.gauge("crmsync.links", Map.of("flow", "persons"), () -> {
                throw new IllegalStateException("store closed");
            });

            // When
            String scrape = meters.scrape();

            // Then
            assertThat(scrape).contains("crmsync_links{flow=\"persons\"} NaN");
        }
    }

    @Test
    void shouldBindAnExecutorsMeters() {
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
        try (CrmsyncMeters meters = CrmsyncMeters.create()) {
            // When
            meters.bind(executor, "cycles");

            // Then
            assertThat(meters.scrape()).contains("executor_pool_size_threads{name=\"cycles\"}");
        } finally {
            executor.shutdownNow();
        }
    }
}
