package dev.crmsync.app.simulate.customcrm;

import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.body;
import static dev.crmsync.app.simulate.customcrm.CustomcrmTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.testing.MutableClock;
import dev.crmsync.testing.OpenApiContract;
import io.swagger.v3.oas.models.tags.Tag;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Holds the reference server to its own published contract: every request of a representative session and every
 * answer to it, error answers included, is checked against {@code contracts/customcrm-openapi.yaml}. Requests
 * that break the contract on purpose must be reported for the rule they break, so the document and the server are
 * shown to agree on that rule too.
 */
class CustomcrmContractTest {

    /** One exchange, and a text found in the violation its request was meant to carry (null for a valid request). */
    private record Checked(CustomcrmTestClient.Exchange exchange, String expectedRequestViolation) {
    }

    private static final OpenApiInteractionValidator VALIDATOR = OpenApiContract.validator(OpenApiContract.CUSTOMCRM);

    private final List<Checked> checked = new ArrayList<>();
    private final List<CustomcrmSimulator> sims = new ArrayList<>();
    private String expectedViolation;

    @BeforeEach
    void clearSession() {
        checked.clear();
    }

    @AfterEach
    void stop() {
        sims.forEach(CustomcrmSimulator::stop);
    }

    @Test
    void shouldHoldEveryExchangeOfASessionToTheContract() {
        // Given
        CustomcrmSimulator sim = start(CustomcrmSimulator.builder().seedPlan(new SeedPlan(0, 2, 3, 2)));
        CustomcrmTestClient client = recording(sim);

        // When a client reads, writes and meets every error answer
        readEverything(client);
        writeEverything(client);
        meetEveryError(client, sim);
        meetTheRateLimit(recording(start(CustomcrmSimulator.builder().rateLimit(1, Duration.ofMinutes(1)))));

        // Then every status the contract names was met, and every exchange conforms
        assertThat(checked).extracting(c -> c.exchange().response().statusCode())
                .contains(200, 201, 204, 400, 401, 404, 409, 410, 412, 413, 415, 422, 429, 500, 503);
        for (Checked c : checked) {
            ValidationReport answer = VALIDATOR.validateResponse(c.exchange().request().uri().getRawPath(),
                    Request.Method.valueOf(c.exchange().request().method()), response(c.exchange().response()));
            assertThat(errors(answer)).as("answer to %s", describe(c)).isEmpty();
            List<String> requestViolations = errors(VALIDATOR.validateRequest(request(c.exchange())));
            if (c.expectedRequestViolation() == null) {
                assertThat(requestViolations).as("request %s", describe(c)).isEmpty();
            } else {
                assertThat(requestViolations).as("request %s", describe(c))
                        .anySatisfy(v -> assertThat(v).contains(c.expectedRequestViolation()));
            }
        }
    }

    @Test
    void shouldReportAnAnswerThatBreaksTheContract() {
        // Given a real answer, then the same answer broken in three ways
        CustomcrmSimulator sim = start(CustomcrmSimulator.builder().seedPlan(new SeedPlan(0, 1, 0, 0)));
        HttpResponse<String> real = recording(sim).get("/customers/cus_1");
        ObjectNode broken = (ObjectNode) json(real);
        broken.remove("version");
        broken.put("vat_number", 5);
        broken.withObject("address").put("country_code", "Denmark");

        // When
        ValidationReport good = VALIDATOR.validateResponse("/customers/cus_1", Request.Method.GET, response(real));
        ValidationReport bad = VALIDATOR.validateResponse("/customers/cus_1", Request.Method.GET,
                SimpleResponse.Builder.ok().withContentType("application/json").withHeader("ETag", "\"1\"")
                        .withBody(broken.toString()).build());

        // Then
        assertThat(errors(good)).isEmpty();
        assertThat(bad.getMessages()).extracting(m -> m.getMessage()).anySatisfy(m -> assertThat(m)
                        .contains("missing required properties", "version"))
                .anySatisfy(m -> assertThat(m).contains("/vat_number", "integer"))
                .anySatisfy(m -> assertThat(m).contains("/address/country_code", "Denmark"));
    }

