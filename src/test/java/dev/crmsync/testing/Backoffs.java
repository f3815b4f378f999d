package dev.crmsync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

/** Holds pauses to the retry policy's backoff, which leaves out a random part of up to half of each pause. */
public final class Backoffs {

    private Backoffs() {
    }

    /**
     * @param pauses   the pauses a sleeper saw
     * @param computed the backoffs before jitter, in order
     */
    public static void assertJittered(List<Duration> pauses, Duration... computed) {
        assertThat(pauses).hasSize(computed.length);
        for (int i = 0; i < computed.length; i++) {
            assertThat(pauses.get(i)).as("pause %d", i + 1)
                    .isBetween(computed[i].dividedBy(2), computed[i]);
        }
    }
}
