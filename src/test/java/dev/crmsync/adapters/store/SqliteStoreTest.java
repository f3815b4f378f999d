package dev.crmsync.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.ports.HeldRemoval;
import dev.crmsync.ports.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@link StoreContractTest} on {@link SqliteStore}, plus what only SQLite has: the file, its journal mode,
 * and the URLs it accepts.
 */
class SqliteStoreTest extends StoreContractTest {

    @TempDir
    Path dir;

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("crmsync.db");
    }

    @Override
    protected Store openStore() {
        return SqliteStore.open(url());
    }

    private String query(String sql) throws SQLException {
        try (Connection other = DriverManager.getConnection(url());
             Statement statement = other.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void shouldKeepPausedFlowsAcrossReopeningUntilResumed() {
        // When
        store.setPaused(Flow.PERSONS, true, Instant.parse("2026-01-05T10:00:00Z"));
        store.setPaused(Flow.PERSONS, true, Instant.parse("2026-01-05T11:00:00Z"));
        store.setPaused(Flow.PRODUCTS, true, Instant.parse("2026-01-05T10:00:00Z"));
        store.setPaused(Flow.PRODUCTS, false, Instant.parse("2026-01-05T12:00:00Z"));
        reopen();

        // Then
        assertThat(store.pausedFlows()).containsExactly(Flow.PERSONS);
    }

    @Test
    void shouldBackUpToANewFileThatOpensAsTheSameStoreAndRefuseAnExistingOne() throws Exception {
        // Given
        store.setPaused(Flow.ORGANISATIONS, true, Instant.parse("2026-01-05T10:00:00Z"));
        Path copy = dir.resolve("copy.db");

        // When
        store.backupTo(copy.toString());

        // Then
        try (SqlStore backup = SqliteStore.open("jdbc:sqlite:" + copy)) {
            assertThat(backup.pausedFlows()).containsExactly(Flow.ORGANISATIONS);
        }
        long size = java.nio.file.Files.size(copy);
        assertThatThrownBy(() -> store.backupTo(copy.toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exists already");
        assertThat(java.nio.file.Files.size(copy)).isEqualTo(size);
    }

    @Test
    void shouldKeepTheFileInWalMode() throws SQLException {
        // Then: journal_mode is a property of the file, so any other connection sees it
        assertThat(query("PRAGMA journal_mode")).isEqualTo("wal");
    }

    @Test
    void shouldApplyEachMigrationOnceAcrossReopening() throws SQLException {
        // When
        reopen();

        // Then
        assertThat(query("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1")).isEqualTo("6");
        assertThat(query("SELECT group_concat(version, ',') FROM (SELECT version FROM flyway_schema_history "
                + "WHERE version IS NOT NULL ORDER BY installed_rank)")).isEqualTo("1,2,3,4,5,6");
    }

    @Test
    void shouldBringAStoreOfTheLastVersionUpToDateKeepingWhatItHolds() throws SQLException {
        // Given a store file as the previous version left it: migrated up to V2, with a link in it
        store.close();
        Path old = dir.resolve("old.db");
        String oldUrl = "jdbc:sqlite:" + old;
        Flyway.configure().dataSource(oldUrl, null, null).locations(StoreSchema.LOCATION)
                .target(MigrationVersion.fromVersion("2")).load().migrate();
        try (Connection before = DriverManager.getConnection(oldUrl);
             Statement statement = before.createStatement()) {
            statement.executeUpdate("INSERT INTO links (id, flow, webcrm_id, customcrm_id, base, state, created_seq, "
                    + "created_at, updated_at) VALUES ('L-1', 'PRODUCTS', '101', 'c-1', '{}', 'ACTIVE', 1, "
                    + "'2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z')");
        }

        // When this version opens it
        store = SqliteStore.open(oldUrl);

        // Then the held removals' table is added, and the link is still there
        assertThat(store.link("L-1")).map(Link::webcrmId).contains("101");
        assertThat(store.heldRemovals(null)).isEmpty();
        store.holdRemovals(Flow.PRODUCTS, List.of(new HeldRemoval(Flow.PRODUCTS, "L-1", Side.CUSTOMCRM, "c-1",
                "delete webCRM Product 101", Instant.parse("2026-11-02T09:00:00Z"), false)));
        assertThat(store.heldRemovals(Flow.PRODUCTS)).extracting(HeldRemoval::linkId).containsExactly("L-1");
    }

    @Test
    void shouldLetAnotherConnectionReadCommittedDataWhileATransactionIsOpen() {
        // When: another connection reads in the middle of the store's transaction, without waiting for it
        String seenDuring = store.inTransaction(() -> {
            store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));
            try {
                return query("SELECT COUNT(*) FROM links");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        // Then
        assertThat(seenDuring).isEqualTo("0");
        assertThat(store.countLinks(null, null)).isEqualTo(1);
    }

    @Test
    void shouldTellTheCommitObserverOncePerCommitWithTheWritesInvisibleBeforeAndVisibleAfter() {
        // Given the store opened with an observer that, each time it is told, counts the links another
        // connection sees in the file
        List<String> told = new ArrayList<>();
        CommitObserver looking = new CommitObserver() {
            @Override
            public void beforeCommit() {
                told.add("before: " + links());
            }

            @Override
            public void committed() {
                told.add("after: " + links());
            }

            private String links() {
                try {
                    return query("SELECT COUNT(*) FROM links");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        store.close();
        try (SqlStore observed = SqliteStore.open(url(), SqliteStore.DEFAULT_BUSY_TIMEOUT, looking)) {
            // When: one write of its own, one transaction of three writes with a nested one, a read, a rollback
            observed.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));
            observed.inTransaction(() -> {
                observed.saveLink(link("L-2", Flow.ORGANISATIONS, "102", "c-2"));
                observed.inTransaction(() -> {
                    observed.saveLink(link("L-3", Flow.ORGANISATIONS, "103", "c-3"));
                    return null;
                });
                return null;
            });
            observed.countLinks(null, null);
            assertThatThrownBy(() -> observed.inTransaction(() -> {
                observed.saveLink(link("L-4", Flow.ORGANISATIONS, "104", "c-4"));
                throw new IllegalStateException("the work fails");
            })).hasMessage("the work fails");
        } finally {
            store = openStore();
        }

        // Then each commit was told once, before it (writes not yet seen from outside) and after it (seen)
        assertThat(told).containsExactly("before: 0", "after: 1", "before: 1", "after: 3");
    }

    @Test
    void shouldStoreInstantsAsSortableUtcText() throws SQLException {
        // Given
        store.saveLink(link("L-1", Flow.ORGANISATIONS, "101", "c-1"));

        // Then
        assertThat(query("SELECT updated_at FROM links")).isEqualTo("2025-03-01T09:00:00.123456789Z");
        assertThat(query("SELECT base FROM links")).contains("\"price\":{\"d\":\"1234567890.0625\"}");
    }

    @Test
    void shouldRefuseAnInMemoryDatabase() {
        assertThatThrownBy(() -> SqliteStore.open("jdbc:sqlite::memory:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in-memory");
        assertThatThrownBy(() -> SqliteStore.open("jdbc:sqlite:"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqliteStore.open("jdbc:sqlite:file:x?mode=memory&cache=shared"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseAUrlOfAnotherDatabase() {
        assertThatThrownBy(() -> SqliteStore.open("jdbc:postgresql://localhost/crmsync"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:sqlite:");
    }

    @Test
    void shouldSayWhichFileItCannotOpen() {
        // Given
        String url = "jdbc:sqlite:" + dir.resolve("no-such-directory").resolve("crmsync.db");

        // When / Then
        assertThatThrownBy(() -> SqliteStore.open(url))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-directory");
    }
}