    private void readEverything(CustomcrmTestClient client) {
        client.withKey(null).get("/openapi.yaml");
        for (String type : List.of("customers", "contacts", "products")) {
            String next = json(client.get("/" + type + "?limit=2")).path("next").asString();
            client.get("/" + type + "?since=" + next + "&limit=1000");
            client.get("/" + type + "/" + json(client.get("/" + type)).path("items").get(0).path("id").asString());
        }
    }

    private void writeEverything(CustomcrmTestClient client) {
        String cursor = json(client.get("/customers?limit=1000")).path("next").asString();
        String customer = json(client.post("/customers", body("{'name':'Contract A/S','vat_number':'DK11223344',"
                + "'address':{'street':'Havnegade 1','postal_code':'8000','city':'Aarhus C','state':'Midtjylland',"
                + "'country_code':'DK'},'phone':'+45 12','website':'https://contract.dk','domain':'contract.dk',"
                + "'industry':'Software','type':'customer','status':'a_customer','notes':'n',"
                + "'external_ids':{'crmsync':'L-1','webcrm':'101'}}"), "Idempotency-Key", "k-1")).path("id").asString();
        client.post("/customers", body("{'name':'Replayed'}"), "Idempotency-Key", "k-2");
        client.post("/customers", body("{'name':'Replayed'}"), "Idempotency-Key", "k-2");
        String contact = json(client.post("/contacts", body("{'customer_id':'" + customer + "','first_name':'Mette',"
                + "'middle_name':'Marie','last_name':'Jensen','email':'mette@contract.dk','secondary_email':"
                + "'mette@gmail.com','phone':'+45 1','mobile':'+45 2','job_title':'CFO','salutation':'Dear Mette',"
                + "'status':'active','birthday':'1980-02-03','notes':'n','external_ids':{'crmsync':'L-2'}}")))
                .path("id").asString();
        String product = json(client.post("/products", body("{'name':'Forklift','description':'d','price':1000.5,"
                + "'list_price':1100,'cost_price':600.25,'discount_percent':5,'quantity':2,'vat_code':'25%',"
                + "'year':2024,'stock_status':'In stock','customer_id':'" + customer + "','contact_id':'"
                + contact + "'}"))).path("id").asString();
        client.put("/customers/" + customer, body("{'name':'Contract Holding A/S','address':{'country_code':'SE'}}"),
                "If-Match", "\"1\"");
        client.patch("/contacts/" + contact, body("{'middle_name':null,'external_ids':{'webcrm':'201'}}"),
                "If-Match", "1");
        client.patch("/products/" + product, body("{'price':null,'quantity':3.5}"), "If-Match", "*");
        client.get("/contacts/by-external-id/webcrm/201");
        client.delete("/products/" + product, "If-Match", "\"2\"");
        client.get("/customers?since=" + cursor);
        client.get("/products?limit=1000");
        writeABatch(client, customer, contact);
    }

    private void writeABatch(CustomcrmTestClient client, String customer, String contact) {
        JsonNode items = json(client.post("/batch", body("{'items':["
                + "{'op':'create','type':'customers','idempotency_key':'k-3','body':{'name':'Batch A/S',"
                + "'address':{'country_code':'NO'},'external_ids':{'crmsync':'L-3'}}},"
                + "{'op':'create','type':'contacts','body':{'customer_id':'" + customer + "','last_name':'Berg',"
                + "'email':'berg@contract.dk','birthday':'1970-01-31'}},"
                + "{'op':'create','type':'products','idempotency_key':'k-4','body':{'name':'Crane','price':12.5,"
                + "'customer_id':'" + customer + "','contact_id':'" + contact + "'}},"
                + "{'op':'patch','type':'customers','id':'" + customer + "','if_match':'\\\"2\\\"',"
                + "'body':{'phone':'+45 3','address':{'city':null}}},"
                + "{'op':'patch','type':'contacts','id':'" + contact + "','if_match':'*','body':{'status':'guest'}},"
                + "{'op':'create','type':'customers','idempotency_key':'k-3','body':{'name':'Batch A/S',"
                + "'address':{'country_code':'NO'},'external_ids':{'crmsync':'L-3'}}}]}"))).path("items");
        String product = items.get(2).path("record").path("id").asString();
        client.post("/batch", body("{'items':["
                + "{'op':'patch','type':'products','id':'" + product + "','body':{'quantity':2,'year':2025}},"
                + "{'op':'delete','type':'products','id':'" + product + "','if_match':'2'}]}"));
    }

