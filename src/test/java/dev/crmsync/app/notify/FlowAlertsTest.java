package dev.crmsync.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.service.CycleResult;
import dev.crmsync.app.service.FlowOutcome;
import dev.crmsync.model.Flow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events only when a flow's state changes, never every turn while it stays the same. */
class FlowAlertsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private final List<AlertEvent> sent = new ArrayList<>();
    private int minute;

    @Test
    void shouldReportAFailingFlowOnceAndItsRecoveryOnceWithHowLongItFailed() {
        FlowAlerts alerts = new FlowAlerts(0, sent::add);

        alerts.cycleEnded(turn(Flow.PERSONS, CycleResult.OK, null, 0));
        alerts.cycleEnded(turn(Flow.PERSONS, CycleResult.FAILED, "Customcrm answered HTTP 500", 0));
        Instant failedAt = sent.getFirst().at();
        alerts.cycleEnded(turn(Flow.PERSONS, CycleResult.FAILED, "Customcrm answered HTTP 500", 0));
        alerts.cycleEnded(turn(Flow.PERSONS, CycleResult.FAILED, "Customcrm answered HTTP 502", 0));
        alerts.cycleEnded(turn(Flow.PERSONS, CycleResult.OK, null, 0));
        alerts.cycleEnded(turn(Flow.PERSONS, CycleResult.OK, null, 0));

        assertThat(sent).extracting(AlertEvent::kind)
                .containsExactly(AlertEvent.Kind.FAILING, AlertEvent.Kind.RECOVERED);
        AlertEvent failing = sent.get(0);
        assertThat(failing.detail()).isEqualTo("Customcrm answered HTTP 500");
        assertThat(failing.previous()).isEqualTo(CycleResult.OK);
        AlertEvent recovered = sent.get(1);
        assertThat(recovered.since()).isEqualTo(failedAt);
        assertThat(recovered.previous()).isEqualTo(CycleResult.FAILED);
        assertThat(recovered.text()).contains("syncs again").contains("failing since 2025-03-01 10:01 UTC");
    }

    @Test
    void shouldReportAHoldAsItsOwnEventAndAFailureThatFollowsIt() {
        FlowAlerts alerts = new FlowAlerts(0, sent::add);

        alerts.cycleEnded(turn(Flow.PRODUCTS, CycleResult.HELD, "products: this run would delete 3 of 6", 0));
        alerts.cycleEnded(turn(Flow.PRODUCTS, CycleResult.HELD, "products: this run would delete 3 of 6", 0));
        alerts.cycleEnded(turn(Flow.PRODUCTS, CycleResult.FAILED, "webCRM did not answer", 0));
        alerts.cycleEnded(turn(Flow.ORGANISATIONS, CycleResult.OK, null, 0));

        // The first turn after a start is compared with nothing: held is news, ok is not
        assertThat(sent).extracting(AlertEvent::kind).containsExactly(AlertEvent.Kind.HELD, AlertEvent.Kind.FAILING);
        assertThat(sent.getFirst().previous()).isNull();
        assertThat(sent.getFirst().text()).contains("delete circuit breaker held back");
    }

    @Test
    void shouldReportDeadLettersWhenTheyReachTheThresholdAndAgainOnlyAfterFallingBelowIt() {
        FlowAlerts alerts = new FlowAlerts(3, sent::add);

        for (int dead : new int[] {0, 2, 3, 5, 4, 1, 3}) {
            alerts.cycleEnded(turn(Flow.ORGANISATIONS, CycleResult.OK, null, dead));
        }

        assertThat(sent).extracting(AlertEvent::kind).containsOnly(AlertEvent.Kind.DEAD_LETTERS);
        assertThat(sent).extracting(AlertEvent::deadLetters).containsExactly(3L, 3L);
        assertThat(sent.getFirst().json()).contains("\"event\":\"dead-letters\"").contains("\"deadLetterThreshold\":3");
    }

    @Test
    void shouldNeverReportDeadLettersWithoutAThreshold() {
        FlowAlerts alerts = new FlowAlerts(0, sent::add);

        alerts.cycleEnded(turn(Flow.ORGANISATIONS, CycleResult.OK, null, 500));

        assertThat(sent).isEmpty();
    }

    /** A turn one minute after the one before; {@code since} as the service keeps it. */
    private FlowOutcome turn(Flow flow, CycleResult result, String detail, long deadLetters) {
        Instant at = T0.plusSeconds(60L * minute++);
        return new FlowOutcome(flow, result, at, since(flow, result, at), detail, deadLetters);
    }

    private final java.util.Map<Flow, FlowOutcome> last = new java.util.EnumMap<>(Flow.class);

    private Instant since(Flow flow, CycleResult result, Instant at) {
        FlowOutcome before = last.get(flow);
        Instant since = before != null && before.result() == result ? before.since() : at;
        last.put(flow, new FlowOutcome(flow, result, at, since, null, 0));
        return since;
    }
}
