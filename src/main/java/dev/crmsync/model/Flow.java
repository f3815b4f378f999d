package dev.crmsync.model;

import java.util.List;
import java.util.Locale;

/**
 * A pair of record types kept in sync. The order of the constants is the dependency order of writes: a contact
 * points at its customer, a product at its customer and contact, so parents are written first.
 */
public enum Flow {
    /** webCRM Organisations and Customcrm Customers. */
    ORGANISATIONS("Organisation", "Organisations", "customers", "Customer"),
    /** webCRM Persons and Customcrm Contacts. */
    PERSONS("Person", "Persons", "contacts", "Contact"),
    /** webCRM Products and Customcrm Products. */
    PRODUCTS("Product", "Products", "products", "Product");

    private final String webcrmEntity;
    private final String webcrmCollection;
    private final String customcrmCollection;
    private final String customcrmEntity;

    Flow(String webcrmEntity, String webcrmCollection, String customcrmCollection, String customcrmEntity) {
        this.webcrmEntity = webcrmEntity;
        this.webcrmCollection = webcrmCollection;
        this.customcrmCollection = customcrmCollection;
        this.customcrmEntity = customcrmEntity;
    }

    /**
     * @return webCRM's singular entity name, also its table name in {@code /Queries} and its property prefix
     */
    public String webcrmEntity() {
        return webcrmEntity;
    }

    /**
     * @return webCRM's collection path segment, e.g. {@code Organisations}
     */
    public String webcrmCollection() {
        return webcrmCollection;
    }

    /**
     * @return Customcrm's collection path segment, e.g. {@code customers}
     */
    public String customcrmCollection() {
        return customcrmCollection;
    }

    /**
     * @return Customcrm's singular entity name as people write it
     */
    public String customcrmEntity() {
        return customcrmEntity;
    }

    /**
     * @param side a system
     * @return how that system names one record of this flow
     */
    public String entityOn(Side side) {
        return side == Side.WEBCRM ? webcrmEntity : customcrmEntity;
    }

    /**
     * @return the name used in configuration and on the command line, e.g. {@code organisations}
     */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a flow's configuration name, any case
     * @return the flow
     * @throws IllegalArgumentException naming the accepted values when there is no such flow
     */
    public static Flow fromConfigName(String name) {
        for (Flow flow : values()) {
            if (flow.configName().equalsIgnoreCase(name.trim())) {
                return flow;
            }
        }
        throw new IllegalArgumentException("unknown flow '" + name + "': expected one of organisations, persons, products");
    }

    /**
     * @return the flows whose records this flow's records point at
     */
    public List<Flow> parents() {
        return switch (this) {
            case ORGANISATIONS -> List.of();
            case PERSONS -> List.of(ORGANISATIONS);
            case PRODUCTS -> List.of(ORGANISATIONS, PERSONS);
        };
    }
}