    private void meetEveryError(CustomcrmTestClient client, CustomcrmSimulator sim) {
        violating("validation.request.security.missing", () -> client.withKey(null).get("/customers"));
        client.withKey("wrong").get("/customers");
        client.get("/customers/cus_999");
        client.get("/customers/by-external-id/webcrm/nobody");
        client.get("/products/prd_3");
        client.put("/products/prd_3", body("{'name':'x'}"));
        client.patch("/customers/cus_1", body("{'phone':'+45 9'}"), "If-Match", "\"99\"");
        client.delete("/customers/cus_1");
        client.post("/customers", body("{'name':'Twin','external_ids':{'crmsync':'L-1'}}"));
        violating("missing required properties ([\"name\"])", () -> client.post("/customers",
                body("{'phone':'1'}")));
        violating("does not match input string \"Denmark\"", () -> client.post("/customers",
                body("{'name':'Acme','address':{'country_code':'Denmark'}}")));
        violating("\"mette(at)contract.dk\" is not a valid email address", () -> client.post("/contacts",
                body("{'email':'mette(at)contract.dk'}")));
        violating("Instance type (string) does not match", () -> client.post("/products", body("{'price':'12'}")));
        client.post("/contacts", body("{'customer_id':'cus_999'}"));
        client.post("/customers", body("{'name':'Other'}"), "Idempotency-Key", "k-1");
        client.get("/customers?since=not-a-cursor");
        violating("validation.request.parameter.schema.minimum", () -> client.get("/customers?limit=0"));
        violating("validation.request.contentType.notAllowed", () -> client.send("POST", "/customers",
                "name=Acme", "text/plain"));
        violating("Unable to parse JSON", () -> client.post("/customers", "{\"name\":"));
        meetEveryBatchError(client);
        sim.faults().failNext(1, 503, Duration.ofSeconds(3));
        client.get("/customers");
        sim.faults().failNext(1, 500, Duration.ZERO);
        client.post("/customers", body("{'name':'Unlucky'}"));
    }

    private void meetEveryBatchError(CustomcrmTestClient client) {
        JsonNode items = json(client.post("/batch", body("{'items':["
                + "{'op':'patch','type':'customers','id':'cus_1','if_match':'99','body':{'phone':'+45 9'}},"
                + "{'op':'patch','type':'contacts','id':'con_999','body':{'first_name':'Nobody'}},"
                + "{'op':'delete','type':'customers','id':'cus_1'},"
                + "{'op':'delete','type':'products','id':'prd_3'},"
                + "{'op':'create','type':'customers','body':{'name':'Twin','external_ids':{'crmsync':'L-1'}}},"
                + "{'op':'create','type':'customers','idempotency_key':'k-1','body':{'name':'Other'}},"
                + "{'op':'create','type':'contacts','body':{'customer_id':'cus_999'}}]}"))).path("items");
        assertThat(items).extracting(i -> i.path("status").asInt()).containsExactly(412, 404, 409, 410, 409, 422, 422);
        violating("validation.request.body.schema.oneOf", () -> client.post("/batch", body("{'items':["
                + "{'op':'create','type':'customers','body':{'name':'Acme','address':{'country_code':'Denmark'}}}]}")));
        violating("validation.request.body.schema.oneOf", () -> client.post("/batch", body("{'items':["
                + "{'op':'upsert','type':'customers','body':{'name':'Acme'}}]}")));
        String item = "{'op':'delete','type':'products','id':'prd_999'}";
        violating("validation.request.body.schema.maxItems", () -> client.post("/batch",
                body("{'items':[" + String.join(",", Collections.nCopies(1001, item)) + "]}")));
        violating("validation.request.body.schema.required", () -> client.post("/batch", body("{'writes':[]}")));
    }

