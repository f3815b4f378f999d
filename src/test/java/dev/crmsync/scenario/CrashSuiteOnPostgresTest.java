package dev.crmsync.scenario;

import dev.crmsync.scenario.CrashWorld.Phase;

/**
 * The {@link CrashSuiteTest} with the store on PostgreSQL: the same points (the same flags choose them), the
 * process killed the same way, here with its database session cut off mid-transaction, and the same checks.
 */
class CrashSuiteOnPostgresTest extends CrashSuiteTest {

    @Override
    CrashWorld world(Phase phase) {
        return CrashWorld.beforeOnPostgres(phase);
    }
}
