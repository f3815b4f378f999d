package dev.crmsync.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LinkIdsTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00.123Z");

    @Test
    void shouldMakeVersion7UuidsThatCarryTheirTime() {
        // Given
        LinkIds ids = new LinkIds(InstantSource.fixed(T0), new Random(1));

        // When
        String id = ids.get();

        // Then
        UUID parsed = UUID.fromString(id);
        assertThat(parsed.version()).isEqualTo(7);
        assertThat(parsed.variant()).isEqualTo(2);
        assertThat(id).isEqualTo(id.toLowerCase()).hasSize(36);
        assertThat(LinkIds.millisOf(id)).isEqualTo(T0.toEpochMilli());
        assertThat(LinkIds.isTimeOrdered(id)).isTrue();
        assertThat(LinkIds.isTimeOrdered(UUID.nameUUIDFromBytes(new byte[] {1}).toString())).isFalse();
    }

    @Test
    void shouldSortInTheOrderMadeWhileTheClockStandsStillOrStepsBack() {
        // Given a clock that stands still for 10,000 ids, then steps back a second
        AtomicReference<Instant> now = new AtomicReference<>(T0);
        LinkIds ids = new LinkIds(now::get, new Random(2));
        List<String> made = new ArrayList<>();

        // When
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.get());
        }
        now.set(T0.minusSeconds(1));
        made.add(ids.get());
        now.set(T0.plusSeconds(5));
        made.add(ids.get());

        // Then: text order is the order made, with no repeat
        assertThat(made).isSorted().doesNotHaveDuplicates();
        assertThat(LinkIds.millisOf(made.get(9_999))).as("spilled into later milliseconds")
                .isGreaterThan(T0.toEpochMilli());
        assertThat(LinkIds.millisOf(made.get(10_001))).isEqualTo(T0.plusSeconds(5).toEpochMilli());
    }

    @Test
    void shouldRefuseToReadTheTimeOfARandomUuid() {
        assertThatThrownBy(() -> LinkIds.millisOf(UUID.randomUUID().toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time-ordered");
    }
}
