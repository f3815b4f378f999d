package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.OnceRun;
import dev.crmsync.engine.CycleReport;
import dev.crmsync.engine.SyncRun;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The last lines and the exit status of {@code sync --once}. Regression of issue 11: a run whose writes still
 * waited for a retry, or whose deletes the breaker held, said "done" and exited 0.
 */
class SyncSummaryTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void shouldExitZeroOnlyWhenEveryRecordWentThrough() {
        assertThat(summarise(outcome(List.of(), false))).isZero();
    }

    @Test
    void shouldExitOneAndSayWhatWaitsAndWhenItIsNextTried() {
        // Given
        ObservedRecord waiting = record("c-7").with(RecordStatus.DIRTY, "webCRM PATCH /Organisations: 503 from the "
                + "server", 2, T0.plusSeconds(60));
        StringWriter text = new StringWriter();

        // When
        int status = SyncCommand.summarise(new PrintWriter(text), outcome(List.of(waiting), false), List.of());

        // Then
        assertThat(status).isEqualTo(1);
        assertThat(text.toString()).contains("1 record(s) wait for another attempt", "2026-12-06T10:01:00Z",
                "Customcrm Customer c-7: attempt 2 failed: webCRM PATCH /Organisations: 503");
    }

    @Test
    void shouldExitOneWhenTheBreakerHeldDeletes() {
        StringWriter text = new StringWriter();

        int status = SyncCommand.summarise(new PrintWriter(text), outcome(List.of(), true), List.of());

        assertThat(status).isEqualTo(1);
        assertThat(text.toString()).contains("held by the circuit breaker");
    }

    private static int summarise(OnceRun.Outcome outcome) {
        return SyncCommand.summarise(new PrintWriter(new StringWriter()), outcome, List.of());
    }

    private static OnceRun.Outcome outcome(List<ObservedRecord> waiting, boolean held) {
        CycleReport cycle = new CycleReport(List.of(), new SyncRun.Result(List.of(), true).applied(), 0,
                held ? List.of("products: this run would delete 5 of 10 links") : List.of(), false);
        return new OnceRun.Outcome(new SyncRun.Result(List.of(cycle), true), waiting, held);
    }

    private static ObservedRecord record(String id) {
        return ObservedRecord.dirty(new SideRecord(Side.CUSTOMCRM, Flow.ORGANISATIONS, id, Map.of(), T0, false),
                null, null, T0);
    }
}
