package dev.crmsync.adapters.store;

import dev.crmsync.model.Secret;
import java.util.Objects;
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
