package dev.crmsync.testing;

import dev.crmsync.app.api.ClusterView;
import dev.crmsync.app.api.ManagementApi;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A cluster seen from node n1, which holds nothing: n2 holds acme, n3 is silent. For the tests of what a node's
 * server shows without nodes running.
 *
 * @param now the time of n1's heartbeat
 */
public record FakeCluster(Instant now) implements ClusterView {

    @Override
    public String node() {
        return "n1";
    }

    @Override
    public Optional<ManagementApi.Served> held(String connection) {
        return Optional.empty();
    }

    @Override
    public List<Node> nodes() {
        return List.of(
                new Node("n1", "http://10.0.0.1:8080", now.minusSeconds(60), now, true, List.of()),
                new Node("n2", "http://10.0.0.2:8080", now.minusSeconds(50), now.minusSeconds(2), true,
                        List.of("acme")),
                new Node("n3", "http://10.0.0.3:8080", now.minusSeconds(90), now.minusSeconds(80), false,
                        List.of()));
    }
}
