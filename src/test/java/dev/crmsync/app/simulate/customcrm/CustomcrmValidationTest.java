package dev.crmsync.app.simulate.customcrm;

import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.body;
import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CustomcrmValidationTest {

    private CustomcrmSimulator sim;
    private CustomcrmTestClient client;

    @BeforeEach
    void start() {
        sim = CustomcrmSimulator.builder().apiKey("K").build().start("127.0.0.1", 0);
        client = new CustomcrmTestClient(sim);
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    @Test
    void shouldRefuseARequestWithoutTheRightApiKey() {
        // When
        HttpResponse<String> missing = client.withKey(null).get("/customers");
        HttpResponse<String> wrong = client.withKey("not-K").get("/customers");

        // Then
        for (HttpResponse<String> refused : List.of(missing, wrong)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"customcrm\"");
            assertThat(json(refused).path("type").asString()).isEqualTo("tag:crmsync.dev,2025:customcrm/unauthorized");
            assertThat(json(refused).path("status").asInt()).isEqualTo(401);
        }
        assertThat(wrong.body()).doesNotContain("not-K");
    }

    @Test
    void shouldRefuseTheRevokedKeyAfterTheGivenWritesUntilReinstated() {
        // Given a revocation after one more write, queued over HTTP
        HttpResponse<String> queued = client.send("POST", "/_sim/revoke", body("{'afterWrites':1}"),
                "application/json");

        // When
        HttpResponse<String> read = client.get("/customers");
        HttpResponse<String> lastWrite = client.post("/customers", body("{'name':'Acme'}"));
        HttpResponse<String> refusedWrite = client.post("/customers", body("{'name':'Bolt'}"));
        HttpResponse<String> refusedRead = client.get("/customers");

        // Then
        assertThat(queued.statusCode()).isEqualTo(200);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(lastWrite.statusCode()).isEqualTo(201);
        for (HttpResponse<String> refused : List.of(refusedWrite, refusedRead)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(json(refused).path("detail").asString()).isEqualTo("the API key was revoked");
        }
        assertThat(sim.count(RecordType.CUSTOMER)).isEqualTo(1);

        // When reinstated
        sim.revocation().reinstate();

        // Then
        assertThat(client.get("/customers").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRequireACustomerNameOfAtMost200Characters() {
        // When
        HttpResponse<String> missing = client.post("/customers", body("{'vat_number':'DK1'}"));
        HttpResponse<String> blank = client.post("/customers", body("{'name':'  '}"));
        HttpResponse<String> tooLong = client.post("/customers", body("{'name':'" + "x".repeat(201) + "'}"));
        HttpResponse<String> longest = client.post("/customers", body("{'name':'" + "x".repeat(200) + "'}"));

        // Then
        assertThat(errors(missing)).containsExactly("name: is required");
        assertThat(errors(blank)).containsExactly("name: must not be blank");
        assertThat(errors(tooLong)).containsExactly("name: must be at most 200 characters");
        assertThat(longest.statusCode()).isEqualTo(201);
    }

    @Test
    void shouldRefuseACountryCodeThatIsNotAnIsoCode() {
        for (String code : new String[] {"Denmark", "dk", "XX"}) {
            // When
            HttpResponse<String> answer = client.post("/customers",
                    body("{'name':'Acme','address':{'country_code':'" + code + "'}}"));

            // Then
            assertThat(answer.statusCode()).isEqualTo(422);
            assertThat(json(answer).path("type").asString()).endsWith("/validation-failed");
            assertThat(errors(answer)).containsExactly(
                    "address.country_code: must be an ISO 3166-1 alpha-2 country code, such as DK");
        }
    }

    @Test
    void shouldListEveryInvalidFieldOfAContactAtOnce() {
        // When
        HttpResponse<String> answer = client.post("/contacts", body("{'customer_id':'cus_404','email':'jensen(at)acme',"
                + "'status':'Active','birthday':'1980-02-30','external_ids':{'web crm':'1'}}"));

        // Then
        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(errors(answer)).containsExactlyInAnyOrder(
                "email: must be an e-mail address",
                "status: must be one of active, resigned, other, guest",
                "birthday: must be a date, YYYY-MM-DD",
                "external_ids.web crm: key must be 1 to 64 of A-Z a-z 0-9 _ . -",
                "customer_id: no customer has the id cus_404");
    }

    @Test
    void shouldRefuseAReferenceToADeletedRecordAndNumbersSentAsText() {
        // Given
        String customer = client.create("/customers", body("{'name':'Acme'}")).path("id").asString();
        client.delete("/customers/" + customer);

        // When
        HttpResponse<String> answer = client.post("/products",
                body("{'customer_id':'" + customer + "','price':'12.50','year':2024.5}"));

        // Then
        assertThat(errors(answer)).containsExactlyInAnyOrder(
                "customer_id: customer " + customer + " was deleted",
                "price: must be a number",
                "year: must be a whole number");
    }

    @Test
    void shouldRefuseAProductWhoseContactWorksForAnotherCustomer() {
        // Given two customers, a contact of the second, and a product rightly held by the second
        String first = client.create("/customers", body("{'name':'Acme'}")).path("id").asString();
        String second = client.create("/customers", body("{'name':'Bolt'}")).path("id").asString();
        String contact = client.create("/contacts", body("{'customer_id':'" + second + "','last_name':'Berg'}"))
                .path("id").asString();
        String held = client.create("/products", body("{'customer_id':'" + second + "','contact_id':'" + contact
                + "','name':'Lift'}")).path("id").asString();

        // When a product of the first customer names the second's contact, on create and by a patch
        HttpResponse<String> created = client.post("/products", body("{'customer_id':'" + first + "','contact_id':'"
                + contact + "','name':'Crane'}"));
        HttpResponse<String> moved = client.patch("/products/" + held, body("{'customer_id':'" + first + "'}"));

        // Then both are refused, naming the contact's own customer
        String why = "contact_id: contact " + contact + " works for customer " + second + ", not for " + first;
        assertThat(created.statusCode()).isEqualTo(422);
        assertThat(errors(created)).containsExactly(why);
        assertThat(errors(moved)).containsExactly(why);
        assertThat(sim.count(RecordType.PRODUCT)).isEqualTo(1);

        // When the contact moves to the first customer, as a contact may
        client.patch("/contacts/" + contact, body("{'customer_id':'" + first + "'}"));

        // Then the product it holds stays writable, and follows it when asked to
        assertThat(client.patch("/products/" + held, body("{'price':10}")).statusCode()).isEqualTo(200);
        assertThat(client.patch("/products/" + held, body("{'customer_id':'" + first + "'}")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void shouldKeepDecimalsExactly() {
        // When
        JsonNode product = client.create("/products", body("{'name':'Forklift','price':1234.10,'quantity':3}"));

        // Then
        assertThat(product.path("price").decimalValue()).isEqualByComparingTo("1234.10");
        assertThat(product.path("quantity").asInt()).isEqualTo(3);
    }

    @Test
    void shouldAnswerABodyItCannotReadWithAProblem() {
        // When
        HttpResponse<String> notJson = client.post("/customers", "{name:");
        HttpResponse<String> notAnObject = client.post("/customers", "[1,2]");
        HttpResponse<String> wrongType = client.send("POST", "/customers", "name=Acme",
                "application/x-www-form-urlencoded");
        HttpResponse<String> badIfMatch = client.patch("/customers/cus_1", "{}", "If-Match", "yesterday");
        HttpResponse<String> unknownRoute = client.get("/invoices");

        // Then
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notAnObject.statusCode()).isEqualTo(400);
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(badIfMatch.statusCode()).isEqualTo(400);
        assertThat(unknownRoute.statusCode()).isEqualTo(404);
        assertThat(unknownRoute.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
    }

    @Test
    void shouldAcceptAPatchSentAsPlainJson() {
        // Given
        String id = client.create("/customers", body("{'name':'Acme'}")).path("id").asString();

        // When
        HttpResponse<String> patched = client.send("PATCH", "/customers/" + id, body("{'phone':'+45 1'}"),
                "application/json; charset=utf-8");

        // Then
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(json(patched).path("phone").asString()).isEqualTo("+45 1");
    }

    private static List<String> errors(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        return json(answer).path("errors").valueStream()
                .map(e -> e.path("field").asString() + ": " + e.path("message").asString()).toList();
    }
}
