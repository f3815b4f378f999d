package dev.crmsync.app.service.hooks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How long an accepted Customcrm delivery is remembered, and how many. */
class DeliveryMemoryTest {

    private static final Instant NOW = Instant.parse("2025-06-15T10:00:00Z");
    private static final byte[] UPDATE_V2 = ("{\"type\":\"customers\",\"id\":\"cus_1\",\"event\":\"updated\","
            + "\"version\":2,\"occurred_at\":\"2025-06-15T10:00:00.000Z\"}").getBytes(UTF_8);
    private static final byte[] UPDATE_V3 = ("{\"type\":\"customers\",\"id\":\"cus_1\",\"event\":\"updated\","
            + "\"version\":3,\"occurred_at\":\"2025-06-15T10:00:01.000Z\"}").getBytes(UTF_8);

    private final DeliveryMemory memory = new DeliveryMemory(Duration.ofMinutes(5));

    @Test
    void shouldKnowADeliveryAgainForTwiceTheToleranceAndTellTheNextChangeOfTheSameRecordApart() {
        assertThat(memory.firstTime(UPDATE_V2, NOW)).isTrue();
        assertThat(memory.firstTime(UPDATE_V2.clone(), NOW.plus(Duration.ofMinutes(10)).minusMillis(1))).isFalse();
        assertThat(memory.firstTime(UPDATE_V3, NOW)).isTrue();
        // Past twice the tolerance the signature check refuses every copy, so the memory may let it go
        assertThat(memory.firstTime(UPDATE_V2, NOW.plus(Duration.ofMinutes(10)))).isTrue();
        assertThat(memory.size()).isEqualTo(1);
    }

    @Test
    void shouldForgetTheOldestWhenFull() {
        // When more deliveries than it keeps arrive at one moment
        for (int i = 0; i <= DeliveryMemory.MAX_KEPT; i++) {
            memory.firstTime(("{\"version\":" + i + "}").getBytes(UTF_8), NOW);
        }

        // Then it keeps the most it may, having let go of the first
        assertThat(memory.size()).isEqualTo(DeliveryMemory.MAX_KEPT);
        assertThat(memory.firstTime("{\"version\":1}".getBytes(UTF_8), NOW)).isFalse();
        assertThat(memory.firstTime("{\"version\":0}".getBytes(UTF_8), NOW)).isTrue();
    }
}
