package dev.crmsync.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Secret;
import dev.crmsync.ports.StaleClaimException;
import dev.crmsync.ports.Store;
import dev.crmsync.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link StoreContractTest} on {@link PostgresStore}, each test in a schema of its own
 * ({@link TestPostgres}), plus what only PostgreSQL has: the lock, the messages that must not show a password, and
 * the backup it leaves to PostgreSQL's tools.
 */
class PostgresStoreTest extends StoreContractTest {

    private TestPostgres postgres;

    @BeforeEach
    @Override
    void openTheStore() {
        postgres = TestPostgres.freshSchema();
        super.openTheStore();
    }

    @AfterEach
    @Override
    void closeTheStore() {
        if (store != null) {
            super.closeTheStore();
        }
        if (postgres != null) {
            postgres.drop();
        }
    }

    @Override
    protected Store openStore() {
        return PostgresStore.open(postgres.address(), CommitObserver.NONE);
    }

    @Test
    void shouldApplyEachMigrationOnceAcrossReopeningInItsOwnSchema() throws SQLException {
        // When
        store.close();
        store = openStore();

        // Then
        try (Connection connection = DriverManager.getConnection(postgres.url());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT version FROM flyway_schema_history "
                     + "WHERE success AND version IS NOT NULL ORDER BY installed_rank")) {
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            assertThat(versions).containsExactly("1", "2", "3", "4", "5", "6");
        }
    }

    @Test
    void shouldKeepWhatItHoldsAcrossReopening() {
        // Given
        store.saveLink(link("L-1", Flow.PRODUCTS, "101", "c-1"));

        // When
        store.close();
        store = openStore();

        // Then
        assertThat(store.link("L-1")).map(Link::customcrmId).contains("c-1");
    }

    @Test
    void shouldLetOneProcessSyncASchemaAtATimeAndAnotherSchemaMeanwhile() {
        // Given
        StoreLock first = StoreLock.acquire(postgres.address());
        TestPostgres other = TestPostgres.freshSchema();
        try {
            // When / Then
            assertThatThrownBy(() -> StoreLock.acquire(postgres.address())).isInstanceOf(StoreBusyException.class)
                    .hasMessageContaining("another crmsync is syncing with this store")
                    .hasMessageContaining("schema " + postgres.schema());
            try (StoreLock elsewhere = StoreLock.acquire(other.address())) {
                assertThat(elsewhere).isNotNull();
            }
            first.close();
            try (StoreLock second = StoreLock.acquire(postgres.address())) {
                assertThat(second).isNotNull();
            }
        } finally {
            first.close();
            other.drop();
        }
    }

    @Test
    void shouldFreeTheLockTheMomentItIsClosedForTheNextProcess() {
        // A closed session's locks outlive it until its server process ends; a sync run right after another (the
        // model test's walks) must never find the lock of a run that has ended.
        for (int run = 0; run < 50; run++) {
            StoreLock.acquire(postgres.address()).close();
        }
        try (StoreLock last = StoreLock.acquire(postgres.address())) {
            assertThat(last).isNotNull();
        }
    }

    @Test
    void shouldSayWhichDatabaseItCannotOpenWithoutShowingThePassword() {
        // Given a password that the database refuses, once in the URL and once apart
        String base = postgres.url().replaceAll("password=[^&]*", "password=Wr0ng-in-url");
        StoreAddress inUrl = StoreAddress.of(base);
        StoreAddress apart = new StoreAddress(base.replaceAll("[?&]password=[^&]*", ""), null,
                new Secret("Wr0ng-apart"));

        // When / Then
        for (StoreAddress address : List.of(inUrl, apart)) {
            assertThatThrownBy(() -> PostgresStore.open(address, CommitObserver.NONE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot open the store at jdbc:postgresql://")
                    .hasMessageNotContaining("Wr0ng");
            assertThatThrownBy(() -> StoreLock.acquire(address)).isInstanceOf(IllegalStateException.class)
                    .hasMessageNotContaining("Wr0ng");
        }
        assertThat(inUrl.toString()).doesNotContain("Wr0ng").contains("password=****");
        assertThat(apart.toString()).doesNotContain("Wr0ng");
    }

    @Test
    void shouldLogNoLineWithThePasswordEvenWhenEveryLibraryLogsEverything() {
        // Given the test database's own password, in the URL, and the pool and migration libraries at their most
        // talkative
        String password = postgres.url().replaceAll(".*[?&]password=([^&]*).*", "$1");
        assertThat(password).as("the test URL carries a password").isNotBlank().isNotEqualTo(postgres.url());
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        List<Logger> talkative = List.of((Logger) LoggerFactory.getLogger("com.zaxxer.hikari"),
                (Logger) LoggerFactory.getLogger("org.flywaydb"), (Logger) LoggerFactory.getLogger("org.jdbi"));
        talkative.forEach(logger -> logger.setLevel(Level.TRACE));
        try {
            // When a store is opened, used, and closed
            store.close();
            store = openStore();
            store.saveLink(link("L-1", Flow.PRODUCTS, "101", "c-1"));
            store.close();
            store = null;
        } finally {
            talkative.forEach(logger -> logger.setLevel(null));
            root.detachAppender(lines);
        }

        // Then the libraries did log, and no line holds the password
        assertThat(lines.list).isNotEmpty();
        assertThat(lines.list).allSatisfy(line -> assertThat(line.getFormattedMessage() + line.getKeyValuePairs())
                .doesNotContain(password));
    }

    @Test
    void shouldGiveAConnectionASchemaOfItsOwnCreatedOnFirstOpenAndLockedApart() {
        // Given the address of connection acme, whose schema does not exist yet
        StoreAddress acme = postgres.address().forConnection("acme");
        assertThat(acme.schema()).contains(postgres.schema() + "_acme");

        // When it is locked and opened
        try (StoreLock lock = StoreLock.acquire(acme);
             SqlStore acmeStore = PostgresStore.open(acme, CommitObserver.NONE)) {
            acmeStore.saveLink(link("L-acme", Flow.PRODUCTS, "101", "c-1"));

            // Then its tables are its own: the base schema's store does not see its link, and its lock is its own
            assertThat(acmeStore.link("L-acme")).isPresent();
            assertThat(store.link("L-acme")).isEmpty();
            assertThatThrownBy(() -> StoreLock.acquire(acme)).isInstanceOf(StoreBusyException.class)
                    .hasMessageContaining("schema " + postgres.schema() + "_acme");
            try (StoreLock base = StoreLock.acquire(postgres.address())) {
                assertThat(base).isNotNull();
            }
        } finally {
            postgres.execute("DROP SCHEMA IF EXISTS " + postgres.schema() + "_acme CASCADE");
        }
    }

    @Test
    void shouldMakeATakeOverWaitForTheStaleNodesTransactionThenRefuseItsNext() throws Exception {
        // Given node A in the middle of a write transaction under epoch 1
        store.fenceWith(store.claim("node-a", T0));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Store nodeB = openStore()) {
            Future<Object> a = threads.submit(() -> store.inTransaction(() -> {
                store.saveLink(link("L-1", Flow.PRODUCTS, "101", "c-1"));
                inside.countDown();
                awaitQuietly(release);
                return null;
            }));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

            // When node B takes the claim over
            Future<Long> b = threads.submit(() -> nodeB.claim("node-b", T0));

            // Then B waits on A's row lock, as PostgreSQL itself reports, until A's transaction ends
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::sessionsWaitingOnALock, n -> n >= 1);
            assertThat(b).isNotDone();
            release.countDown();
            a.get(10, TimeUnit.SECONDS);
            assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(2);
            // A's transaction, begun under its claim, landed; its next one is refused
            assertThat(nodeB.link("L-1")).isPresent();
            assertThatThrownBy(() -> store.saveLink(link("L-2", Flow.PRODUCTS, "102", "c-2")))
                    .isInstanceOf(StaleClaimException.class);
            assertThat(nodeB.link("L-2")).isEmpty();
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    private long sessionsWaitingOnALock() throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.url());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
                     + "WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldLeaveBackupsToPostgresqlsOwnToolsAndSaySo() {
        assertThatThrownBy(() -> store.backupTo("/tmp/never-written.db")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pg_dump");
    }
}
