package dev.crmsync.app.simulate.webcrm;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The three webCRM record kinds the simulator serves, with the names webCRM derives from them: the collection in
 * the URL ({@code /Organisations}), the table in {@code /Queries} ({@code Organisation}) and the prefix of every
 * DTO property ({@code OrganisationName}).
 *
 * <p>This enum is threadsafe.
 */
public enum WebcrmEntity {
    ORGANISATION("Organisation", "Organisations"),
    PERSON("Person", "Persons"),
    PRODUCT("Product", "Products");

    private final String singular;
    private final String plural;

    WebcrmEntity(String singular, String plural) {
        this.singular = singular;
        this.plural = plural;
    }

    /**
     * @return the singular name, which is both the {@code /Queries} table and the property prefix
     */
    public String singular() {
        return singular;
    }

    /**
     * @return the collection name used in URLs
     */
    public String plural() {
        return plural;
    }

    /**
     * @param suffix the part after the prefix, e.g. {@code "UpdatedAt"}
     * @return the property name, e.g. {@code "PersonUpdatedAt"}
     */
    public String field(String suffix) {
        return singular + suffix;
    }

    /**
     * @return the name of the id property, e.g. {@code "ProductId"}
     */
    public String idField() {
        return field("Id");
    }

    /**
     * Finds an entity by its {@code /Queries} table name; webCRM accepts any letter case there ({@code person}).
     *
     * @param table the table name as written in a script
     * @return the entity, or empty when no entity has that table name
     */
    public static Optional<WebcrmEntity> fromTable(String table) {
        String wanted = table.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.singular.toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }
}
