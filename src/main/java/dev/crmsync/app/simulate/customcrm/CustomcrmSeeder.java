package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SeedWorld;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills an empty reference server with the {@link SeedWorld}'s companies, people and products, as Customcrm holds
 * them: customers, contacts and products that refer to each other. Seeding goes through the same creates as the
 * API, so the seeded records are valid and are the first changes of every feed.
 *
 * <p>Customer {@code type} and {@code status} are written in lower snake case ({@code "A customer"} becomes
 * {@code "a_customer"}), unlike webCRM's display values, so that a sync must really apply its value map.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class CustomcrmSeeder {

    private CustomcrmSeeder() {
    }

    /**
     * @param records where to create the records; should be empty
     * @param world   the world to take them from
     * @param plan    which of its records to take
     */
    static void seed(CustomcrmRecords records, SeedWorld world, SeedPlan plan) {
        Map<Integer, String> customerIds = new HashMap<>();
        for (SeedWorld.Company company : plan.companies(world)) {
            customerIds.put(company.index(), idOf(records.create(RecordType.CUSTOMER, customer(company), null)));
        }
        Map<String, String> contactIds = new HashMap<>();
        for (SeedWorld.Person person : plan.people(world)) {
            ObjectNode contact = contact(person, customerIds.get(person.companyIndex()));
            contactIds.put(personKey(person.companyIndex(), person.number()),
                    idOf(records.create(RecordType.CONTACT, contact, null)));
        }
        for (SeedWorld.Product product : plan.products(world)) {
            String contactId = product.personNumber() < 0 ? null
                    : contactIds.get(personKey(product.companyIndex(), product.personNumber()));
            records.create(RecordType.PRODUCT, product(product, customerIds.get(product.companyIndex()), contactId),
                    null);
        }
    }

    private static ObjectNode customer(SeedWorld.Company c) {
        ObjectNode customer = CustomcrmJson.MAPPER.createObjectNode();
        customer.put("name", c.name());
        customer.put("vat_number", c.vatNumber());
        ObjectNode address = customer.putObject("address");
        address.put("street", c.street());
        address.put("postal_code", c.postalCode());
        address.put("city", c.city());
        address.put("state", c.state());
        address.put("country_code", c.countryCode());
        customer.put("phone", c.phone());
        customer.put("website", c.website());
        customer.put("domain", c.domain());
        customer.put("industry", c.industry());
        customer.put("type", snakeCase(c.type()));
        customer.put("status", snakeCase(c.status()));
        customer.put("notes", c.notes());
        return customer;
    }

    private static ObjectNode contact(SeedWorld.Person p, String customerId) {
        ObjectNode contact = CustomcrmJson.MAPPER.createObjectNode();
        contact.put("customer_id", customerId);
        contact.put("first_name", p.firstName());
        contact.put("middle_name", p.middleName());
        contact.put("last_name", p.lastName());
        contact.put("email", p.email());
        contact.put("secondary_email", p.secondaryEmail());
        contact.put("phone", p.directPhone());
        contact.put("mobile", p.mobilePhone());
        contact.put("job_title", p.title());
        contact.put("salutation", p.salutation());
        contact.put("status", p.status().toLowerCase(Locale.ROOT));
        contact.put("birthday", p.birthday() == null ? null : p.birthday().toString());
        contact.put("notes", p.notes());
        return contact;
    }

    private static ObjectNode product(SeedWorld.Product p, String customerId, String contactId) {
        ObjectNode product = CustomcrmJson.MAPPER.createObjectNode();
        product.put("name", p.name());
        product.put("description", p.description());
        product.put("price", p.price());
        product.put("list_price", p.listPrice());
        product.put("cost_price", p.costPrice());
        product.put("discount_percent", p.discountPercent());
        product.put("quantity", p.quantity());
        product.put("vat_code", p.vatCode());
        product.put("year", p.year());
        product.put("stock_status", p.stockStatus());
        product.put("customer_id", customerId);
        product.put("contact_id", contactId);
        return product;
    }

    private static String snakeCase(String value) {
        return value.toLowerCase(Locale.ROOT).replace(' ', '_');
    }

    private static String personKey(int companyIndex, int number) {
        return companyIndex + "/" + number;
    }

    private static String idOf(ObjectNode record) {
        return record.path("id").asString();
    }
}
