package dev.crmsync.app.simulate.customcrm;

import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.body;
import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SeedWorld;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class CustomcrmPersistenceTest {

    private static final SeedPlan SMALL_PLAN = new SeedPlan(40, 3, 5, 4);

    @TempDir
    Path dir;

    @Test
    void shouldKeepRecordsCursorsAndIdsAcrossARestartOnTheSameFile() {
        // Given a server that held a customer and handed out a cursor, then stopped
        Path file = dir.resolve("customcrm.db");
        String id;
        String cursor;
        try (CustomcrmSimulator first = simulator(file, null)) {
            CustomcrmTestClient client = new CustomcrmTestClient(first);
            id = client.create("/customers", body("{'name':'Acme','external_ids':{'webcrm':'17'}}"))
                    .path("id").asString();
            cursor = json(client.get("/customers")).path("next").asString();
        }

        // When a new server starts on the same file and the customer is changed and another created
        try (CustomcrmSimulator second = simulator(file, null)) {
            CustomcrmTestClient client = new CustomcrmTestClient(second);
            JsonNode changed = json(client.patch("/customers/" + id, body("{'phone':'+45 1'}")));
            String newer = client.create("/customers", body("{'name':'Beta'}")).path("id").asString();
            JsonNode later = json(client.get("/customers?since=" + cursor));

            // Then
            assertThat(changed.path("version").asInt()).isEqualTo(2);
            assertThat(changed.path("name").asString()).isEqualTo("Acme");
            assertThat(json(client.get("/customers/by-external-id/webcrm/17")).path("id").asString()).isEqualTo(id);
            assertThat(newer).isEqualTo("cus_2");
            assertThat(later.path("items").valueStream().map(i -> i.path("id").asString()))
                    .containsExactly(id, newer);
        }
    }

    @Test
    void shouldSeedOnlyAnEmptyDatabase() {
        // Given a seeded database from which the customer's users deleted a product
        Path file = dir.resolve("customcrm.db");
        try (CustomcrmSimulator first = simulator(file, SMALL_PLAN)) {
            first.deleteAsUser(RecordType.PRODUCT, "prd_1");
        }

        // When started again with the same seed plan
        try (CustomcrmSimulator second = simulator(file, SMALL_PLAN)) {
            CustomcrmTestClient client = new CustomcrmTestClient(second);

            // Then nothing was seeded twice and the delete stands
            assertThat(json(client.get("/customers")).path("items")).hasSize(3);
            assertThat(json(client.get("/contacts")).path("items")).hasSize(5);
            assertThat(json(client.get("/products")).path("items")).hasSize(4);
            assertThat(client.get("/products/prd_1").statusCode()).isEqualTo(410);
        }
    }

    @Test
    void shouldSeedCustomersContactsAndProductsFromTheSeedWorld() {
        // Given
        SeedWorld world = new SeedWorld(7);
        SeedWorld.Company company = world.company(40);
        List<SeedWorld.Person> people = SMALL_PLAN.people(world);
        List<SeedWorld.Product> products = SMALL_PLAN.products(world);

        // When
        try (CustomcrmSimulator sim = CustomcrmSimulator.builder().apiKey("K").seed(7).seedPlan(SMALL_PLAN).build()
                .start("127.0.0.1", 0)) {
            CustomcrmTestClient client = new CustomcrmTestClient(sim);
            JsonNode customer = json(client.get("/customers/cus_1"));
            JsonNode contact = json(client.get("/contacts/con_1"));
            JsonNode product = json(client.get("/products/prd_1"));

            // Then
            assertThat(customer.path("name").asString()).isEqualTo(company.name());
            assertThat(customer.path("vat_number").asString()).isEqualTo(company.vatNumber());
            assertThat(customer.path("address").path("country_code").asString()).isEqualTo(company.countryCode());
            assertThat(customer.path("type").asString()).isEqualTo(company.type().toLowerCase().replace(' ', '_'));
            assertThat(customer.path("status").asString()).isEqualTo(company.status().toLowerCase().replace(' ', '_'));
            assertThat(contact.path("email").asString()).isEqualTo(people.getFirst().email());
            assertThat(contact.path("status").asString()).isEqualTo(people.getFirst().status().toLowerCase());
            assertThat(contact.path("customer_id").asString()).isEqualTo("cus_1");
            assertThat(product.path("customer_id").asString()).isEqualTo("cus_1");
            assertThat(product.path("price").decimalValue()).isEqualByComparingTo(products.getFirst().price());
            assertThat(product.has("contact_id")).isEqualTo(products.getFirst().personNumber() >= 0);
        }
    }

    private static CustomcrmSimulator simulator(Path file, SeedPlan plan) {
        return CustomcrmSimulator.builder().apiKey("K").database(file).seedPlan(plan).build().start("127.0.0.1", 0);
    }
}
