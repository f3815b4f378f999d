package dev.crmsync.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void shouldTakeTheNearestRankWhateverTheOrder() {
        // Given the values 1..200 shuffled
        List<Long> values = new ArrayList<>();
        for (long v = 1; v <= 200; v++) {
            values.add(v);
        }
        Collections.shuffle(values, new Random(10));

        // Then p50 is the 100th value and p99 the 198th: always a measured value
        assertThat(Percentiles.of(50, values)).isEqualTo(100.0);
        assertThat(Percentiles.of(99, values)).isEqualTo(198.0);
        assertThat(Percentiles.of(100, values)).isEqualTo(200.0);
    }

    @Test
    void shouldNotInterpolateBetweenTwoValues() {
        assertThat(Percentiles.of(50, List.of(10, 20))).isEqualTo(10.0);
        assertThat(Percentiles.of(51, List.of(10, 20))).isEqualTo(20.0);
    }

    @Test
    void shouldGiveTheOnlyValueOfOne() {
        assertThat(Percentiles.of(1, List.of(7.5))).isEqualTo(7.5);
        assertThat(Percentiles.of(99, List.of(7.5))).isEqualTo(7.5);
    }

    @Test
    void shouldKeepP99OfAHundredAtRankNinetyNine() {
        List<Integer> values = new ArrayList<>();
        for (int v = 1; v <= 100; v++) {
            values.add(v);
        }
        assertThat(Percentiles.of(99, values)).isEqualTo(99.0);
    }

    @Test
    void shouldRefuseNoValuesAndPercentilesOutOfRange() {
        assertThatThrownBy(() -> Percentiles.of(50, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.of(0, List.of(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.of(100.5, List.of(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
