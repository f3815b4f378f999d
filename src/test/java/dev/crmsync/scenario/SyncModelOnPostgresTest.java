package dev.crmsync.scenario;

/**
 * The {@link SyncModelTest}'s walks, crashes and checks with the store on PostgreSQL: the same seeds
 * ({@code -Dcrmsync.model.seed}/{@code seeds} work here too), each in a schema of its own.
 */
class SyncModelOnPostgresTest extends SyncModelTest {

    @Override
    SyncHarness newHarness(String yaml) {
        return SyncHarness.emptyOnPostgres(yaml);
    }
}
