package dev.crmsync.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MinimumWallTimeTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void shouldForceNoWaitWhileTheFirstWindowHoldsEveryRequest() {
        assertThat(MinimumWallTime.of(0, 250, MINUTE)).isZero();
        assertThat(MinimumWallTime.of(1, 250, MINUTE)).isZero();
        assertThat(MinimumWallTime.of(250, 250, MINUTE)).isZero();
    }

    @Test
    void shouldAddOneWindowForEachFurtherLimitOfRequests() {
        // The 251st request waits for the first to leave the window; the 500th goes in that same second burst.
        assertThat(MinimumWallTime.of(251, 250, MINUTE)).isEqualTo(MINUTE);
        assertThat(MinimumWallTime.of(500, 250, MINUTE)).isEqualTo(MINUTE);
        assertThat(MinimumWallTime.of(501, 250, MINUTE)).isEqualTo(Duration.ofMinutes(2));
        assertThat(MinimumWallTime.of(45_000, 250, MINUTE)).isEqualTo(Duration.ofMinutes(179));
    }

    @Test
    void shouldMatchASimulatedBurstingClientForEveryCount() {
        // Given a client that sends each request at the earliest moment a 3-per-10s sliding window admits it
        int limit = 3;
        Duration window = Duration.ofSeconds(10);
        long[] sentAt = new long[40];
        for (int k = 0; k < sentAt.length; k++) {
            sentAt[k] = k < limit ? 0 : sentAt[k - limit] + window.toMillis();
            // Then the formula gives the moment the last of k + 1 requests leaves
            assertThat(MinimumWallTime.of(k + 1, limit, window).toMillis()).as("%d requests", k + 1)
                    .isEqualTo(sentAt[k]);
        }
    }

    @Test
    void shouldCompareAWallTimeWithTheMinimum() {
        assertThat(MinimumWallTime.ratio(Duration.ofSeconds(66), 300, 250, MINUTE).orElseThrow())
                .isCloseTo(1.1, within(1e-9));
    }

    @Test
    void shouldGiveNoRatioWhenTheLimitForcesNoWait() {
        assertThat(MinimumWallTime.ratio(Duration.ofSeconds(5), 250, 250, MINUTE)).isEmpty();
    }

    @Test
    void shouldRefuseMeaninglessArguments() {
        assertThatThrownBy(() -> MinimumWallTime.of(-1, 250, MINUTE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MinimumWallTime.of(10, 0, MINUTE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MinimumWallTime.of(10, 250, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
