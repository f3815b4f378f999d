package dev.crmsync.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLockTest {

    @Test
    void shouldLetOneConnectionSyncAStoreAtATimeAndTheNextOnceItIsReleased(@TempDir Path dir) {
        // Given
        String url = "jdbc:sqlite:" + dir.resolve("crmsync.db");
        StoreLock first = StoreLock.acquire(url);

        // When / Then
        assertThatThrownBy(() -> StoreLock.acquire(url)).isInstanceOf(StoreBusyException.class)
                .hasMessageContaining("another crmsync is syncing with this store")
                .hasMessageContaining(dir.resolve("crmsync.db.lock").toString());
        first.close();
        try (StoreLock second = StoreLock.acquire(url)) {
            assertThat(dir.resolve("crmsync.db.lock")).exists();
        }
        try (StoreLock other = StoreLock.acquire("jdbc:sqlite:" + dir.resolve("other.db"))) {
            assertThat(other).isNotNull();
        }
    }
}
