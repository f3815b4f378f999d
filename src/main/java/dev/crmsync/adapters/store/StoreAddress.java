package dev.crmsync.adapters.store;

import dev.crmsync.model.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the store lives: a JDBC URL, {@code jdbc:sqlite:FILE} (the embedded default) or
 * {@code jdbc:postgresql://HOST[:PORT]/DATABASE}, with the database user and password when they are not in the URL.
 * Its {@link #toString()} and {@link #redactedUrl()} never show a password, whether given apart or in the URL.
 *
 * @param url      the JDBC URL
 * @param user     the database user, or null (then the URL's, if any)
 * @param password the database password, or null (then the URL's, if any)
 */
public record StoreAddress(String url, String user, Secret password) {

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([?&;]password=)[^&;]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("^(jdbc:postgresql://)[^/@]*@");
    private static final Pattern CURRENT_SCHEMA = Pattern.compile("([?&])currentSchema=([^&]*)");

    public StoreAddress {
        Objects.requireNonNull(url, "url");
    }

    /**
     * @param url a JDBC URL that needs no user or password apart
     * @return the address
     */
    public static StoreAddress of(String url) {
        return new StoreAddress(url, null, null);
    }

    /**
     * @return whether the store is a SQLite file
     */
    public boolean isSqlite() {
        return url.startsWith(SqliteStore.URL_PREFIX);
    }

    /**
     * @return whether the store is a PostgreSQL database
     */
    public boolean isPostgres() {
        return url.startsWith(PostgresStore.URL_PREFIX);
    }

    /**
     * The store of one connection of several, kept apart from the others' so that each has its own links, cursors,
     * outbox and dead letters, and adding or removing a connection touches no other's: a file of its own beside a
     * SQLite store ({@code crmsync.db} becomes {@code crmsync-acme.db}), a schema of its own in a PostgreSQL
     * database (the URL's {@code currentSchema}, or {@code crmsync}, then {@code _acme}; created on first open).
     *
     * @param connection the connection's name, {@code [a-z0-9-]+}
     * @return the connection's store
     */
    public StoreAddress forConnection(String connection) {
        if (!connection.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("not a connection name: " + connection);
        }
        if (isSqlite()) {
            String file = url.substring(SqliteStore.URL_PREFIX.length());
            int dot = file.lastIndexOf('.');
            int slash = file.lastIndexOf('/');
            String own = dot > slash + 1 ? file.substring(0, dot) + "-" + connection + file.substring(dot)
                    : file + "-" + connection;
            return new StoreAddress(SqliteStore.URL_PREFIX + own, user, password);
        }
        String base = schema().orElse("crmsync");
        String schema = base + "_" + connection.replace('-', '_');
        int query = url.indexOf('?');
        List<String> parameters = new ArrayList<>(query < 0 ? List.of() : List.of(url.substring(query + 1).split("&")));
        parameters.removeIf(p -> p.isEmpty() || p.startsWith("currentSchema="));
        parameters.add("currentSchema=" + schema);
        return new StoreAddress((query < 0 ? url : url.substring(0, query)) + "?" + String.join("&", parameters),
                user, password);
    }

    /**
     * @return the PostgreSQL schema the URL names with {@code currentSchema}, if any
     */
    public Optional<String> schema() {
        Matcher matcher = CURRENT_SCHEMA.matcher(url);
        return matcher.find() ? Optional.of(matcher.group(2)) : Optional.empty();
    }

    /**
     * @return the URL with any password in it replaced by {@code ****}, for messages and logs
     */
    public String redactedUrl() {
        String withoutQueryPassword = URL_PASSWORD.matcher(url).replaceAll("$1****");
        return URL_USER_INFO.matcher(withoutQueryPassword).replaceAll("$1****@");
    }

    @Override
    public String toString() {
        return redactedUrl() + (user == null ? "" : " as " + user);
    }
}
