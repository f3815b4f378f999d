package dev.crmsync.adapters.customcrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.Write;
import dev.crmsync.ports.WriteOutcome;
import dev.crmsync.testing.MutableClock;
import dev.crmsync.testing.RecordingProxy;
import dev.crmsync.testing.RecordingProxy.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Holds every request the connector sends and every answer it gets, errors included, to the published contract
 * {@code contracts/customcrm-openapi.yaml}. A recording proxy between connector and reference server captures
 * the traffic, so neither side is changed for the test.
 */
class CustomcrmConnectorContractTest {

    private static final String KEY = "contract-key";
    private static final String CONTRACT = "/contracts/customcrm-openapi.yaml";

    private static OpenApiInteractionValidator validator;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T09:30:00Z"));
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private CustomcrmSimulator sim;
    private RecordingProxy proxy;
    private CustomcrmConnector connector;

    @BeforeAll
    static void readContract() throws IOException {
        validator = contractValidator();
    }

    @BeforeEach
    void start() throws IOException {
        sim = CustomcrmSimulator.builder().apiKey(KEY).clock(clock).build().start("127.0.0.1", 0);
        proxy = new RecordingProxy(sim.baseUrl());
        connector = connector(KEY, CustomcrmSettings.DEFAULT_WRITE_BATCH_SIZE);
    }

    @AfterEach
    void stop() {
        proxy.close();
        sim.stop();
    }

    @Test
    void shouldSendAndReceiveOnlyWhatTheContractAllows() {
        // Given a connector that sends every write on its own route
        connector = connector(KEY, 1);

        // When it goes through a session that meets every kind of answer
        List<WriteOutcome> outcomes = session();

        // Then the scenario met every kind of answer
        assertThat(outcomes).extracting(o -> o.getClass().getSimpleName()).containsExactly(
                "Done", "Done", "Rejected", "Done", "Retry", "Done", "Done", "Retry", "Done");
        assertThat(proxy.exchanges()).extracting(Exchange::status)
                .contains(200, 201, 204, 401, 404, 409, 410, 412, 422, 429);
        assertThat(proxy.exchanges()).extracting(Exchange::path).doesNotContain(BatchEndpoint.PATH);
        // and all of it is within the contract
        assertThat(violations(proxy.exchanges())).isEmpty();
    }

    @Test
    void shouldSendAndReceiveOnlyWhatTheContractAllowsInBatches() {
        // Given a connector that batches its writes, as it does by default

        // When it goes through the same session
        List<WriteOutcome> outcomes = session();

        // Then the writes of a call went in one batch, whose items met every kind of answer
        assertThat(outcomes).extracting(o -> o.getClass().getSimpleName()).containsExactly(
                "Done", "Done", "Rejected", "Done", "Retry", "Done", "Done", "Retry", "Done");
        List<Exchange> batches = proxy.exchanges().stream().filter(e -> e.path().equals(BatchEndpoint.PATH)).toList();
        assertThat(batches).singleElement().extracting(Exchange::status).isEqualTo(200);
        assertThat(RecordJson.MAPPER.readTree(batches.getFirst().responseBody()).path("items"))
                .extracting(item -> item.path("status").asInt())
                .containsExactly(201, 201, 422, 200, 412, 204, 410, 409, 404);
        assertThat(proxy.exchanges()).extracting(Exchange::path).containsOnlyOnce(BatchEndpoint.CONTRACT_PATH);
        // and all of it is within the contract
        assertThat(violations(proxy.exchanges())).isEmpty();
    }

