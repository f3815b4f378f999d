package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SeedWorld;
import dev.crmsync.app.simulate.SimulatorJson;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills a fresh tenant with the companies, people and products of a {@link SeedPlan}, mapped to webCRM DTOs the
 * way a webCRM user would have typed them in: a country as its English name, the customer number in
 * {@code OrganisationCustom1}, a product's name in {@code ProductCustom1} (see {@link WebcrmFieldsMetadata}).
 *
 * <p>Created and updated stamps are spread over the year before the clock's present: created stamps rise with the
 * id, as they do in a real tenant, and each record was last updated some time between its creation and now. The
 * spread is a pure function of the seed and the present, so a run with a fixed clock is reproducible.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class WebcrmSeeder {

    private static final Duration HISTORY = Duration.ofDays(365);

    private WebcrmSeeder() {
    }

    /**
     * @param records an empty tenant
     * @param plan    what to seed
     * @param seed    the world's seed, also used to spread the stamps
     * @param now     the present, in Copenhagen local time
     * @param author  who the stamps say created the records
     */
    static void seed(WebcrmRecords records, SeedPlan plan, long seed, LocalDateTime now, String author) {
        SeedWorld world = new SeedWorld(seed);
        Map<Integer, Integer> organisationIds = new HashMap<>();
        Map<String, Integer> personIds = new HashMap<>();
        History history = new History(seed, now, author, records);
        history.insert(WebcrmEntity.ORGANISATION, plan.companies(world), WebcrmSeeder::organisation,
                (company, id) -> organisationIds.put(company.index(), id));
        history.insert(WebcrmEntity.PERSON, plan.people(world),
                person -> person(person, organisationIds.get(person.companyIndex())),
                (person, id) -> personIds.put(person.companyIndex() + "/" + person.number(), id));
        history.insert(WebcrmEntity.PRODUCT, plan.products(world),
                product -> product(product, organisationIds.get(product.companyIndex()),
                        personIds.get(product.companyIndex() + "/" + product.personNumber())),
                (product, id) -> { });
    }

    private static ObjectNode organisation(SeedWorld.Company company) {
        ObjectNode dto = SimulatorJson.mapper().createObjectNode();
        dto.put("OrganisationName", company.name());
        dto.put("OrganisationVatNumber", company.vatNumber());
        dto.put("OrganisationVatCountry", company.countryCode());
        dto.put("OrganisationAddress", company.street());
        dto.put("OrganisationPostCode", company.postalCode());
        dto.put("OrganisationCity", company.city());
        dto.put("OrganisationState", company.state());
        dto.put("OrganisationCountry", Locale.of("", company.countryCode()).getDisplayCountry(Locale.ENGLISH));
        dto.put("OrganisationTelephone", company.phone());
        dto.put("OrganisationWww", company.website());
        dto.put("OrganisationDomain", company.domain());
        dto.put("OrganisationIndustry", company.industry());
        dto.put("OrganisationType", company.type());
        dto.put("OrganisationStatus", company.status());
        dto.put("OrganisationComment", company.notes());
        dto.put("OrganisationCustom1", String.format(Locale.ROOT, "C%05d", 10_000 + company.index()));
        return dto;
    }

    private static ObjectNode person(SeedWorld.Person person, int organisationId) {
        ObjectNode dto = SimulatorJson.mapper().createObjectNode();
        dto.put("PersonOrganisationId", organisationId);
        dto.put("PersonFirstName", person.firstName());
        dto.put("PersonMiddleName", person.middleName());
        dto.put("PersonLastName", person.lastName());
        dto.put("PersonEmail", person.email());
        dto.put("PersonEmail2", person.secondaryEmail());
        dto.put("PersonDirectPhone", person.directPhone());
        dto.put("PersonMobilePhone", person.mobilePhone());
        dto.put("PersonTitle", person.title());
        dto.put("PersonSalutation", person.salutation());
        dto.put("PersonStatus", person.status());
        dto.put("PersonBirthday", person.birthday() == null ? null
                : WebcrmTimestamps.format(person.birthday().atStartOfDay()));
        dto.put("PersonComment", person.notes());
        return dto;
    }

    private static ObjectNode product(SeedWorld.Product product, int organisationId, Integer personId) {
        ObjectNode dto = SimulatorJson.mapper().createObjectNode();
        dto.put("ProductOrganisationId", organisationId);
        dto.put("ProductPersonId", personId);
        dto.put("ProductCustom1", product.name());
        dto.put("ProductComment", product.description());
        dto.put("ProductPrice", product.price().doubleValue());
        dto.put("ProductListPrice", product.listPrice().doubleValue());
        dto.put("ProductCostPrice", product.costPrice().doubleValue());
        dto.put("ProductDiscount", product.discountPercent().doubleValue());
        dto.put("ProductQuantity", product.quantity().doubleValue());
        dto.put("ProductVatCode", product.vatCode());
        dto.put("ProductProductYear", product.year());
        dto.put("ProductStockStatus", product.stockStatus());
        return dto;
    }

    /** Inserts one entity's records with stamps spread over the past year. */
    private record History(long seed, LocalDateTime now, String author, WebcrmRecords records) {

        <T> void insert(WebcrmEntity entity, List<T> items, Function<T, ObjectNode> toDto,
                        BiConsumer<T, Integer> onInserted) {
            SplittableRandom random = new SplittableRandom(seed * 31 + entity.ordinal());
            long slot = HISTORY.toSeconds() / Math.max(1, items.size());
            LocalDateTime start = now.minus(HISTORY);
            for (int i = 0; i < items.size(); i++) {
                LocalDateTime createdAt = start.plusSeconds(i * slot + random.nextLong(Math.max(1, slot)));
                long sinceCreated = Duration.between(createdAt, now).toSeconds();
                LocalDateTime updatedAt = createdAt.plusSeconds(random.nextLong(Math.max(1, sinceCreated)));
                T item = items.get(i);
                onInserted.accept(item, records.createWithHistory(entity, toDto.apply(item), createdAt, updatedAt,
                        author));
            }
        }
    }
}
