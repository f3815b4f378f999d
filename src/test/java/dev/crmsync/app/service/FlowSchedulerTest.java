package dev.crmsync.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.config.ServiceSettings;
import dev.crmsync.model.Flow;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowSchedulerTest {

    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
    private static final ServiceSettings.Schedule EVERY_30S = new ServiceSettings.Schedule(Duration.ofSeconds(30),
            Duration.ofHours(1));

    private static Map<Flow, ServiceSettings.Schedule> schedules(ServiceSettings.Schedule products) {
        Map<Flow, ServiceSettings.Schedule> out = new EnumMap<>(Flow.class);
        out.put(Flow.ORGANISATIONS, EVERY_30S);
        out.put(Flow.PERSONS, EVERY_30S);
        out.put(Flow.PRODUCTS, products);
        return out;
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void shouldRunAndReconcileEveryFlowAtStart() {
        FlowScheduler scheduler = new FlowScheduler(schedules(EVERY_30S), T0);

        FlowScheduler.Batch batch = scheduler.due(T0).orElseThrow();

        assertThat(batch.flows()).containsExactlyInAnyOrder(Flow.values());
        assertThat(batch.reconcile()).containsExactlyInAnyOrder(Flow.values());
        assertThat(batch.trigger()).isEqualTo(Trigger.START);
    }

    @Test
    void shouldRunEachFlowOnItsOwnIntervalAndReconcileOnlyWhenThatIsDue() {
        // Given products every 10 s, reconciled every minute
        FlowScheduler scheduler = new FlowScheduler(schedules(new ServiceSettings.Schedule(Duration.ofSeconds(10),
                Duration.ofMinutes(1))), T0);
        scheduler.ran(scheduler.due(T0).orElseThrow(), T0, at(2));

        // Then
        assertThat(scheduler.due(at(11))).isEmpty();
        FlowScheduler.Batch products = scheduler.due(at(12)).orElseThrow();
        assertThat(products.flows()).containsExactly(Flow.PRODUCTS);
        assertThat(products.reconcile()).isEmpty();
        assertThat(products.trigger()).isEqualTo(Trigger.SCHEDULE);
        scheduler.ran(products, at(12), at(13));
        assertThat(scheduler.nextWakeUp()).contains(at(23));
        assertThat(scheduler.due(at(32)).orElseThrow().flows()).containsExactlyInAnyOrder(Flow.values());
        assertThat(scheduler.nextReconcile(Flow.PRODUCTS)).contains(at(62));
        assertThat(scheduler.due(at(62)).orElseThrow().reconcile()).containsExactly(Flow.PRODUCTS);
    }

    @Test
    void shouldRunAHintedFlowAtOnceWithoutReconcilingAndSyncNowWithReconciling() {
        FlowScheduler scheduler = new FlowScheduler(schedules(EVERY_30S), T0);
        scheduler.ran(scheduler.due(T0).orElseThrow(), T0, at(1));

        scheduler.hint(Flow.PERSONS, at(5));
        FlowScheduler.Batch hinted = scheduler.due(at(5)).orElseThrow();
        assertThat(hinted.flows()).containsExactly(Flow.PERSONS);
        assertThat(hinted.reconcile()).isEmpty();
        assertThat(hinted.trigger()).isEqualTo(Trigger.HOOK);
        scheduler.ran(hinted, at(5), at(6));

        scheduler.syncNow(Flow.PERSONS, at(7));
        FlowScheduler.Batch manual = scheduler.due(at(7)).orElseThrow();
        assertThat(manual.reconcile()).containsExactly(Flow.PERSONS);
        assertThat(manual.trigger()).isEqualTo(Trigger.MANUAL);
    }

    @Test
    void shouldKeepAFlowDueWhenAHookArrivesWhileItsCycleRuns() {
        FlowScheduler scheduler = new FlowScheduler(schedules(EVERY_30S), T0);
        FlowScheduler.Batch first = scheduler.due(T0).orElseThrow();

        // When a hook arrives during the cycle: the cycle may have read before the change
        scheduler.hint(Flow.ORGANISATIONS, at(3));
        scheduler.ran(first, T0, at(4));

        // Then the flow runs again at once, the others after their interval
        FlowScheduler.Batch again = scheduler.due(at(4)).orElseThrow();
        assertThat(again.flows()).containsExactly(Flow.ORGANISATIONS);
        assertThat(again.trigger()).isEqualTo(Trigger.HOOK);
    }

    @Test
    void shouldNeverRunAPausedFlowAndRunItAtOnceWhenResumed() {
        FlowScheduler scheduler = new FlowScheduler(schedules(EVERY_30S), T0);
        scheduler.ran(scheduler.due(T0).orElseThrow(), T0, at(1));

        scheduler.pause(Flow.PRODUCTS);
        scheduler.hint(Flow.PRODUCTS, at(2));

        assertThat(scheduler.due(at(40)).orElseThrow().flows()).doesNotContain(Flow.PRODUCTS);
        assertThat(scheduler.nextCycle(Flow.PRODUCTS)).isEmpty();
        assertThat(scheduler.isPaused(Flow.PRODUCTS)).isTrue();

        scheduler.resume(Flow.PRODUCTS, at(50));
        assertThat(scheduler.due(at(50)).orElseThrow().flows()).contains(Flow.PRODUCTS);
    }
}
