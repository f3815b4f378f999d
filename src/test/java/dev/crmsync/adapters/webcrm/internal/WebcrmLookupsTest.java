package dev.crmsync.adapters.webcrm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.model.LinkIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WebcrmLookupsTest {

    @Test
    void shouldGroupStampsMadeWithinAMinuteIntoOneRange() {
        // Given ids made in three bursts: now, 30 s later, and an hour later, handed over in no order
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T10:00:00Z"));
        LinkIds ids = new LinkIds(now::get, new Random(3));
        List<String> first = List.of(ids.get(), ids.get());
        now.set(now.get().plusSeconds(30));
        String soon = ids.get();
        now.set(now.get().plus(Duration.ofHours(1)));
        List<String> late = List.of(ids.get(), ids.get(), ids.get());
        List<String> all = new ArrayList<>(late);
        all.add(soon);
        all.addAll(first);

        // When
        List<List<String>> clusters = WebcrmLookups.clusters(all);

        // Then sorted, and split where the gap is over a minute from the run's first id
        assertThat(clusters).containsExactly(List.of(first.get(0), first.get(1), soon), late);
    }
}
