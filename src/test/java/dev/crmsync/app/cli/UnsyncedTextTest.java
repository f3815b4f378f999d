package dev.crmsync.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.model.Flow;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The words {@code crmsync dead-letters} uses for how long a record has waited, and the summary line of the
 * waiting records.
 */
class UnsyncedTextTest {

    @Test
    void shouldSayHowLongARecordWaitedInTheLargestUnitsThatMatter() {
        assertThat(UnsyncedText.age(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(UnsyncedText.age(Duration.ofSeconds(12 * 60 + 59))).isEqualTo("12 min");
        assertThat(UnsyncedText.age(Duration.ofMinutes(185))).isEqualTo("3 h 5 min");
        assertThat(UnsyncedText.age(Duration.ofHours(2))).isEqualTo("2 h");
        assertThat(UnsyncedText.age(Duration.ofHours(52))).isEqualTo("2 d 4 h");
        assertThat(UnsyncedText.age(Duration.ofSeconds(-5))).as("a clock that went back").isEqualTo("0 s");
    }

    @Test
    void shouldCountTheWaitingRecordsPerFlowInOneLineOrSayNothing() {
        assertThat(UnsyncedText.waitingLine(Map.of(Flow.PRODUCTS, 1L, Flow.PERSONS, 2L)))
                .isEqualTo("3 record(s) wait (persons 2, products 1); see crmsync dead-letters");
        assertThat(UnsyncedText.waitingLine(Map.of())).isNull();
    }
}