    /**
     * Reads, finds and writes as a sync does, meeting every answer the contract names.
     *
     * @return the outcomes of the one call that writes nine organisations
     */
    private List<WriteOutcome> session() {
        // Given records of every type made by the customer's own users
        String acme = createAsUser(RecordType.CUSTOMER, Map.of("name", "Acme A/S", "vat_number", "DK12345678",
                "address", Map.of("street", "Havnegade 1", "country_code", "DK"),
                "external_ids", Map.of("crmsync", "L-acme", "webcrm", "17")));
        String parent = createAsUser(RecordType.CUSTOMER, Map.of("name", "Parent ApS"));
        String spare = createAsUser(RecordType.CUSTOMER, Map.of("name", "Spare ApS"));
        String contact = createAsUser(RecordType.CONTACT, Map.of("customer_id", parent, "first_name", "Ida",
                "last_name", "Holm", "email", "ida@example.com", "status", "active", "birthday", "1990-02-03"));
        createAsUser(RecordType.PRODUCT, Map.of("name", "Support", "price", new BigDecimal("1234.10"),
                "year", 2025, "customer_id", parent, "contact_id", contact));

        // When the connector reads every feed in pages of two, and once more from where it stopped
        for (Flow flow : Flow.values()) {
            String cursor = connector.readChanges(flow, null, page -> { });
            connector.readChanges(flow, cursor, page -> { });
        }
        // and finds by stamp, once in vain
        SideRecord acmeRecord = connector.findByStamp(Flow.ORGANISATIONS, "L-acme").orElseThrow();
        assertThat(connector.findByStamp(Flow.PERSONS, "L-nobody")).isEmpty();
        // and writes: creates, a repeat, an invalid one, a patch, a stale patch, deletes of all kinds
        Map<String, Object> created = customer("New A/S", "L-new");
        Map<String, Object> invalid = customer("Nowhere Ltd", "L-bad");
        invalid.put("address", Map.of("country_code", "XX"));
        Map<String, Object> rename = Map.of("name", "Acme Holding", "notes", "merged",
                "address", Map.of("city", "Vejle"), "external_ids", Map.of("crmsync", "L-acme"));
        List<WriteOutcome> outcomes = connector.write(Flow.ORGANISATIONS, List.of(
                new Write.Create("L-new", created),
                new Write.Create("L-new", created),
                new Write.Create("L-bad", invalid),
                new Write.Update("L-acme", acmeRecord.id(), acmeRecord, rename),
                new Write.Update("L-acme", acmeRecord.id(), acmeRecord, Map.of("phone", "+45 1234")),
                new Write.Delete("L-spare", spare),
                new Write.Delete("L-spare", spare),
                new Write.Delete("L-parent", parent),
                new Write.Delete("L-ghost", "cus_999")));
        Map<String, Object> person = new LinkedHashMap<>(Map.of("customer_id", parent, "last_name", "Berg",
                "status", "guest", "birthday", "1985-12-24", "external_ids", Map.of("crmsync", "L-person")));
        person.put("middle_name", null);
        connector.write(Flow.PERSONS, List.of(new Write.Create("L-person", person)));
        connector.write(Flow.PRODUCTS, List.of(new Write.Create("L-product", Map.of("name", "Licence",
                "price", new BigDecimal("99.95"), "quantity", new BigDecimal("3"), "year", 2026,
                "customer_id", parent, "external_ids", Map.of("crmsync", "L-product")))));
        // and repeats a create with newer values, which takes over the record it made
        connector.write(Flow.ORGANISATIONS, List.of(new Write.Create("L-new", customer("Newer A/S", "L-new"))));
        // and meets a rate limit and a wrong key
        sim.faults().failNext(1, 429, Duration.ofSeconds(3));
        connector.findByStamp(Flow.ORGANISATIONS, "L-acme");
        assertThatThrownBy(() -> connector("wrong-key", 1).readChanges(Flow.PRODUCTS, null, page -> { }))
                .isInstanceOf(PermanentCrmException.class);
        return outcomes;
    }

    @Test
    void shouldCatchAViolation() {
        // Given a real exchange, and two copies broken the way a careless client or server would break them
        createAsUser(RecordType.CUSTOMER, Map.of("name", "Acme A/S", "external_ids", Map.of("crmsync", "L-1")));
        SideRecord acme = connector.findByStamp(Flow.ORGANISATIONS, "L-1").orElseThrow();
        connector.write(Flow.ORGANISATIONS,
                List.of(new Write.Update("L-1", acme.id(), acme, Map.of("name", "Acme 2"))));
        Exchange patch = proxy.exchanges().getLast();
        assertThat(violations(List.of(patch))).isEmpty();
        Map<String, List<String>> badIfMatch = new LinkedHashMap<>(patch.requestHeaders());
        badIfMatch.put("if-match", List.of("version two"));
        Exchange badRequest = new Exchange(patch.seq(), patch.method(), patch.path(), patch.query(), badIfMatch,
                patch.requestBody(), patch.status(), patch.responseHeaders(), patch.responseBody());
        Exchange badAnswer = new Exchange(patch.seq(), patch.method(), patch.path(), patch.query(),
                patch.requestHeaders(), patch.requestBody(), patch.status(), patch.responseHeaders(),
                patch.responseBody().replace("\"version\":2", "\"version\":\"2\""));

        // When, Then
        assertThat(violations(List.of(badRequest))).singleElement().asString()
                .contains("validation.request.parameter.schema.pattern", "version two");
        assertThat(violations(List.of(badAnswer))).singleElement().asString()
                .contains("validation.response.body.schema", "version");
    }