    @Test
    void shouldServeAContractWithoutTheBatchThatStillHoldsTheServerWhenRunWithoutIt() {
        // Given a server without batch writes
        CustomcrmSimulator sim = start(CustomcrmSimulator.builder().batch(false).seedPlan(new SeedPlan(0, 1, 0, 0)));
        CustomcrmTestClient client = recording(sim);

        // When its document is read, and a read, a write and a batch are checked against it
        String served = client.withKey(null).get("/openapi.yaml").body();
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(served, null, new ParseOptions());
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(served)
                .build();
        client.get("/customers/cus_1");
        client.post("/customers", body("{'name':'Acme','external_ids':{'crmsync':'L-1'}}"), "Idempotency-Key", "k");
        HttpResponse<String> batch = client.post("/batch", body("{'items':[]}"));

        // Then it is a sound document that lists no batch, and the server keeps to it
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getPaths()).doesNotContainKey("/batch").containsKey("/customers/{id}");
        assertThat(parsed.getOpenAPI().getComponents().getSchemas().keySet()).noneMatch(s -> s.startsWith("Batch"))
                .contains("Problem", "IfMatchValue", "IdempotencyKeyValue", "RecordType");
        assertThat(parsed.getOpenAPI().getComponents().getResponses()).doesNotContainKey("TooLarge")
                .containsKey("ServerError");
        assertThat(parsed.getOpenAPI().getTags()).extracting(Tag::getName).doesNotContain("Batch").contains("Contract");
        assertThat(parsed.getOpenAPI().getInfo().getDescription()).doesNotContain("Batch writes")
                .contains("## Errors", "## Webhooks (optional)");
        assertThat(batch.statusCode()).isEqualTo(404);
        for (Checked c : checked.subList(1, 3)) {
            ValidationReport report = validator.validate(request(c.exchange()), response(c.exchange().response()));
            assertThat(errors(report)).as("%s", describe(c)).isEmpty();
        }
        assertThat(errors(validator.validateRequest(request(checked.getLast().exchange()))))
                .anySatisfy(v -> assertThat(v).contains("validation.request.path.missing"));
    }

    private void meetTheRateLimit(CustomcrmTestClient client) {
        client.get("/customers");
        HttpResponse<String> limited = client.get("/customers");
        assertThat(limited.statusCode()).isEqualTo(429);
    }

    private CustomcrmSimulator start(CustomcrmSimulator.Builder builder) {
        CustomcrmSimulator sim = builder.apiKey("K").clock(new MutableClock(Instant.parse("2025-03-01T09:30:00Z")))
                .build().start("127.0.0.1", 0);
        sims.add(sim);
        return sim;
    }

    private CustomcrmTestClient recording(CustomcrmSimulator sim) {
        return new CustomcrmTestClient(sim).onExchange(e -> checked.add(new Checked(e, expectedViolation)));
    }

    private void violating(String violation, Supplier<HttpResponse<String>> call) {
        expectedViolation = violation;
        try {
            call.get();
        } finally {
            expectedViolation = null;
        }
    }

    private static Request request(CustomcrmTestClient.Exchange exchange) {
        URI uri = exchange.request().uri();
        SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.request().method(), uri.getRawPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] nameAndValue = pair.split("=", 2);
                request.withQueryParam(decode(nameAndValue[0]), nameAndValue.length > 1 ? decode(nameAndValue[1]) : "");
            }
        }
        exchange.request().headers().map().forEach(request::withHeader);
        if (exchange.requestBody() != null) {
            request.withBody(exchange.requestBody());
        }
        return request.build();
    }

    private static Response response(HttpResponse<String> answer) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.statusCode());
        answer.headers().map().forEach(response::withHeader);
        if (!answer.body().isEmpty()) {
            response.withBody(answer.body());
        }
        return response.build();
    }

    /**
     * The errors in the report, each with its key and, for a composed schema, the nested messages that say which
     * rule failed. Lesser levels are advice, not violations.
     */
    private static List<String> errors(ValidationReport report) {
        return report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m).toList();
    }

    private static String describe(Checked c) {
        return c.exchange().request().method() + " " + c.exchange().request().uri().getRawPath() + " -> "
                + c.exchange().response().statusCode() + " " + c.exchange().response().body();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
