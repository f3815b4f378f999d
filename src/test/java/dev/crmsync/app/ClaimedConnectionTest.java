package dev.crmsync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.adapters.http.HttpCallObserver;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.engine.SyncMetrics;
import dev.crmsync.model.Flow;
import dev.crmsync.ports.StaleClaimException;
import dev.crmsync.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who writes a PostgreSQL store: a node of a cluster claims the connection as it takes it up, and so does a command
 * run by hand beside the cluster (the nodes hold no lock a command could wait for), so that there is never a
 * second writer: whoever claimed last writes, and the other's writes are refused.
 */
class ClaimedConnectionTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private TestPostgres postgres;
    private CrmsyncConfig config;

    @BeforeEach
    void store() {
        postgres = TestPostgres.freshSchema();
        // Nothing is read from either system while a connection opens: any address will do.
        config = new ConfigLoader(Map.of()).parse("""
                webcrm:    { url: "http://127.0.0.1:9", token: t }
                customcrm: { url: "http://127.0.0.1:9", api-key: k }
                store:     { url: "%s" }
                """.formatted(postgres.url()), Path.of("."));
    }

    @AfterEach
    void drop() {
        postgres.drop();
    }

    @Test
    void shouldRefuseTheNodesWritesOnceACommandClaimedTheConnectionAndTheCommandsOnceTheNodeClaimedItAgain() {
        try (SyncConnection node = openOnNode("n1")) {
            node.store().setPaused(Flow.PERSONS, true, NOW);

            // When a command is run by hand on the same store
            try (SyncConnection command = SyncConnection.open(config, InstantSource.fixed(NOW), Sleeper.SYSTEM)) {
                // Then it writes, and the node's next write is refused by the store
                command.store().setPaused(Flow.PERSONS, false, NOW);
                assertThatThrownBy(() -> node.store().setPaused(Flow.PRODUCTS, true, NOW))
                        .isInstanceOf(StaleClaimException.class);
                assertThat(command.store().pausedFlows()).isEmpty();

                // And once a node takes the connection up again, the command's writes are refused
                try (SyncConnection again = openOnNode("n2")) {
                    assertThatThrownBy(() -> command.store().setPaused(Flow.PRODUCTS, true, NOW))
                            .isInstanceOf(StaleClaimException.class);
                    again.store().setPaused(Flow.ORGANISATIONS, true, NOW);
                    assertThat(again.store().pausedFlows()).containsExactly(Flow.ORGANISATIONS);
                }
            }
        }
    }

    private SyncConnection openOnNode(String node) {
        return SyncConnection.openClaimed(config, InstantSource.fixed(NOW), Sleeper.SYSTEM, SyncMetrics.NONE,
                HttpCallObserver.NONE, node);
    }
}
