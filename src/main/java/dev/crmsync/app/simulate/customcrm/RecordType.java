package dev.crmsync.app.simulate.customcrm;

import java.util.List;
import java.util.Optional;

/**
 * The three record types of the Customcrm contract, in dependency order: a contact refers to a customer, a product
 * to a customer and a contact.
 *
 * <p>This type is threadsafe: its constants are immutable.
 */
public enum RecordType {

    /** A company; webCRM Organisations map here. */
    CUSTOMER("customers", "customer", "cus_", "customer_id"),
    /** A person at a customer; webCRM Persons map here. */
    CONTACT("contacts", "contact", "con_", "contact_id"),
    /** An item a customer (and optionally a contact) holds; webCRM Products map here. */
    PRODUCT("products", "product", "prd_", null);

    private final String path;
    private final String singular;
    private final String idPrefix;
    private final String referenceField;

    RecordType(String path, String singular, String idPrefix, String referenceField) {
        this.path = path;
        this.singular = singular;
        this.idPrefix = idPrefix;
        this.referenceField = referenceField;
    }

    /**
     * @return the collection's path segment, {@code customers}
     */
    public String path() {
        return path;
    }

    /**
     * @param path a collection's path segment, as {@link #path()} gives it
     * @return the type with that path
     * @throws IllegalArgumentException when no type has that path
     */
    static RecordType fromPath(String path) {
        for (RecordType type : values()) {
            if (type.path.equals(path)) {
                return type;
            }
        }
        throw new IllegalArgumentException("no record type has the path " + path);
    }

    /**
     * @return the type's name in messages, {@code customer}
     */
    public String singular() {
        return singular;
    }

    /**
     * @return what a new id starts with, {@code cus_}; the prefix makes an id pasted into the wrong collection
     *         easy to spot in a log
     */
    String idPrefix() {
        return idPrefix;
    }

    /**
     * @return the field other records use to refer to this type, {@code customer_id}; empty when nothing refers
     *         to it
     */
    Optional<String> referenceField() {
        return Optional.ofNullable(referenceField);
    }

    /**
     * @return the types this type refers to, each through that type's {@link #referenceField()}
     */
    List<RecordType> referencedTypes() {
        return switch (this) {
            case CUSTOMER -> List.of();
            case CONTACT -> List.of(CUSTOMER);
            case PRODUCT -> List.of(CUSTOMER, CONTACT);
        };
    }
}
