package dev.crmsync.adapters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.adapters.store.PostgresStore;
import dev.crmsync.testing.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nodes' shared tables on a real PostgreSQL: created by nodes that start together, beside a store of one
 * connection in the same schema, and the heartbeats and holders read back.
 */
class ClusterDatabaseTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final int NODES = 4;

    private TestPostgres postgres;

    @BeforeEach
    void schema() {
        postgres = TestPostgres.freshSchema();
    }

    @AfterEach
    void drop() {
        postgres.drop();
    }

    @Test
    void shouldBeCreatedByNodesStartingAllAtOnceBesideTheStoreOfAFileOfOneConnection() throws Exception {
        // Given the store of a file of one connection in the schema already
        PostgresStore.open(postgres.address(), dev.crmsync.adapters.store.CommitObserver.NONE).close();

        // When four nodes open the cluster's tables at the same moment
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ClusterDatabase>> opened = new ArrayList<>();
        try (ExecutorService nodes = Executors.newFixedThreadPool(NODES)) {
            for (int i = 0; i < NODES; i++) {
                opened.add(nodes.submit(() -> {
                    go.await();
                    return ClusterDatabase.open(postgres.address());
                }));
            }
            go.countDown();
        }

        // Then each opens them, and they are one set of tables
        List<ClusterDatabase> all = new ArrayList<>();
        for (Future<ClusterDatabase> each : opened) {
            all.add(each.resultNow());
        }
        try {
            for (int i = 0; i < NODES; i++) {
                all.get(i).heartbeat("n" + i, "http://10.0.0." + i + ":8080", NOW, NOW.plusSeconds(i));
            }
            assertThat(all.get(0).nodes()).extracting(ClusterDatabase.NodeRow::name)
                    .containsExactly("n0", "n1", "n2", "n3");
            assertThat(all.get(3).nodes().get(2).heartbeat()).isEqualTo(NOW.plusSeconds(2));

            // And a node that left, or was silent too long, is gone from the list
            all.get(0).leave("n1");
            all.get(0).forgetSilent(NOW.plusSeconds(3), Duration.ofMillis(500));
            assertThat(all.get(1).nodes()).extracting(ClusterDatabase.NodeRow::name).containsExactly("n3");
            assertThat(all.get(1).holders("crmsync-connection")).isEmpty();
        } finally {
            all.forEach(ClusterDatabase::close);
        }
    }
}
