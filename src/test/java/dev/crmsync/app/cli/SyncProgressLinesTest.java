package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.model.Flow;
import dev.crmsync.testing.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyncProgressLinesTest {

    @Test
    void shouldPrintDoneOfKnownWithThePaceAndTheTimeLeftAfterEachBatch() {
        // Given
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T09:00:00Z"));
        StringWriter text = new StringWriter();
        SyncCommand.ProgressLines lines = new SyncCommand.ProgressLines(new PrintWriter(text), clock);

        // When a first sync plans 1,000 changes and applies 500 of them in 10 s, then the rest
        lines.planned(Flow.ORGANISATIONS, 1000, 1000);
        clock.advance(Duration.ofSeconds(10));
        lines.applied(Flow.ORGANISATIONS, 500, 1000);
        clock.advance(Duration.ofSeconds(10));
        lines.applied(Flow.ORGANISATIONS, 1000, 1000);
        lines.planned(Flow.PERSONS, 3, 0);
        lines.applied(Flow.PERSONS, 3, 3);

        // Then
        assertThat(text.toString().lines()).containsExactly(
                "organisations: 1000 change(s) to apply, 1000 with writes",
                "organisations: 500 of 1000 applied (50.0/s, about 10s left)",
                "organisations: 1000 of 1000 applied");
    }
}