    // ---------------------------------------------------------------- helpers

    private CustomcrmConnector connector(String key, int writeBatchSize) {
        return new CustomcrmConnector(new CustomcrmSettings(proxy.url(), new Secret(key), 2, Duration.ofSeconds(10),
                writeBatchSize), clock, sleeper);
    }

    private String createAsUser(RecordType type, Map<String, ?> fields) {
        return sim.createAsUser(type, fields).path("id").asString();
    }

    private static Map<String, Object> customer(String name, String linkId) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", name);
        properties.put("website", null);
        properties.put("address", new LinkedHashMap<>(Map.of("city", "Aarhus")));
        properties.put("external_ids", Map.of("crmsync", linkId));
        return properties;
    }

    /** @return one line per exchange that breaks the contract, naming the exchange and every message */
    private static List<String> violations(List<Exchange> exchanges) {
        List<String> out = new ArrayList<>();
        for (Exchange exchange : exchanges) {
            ValidationReport report = validator.validate(request(exchange), response(exchange));
            if (report.hasErrors()) {
                out.add(exchange.method() + " " + exchange.path() + " -> " + exchange.status() + ": "
                        + report.getMessages().stream().map(m -> m.getKey() + " " + m.getMessage()).toList());
            }
        }
        return out;
    }

    private static Request request(Exchange exchange) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(), exchange.path());
        if (exchange.query() != null) {
            for (String pair : exchange.query().split("&")) {
                int eq = pair.indexOf('=');
                request.withQueryParam(decode(eq < 0 ? pair : pair.substring(0, eq)),
                        eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        exchange.requestHeaders().forEach(request::withHeader);
        if (!exchange.requestBody().isEmpty()) {
            request.withBody(exchange.requestBody());
        }
        return request.build();
    }

    private static SimpleResponse response(Exchange exchange) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.status());
        exchange.responseHeaders().forEach(response::withHeader);
        if (!exchange.responseBody().isEmpty()) {
            response.withBody(exchange.responseBody());
        }
        return response.build();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /**
     * The validator reads OpenAPI 3.0 and silently skips 3.1's type lists ({@code [string, "null"]}), which
     * would let {@code "version": "2"} pass. The contract is therefore handed to it in the 3.0 form that means
     * the same: a type list becomes one type plus {@code nullable}, and the 3.1-only keywords that only restate
     * rules written elsewhere ({@code propertyNames}, {@code info.summary}, {@code license.identifier}) are left
     * out. {@link #shouldCatchAViolation} proves that nested types are checked.
     */
    private static OpenApiInteractionValidator contractValidator() throws IOException {
        ObjectNode contract;
        try (InputStream in = CustomcrmConnectorContractTest.class.getResourceAsStream(CONTRACT)) {
            contract = (ObjectNode) YAMLMapper.builder().build().readTree(in);
        }
        contract.put("openapi", "3.0.3");
        ((ObjectNode) contract.path("info")).remove("summary");
        ((ObjectNode) contract.path("info").path("license")).remove("identifier");
        toOpenApi30(contract);
        return OpenApiInteractionValidator.createForInlineApiSpecification(contract.toString()).build();
    }

    private static void toOpenApi30(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("propertyNames");
            if (object.get("type") instanceof ArrayNode types) {
                List<String> named = StreamSupport.stream(types.spliterator(), false).map(JsonNode::asString)
                        .filter(t -> !t.equals("null")).toList();
                if (named.size() != 1) {
                    throw new IllegalStateException("OpenAPI 3.0 cannot say type " + types);
                }
                object.put("type", named.getFirst());
                if (types.size() > 1) {
                    object.put("nullable", true);
                }
            }
            object.properties().forEach(e -> toOpenApi30(e.getValue()));
        } else if (node instanceof ArrayNode array) {
            array.forEach(CustomcrmConnectorContractTest::toOpenApi30);
        }
    }
}
