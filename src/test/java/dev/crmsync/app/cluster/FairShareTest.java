package dev.crmsync.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A node's fair share of the connections: enough that the live nodes hold them all between them, and no node more
 * than one above another.
 */
class FairShareTest {

    @Test
    void shouldSpreadTheConnectionsOverTheLiveNodesRoundingUp() {
        assertThat(ClusterNode.fairShare(60, 3)).isEqualTo(20);
        assertThat(ClusterNode.fairShare(60, 4)).isEqualTo(15);
        assertThat(ClusterNode.fairShare(61, 3)).isEqualTo(21);
        assertThat(ClusterNode.fairShare(2, 3)).isEqualTo(1);
    }

    @Test
    void shouldLetANodeAloneHoldEveryConnection() {
        assertThat(ClusterNode.fairShare(60, 1)).isEqualTo(60);
        // Before its first heartbeat is read back, a node counts itself.
        assertThat(ClusterNode.fairShare(60, 0)).isEqualTo(60);
    }
}
