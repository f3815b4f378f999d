package dev.crmsync.adapters.webcrm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class WebcrmTimeTest {

    private final WebcrmTime copenhagen = new WebcrmTime(ZoneId.of("Europe/Copenhagen"));

    @Test
    void shouldStartAWindowAtTheRepeatedHourWhenTheClocksWentBackInBetween() {
        // Given 02:50 summer time, and 02:10 winter time forty minutes later (the clocks went back at 03:00)
        Instant from = Instant.parse("2025-10-26T00:50:00Z");
        Instant to = Instant.parse("2025-10-26T01:10:00Z");

        // When / Then: a record stamped 02:05 in the repeated hour lies inside the window
        assertThat(copenhagen.format(from)).isEqualTo("2025-10-26T02:50:00");
        assertThat(copenhagen.format(to)).isEqualTo("2025-10-26T02:10:00");
        assertThat(copenhagen.earliestBetween(from, to)).isEqualTo("2025-10-26T02:00:00");
    }

    @Test
    void shouldStartAWindowAtItsOwnStartOtherwise() {
        // Given a span over the spring change, when the clocks jump forward
        Instant from = Instant.parse("2025-03-30T00:30:00Z");
        Instant to = Instant.parse("2025-03-30T03:00:00Z");

        // When / Then
        assertThat(copenhagen.earliestBetween(from, to)).isEqualTo("2025-03-30T01:30:00");
        assertThat(copenhagen.earliestBetween(to, to)).isEqualTo("2025-03-30T05:00:00");
    }

    @Test
    void shouldReadAnAmbiguousLocalTimeAsItsEarlierInstant() {
        assertThat(copenhagen.instant("2025-10-26T02:30:00")).isEqualTo(Instant.parse("2025-10-26T00:30:00Z"));
    }
}
