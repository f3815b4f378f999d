package dev.crmsync.testing;

import dev.crmsync.adapters.store.StoreAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the store's PostgreSQL tests run against: the database named by {@code CRMSYNC_TEST_POSTGRES_URL}
 * (a JDBC URL with its user and password, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/crmsync_test?user=crmsync&password=…}; {@code .ci/run} creates it and
 * sets it). Each test gets a schema of its own, so tests never see each other's rows and leave nothing behind.
 *
 * <p>Without the variable the tests are skipped with a message that says how to run them, except where
 * {@code CRMSYNC_TEST_POSTGRES_REQUIRED} is set (CI sets it), where a missing database fails them instead: CI must
 * never pass by skipping them.
 */
public final class TestPostgres {

    /** The JDBC URL of a database the tests may create schemas in. */
    public static final String VARIABLE = "CRMSYNC_TEST_POSTGRES_URL";
    /** Set (to anything) where the tests must not be skipped. */
    public static final String REQUIRED = "CRMSYNC_TEST_POSTGRES_REQUIRED";

    private final String schema;
    private final String baseUrl;

    private TestPostgres(String baseUrl, String schema) {
        this.baseUrl = baseUrl;
        this.schema = schema;
    }

    /**
     * Creates an empty schema of its own in the test database.
     *
     * @return the schema; {@link #drop()} it when done
     */
    public static TestPostgres freshSchema() {
        String url = System.getenv(VARIABLE);
        if (url == null || url.isBlank()) {
            String message = "no PostgreSQL for the store's PostgreSQL tests: set " + VARIABLE
                    + "=jdbc:postgresql://HOST:PORT/DATABASE?user=USER&password=PASSWORD (a database the user may "
                    + "create schemas in; .ci/run sets one up)";
            if (System.getenv(REQUIRED) != null) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        String schema = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        TestPostgres postgres = new TestPostgres(url.strip(), schema);
        postgres.execute("CREATE SCHEMA " + schema);
        return postgres;
    }

    /**
     * @return the address of a store in this schema
     */
    public StoreAddress address() {
        return StoreAddress.of(url());
    }

    /**
     * @return a JDBC URL whose connections work in this schema
     */
    public String url() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /**
     * @return the schema's name
     */
    public String schema() {
        return schema;
    }

    /** Drops the schema and the schemas of its connections ({@code <schema>_<name>}), with everything in them. */
    public void dropWithConnections() {
        for (String each : strings("SELECT nspname FROM pg_namespace WHERE nspname LIKE '" + schema + "\\_%'")) {
            execute("DROP SCHEMA IF EXISTS " + each + " CASCADE");
        }
        drop();
    }

    /**
     * Runs a query on the test database and reads the first column of every row as text.
     *
     * @param sql the query; schema-qualified where it reads the test's tables
     * @return the values, in the query's order
     */
    public java.util.List<String> strings(String sql) {
        try (Connection connection = DriverManager.getConnection(baseUrl);
             Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery(sql)) {
            java.util.List<String> out = new java.util.ArrayList<>();
            while (rows.next()) {
                out.add(rows.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("the test PostgreSQL refused " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Drops the schema with everything in it. */
    public void drop() {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /**
     * Runs one statement on the test database, outside the schema.
     *
     * @param sql the statement
     */
    public void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(baseUrl);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("the test PostgreSQL at " + StoreAddress.of(baseUrl).redactedUrl()
                    + " refused " + sql + ": " + e.getMessage(), e);
        }
    }
}
