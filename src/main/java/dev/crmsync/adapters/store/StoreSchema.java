package dev.crmsync.adapters.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Brings a database to the store's current schema with Flyway, from the plain-SQL migrations in
 * {@code src/main/resources/db/migration}. The same files serve SQLite and PostgreSQL.
 *
 * <p>This class is threadsafe: it is stateless; Flyway itself serialises concurrent migrations of one database.
 */
final class StoreSchema {

    /**
     * Named explicitly rather than left to Flyway's default, so that other SQL on the classpath (the simulators
     * keep their own under {@code db/}) can never be mistaken for the store's.
     */
    static final String LOCATION = "classpath:db/migration";

    private StoreSchema() {
    }

    /**
     * Applies every migration the database does not have yet.
     *
     * @param dataSource the database
     * @throws org.flywaydb.core.api.FlywayException when a migration fails or the database is newer than this code
     */
    static void migrate(DataSource dataSource) {
        migrate(dataSource, null);
    }

    /**
     * Applies every migration the schema does not have yet, creating the schema first if need be.
     *
     * @param dataSource the database
     * @param schema     the schema the store's tables live in, or null for the connection's own
     * @throws org.flywaydb.core.api.FlywayException when a migration fails or the schema is newer than this code
     */
    static void migrate(DataSource dataSource, String schema) {
        FluentConfiguration flyway = Flyway.configure().dataSource(dataSource).locations(LOCATION);
        if (schema != null) {
            flyway.schemas(schema).createSchemas(true);
        }
        flyway.load().migrate();
    }
}
