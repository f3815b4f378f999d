package dev.crmsync.app.simulate.webcrm;

import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.allOf;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.anyOf;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.isRequest;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.isResponse;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.messageContainsRegexp;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.messageContainsSubstring;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.messageHasKey;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.methodIs;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.pathContainsRegexp;
import static com.atlassian.oai.validator.whitelist.rule.WhitelistRules.responseStatusIs;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;
import com.atlassian.oai.validator.whitelist.rule.WhitelistRule;
import com.atlassian.oai.validator.whitelist.rule.WhitelistRules;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.testing.MutableClock;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks every request the tests send and every answer the simulator gives against webCRM's own Swagger document.
 *
 * <p>The document has known defects (API-NOTES §13) and the simulator follows two documented conventions the
 * document cannot express. Each is tolerated by one named, narrow whitelist rule below; anything else fails.
 */
class WebcrmContractTest {

    private static final String TOKEN = "contract-token";

    /** The tolerated mismatches, each scoped to its defect; the rule names say which one. */
    static final ValidationErrorsWhitelist KNOWN_DEFECTS = ValidationErrorsWhitelist.create()
            // §13: the login endpoints declare `consumes: []`; the validator's converter then expects multipart
            // only, though clients log in with url-encoded forms too (API-NOTES §2.2).
            .withRule("Login declares consumes: []", allOf(isRequest(), pathContainsRegexp("^/Auth/Api"),
                    messageHasKey("validation.request.contentType.notAllowed")))
            // §13: POST /Organisations declares no response body, yet the simulator returns the id as Persons and
            // Products do (API-NOTES §7.1, §15).
            .withRule("POST /Organisations declares no response body", allOf(isResponse(),
                    methodIs(HttpMethod.POST), pathContainsRegexp("^/Organisations$"),
                    messageHasKey("validation.response.body.unexpected")))
            // §13: /Queries answers an array of ObjectDto, which the document never defines.
            .withRule("ObjectDto is undefined", allOf(isResponse(), pathContainsRegexp("^/Queries$"),
                    messageHasKey("validation.response.body.schema.processingError"),
                    messageContainsSubstring("ObjectDto")))
            // §13: no error statuses or schemas are declared, not even 429 (API-NOTES §10, §11).
            .withRule("No error responses declared", allOf(isResponse(),
                    anyOf(responseStatusIs(400), responseStatusIs(404), responseStatusIs(429)),
                    messageHasKey("validation.response.status.unknown")))
            // Swagger 2.0 cannot mark a property nullable; webCRM's DTOs are (API-NOTES §5.1: int?, bool?,
            // DateTime? in webCRM's own SDK). Only a null passes here, never a wrongly typed value.
            .withRule("Swagger 2.0 has no nullable", allOf(
                    anyKey("validation.response.body.schema.type", "validation.request.body.schema.type",
                            "validation.response.body.schema.enum", "validation.request.body.schema.enum"),
                    anyOf(messageContainsSubstring("Instance type (null) does not match"),
                            messageContainsSubstring("Instance value (null) not found in enum"))))
            // Simulator convention (API-NOTES §12): date-times without offset, meant as Copenhagen local time.
            // RFC 3339 wants an offset; only the exact offset-less form passes here.
            .withRule("Offset-less Copenhagen date-times", allOf(
                    anyKey("validation.response.body.schema.format.date-time",
                            "validation.request.parameter.schema.format.date-time",
                            "validation.request.body.schema.format.date-time"),
                    messageContainsRegexp("String \"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\" is invalid")))
            // Simulator convention (API-NOTES §1, §14): one property beyond the 2019 document, which 2026 clients
            // use, to keep connectors honest about unknown properties.
            .withRule("OrganisationCurrencyName beyond the document", allOf(
                    anyKey("validation.response.body.schema.additionalProperties",
                            "validation.request.body.schema.additionalProperties"),
                    messageContainsRegexp("not allowed by the schema: \\[\"OrganisationCurrencyName\"\\]$")));

    private static WhitelistRule anyKey(String... keys) {
        return anyOf(Arrays.stream(keys).map(WhitelistRules::messageHasKey).toArray(WhitelistRule[]::new));
    }

    /**
     * @return a validator for webCRM's own Swagger document, its known defects whitelisted
     * @throws IOException when the document cannot be read
     */
    static OpenApiInteractionValidator swaggerValidator() throws IOException {
        String spec = Files.readString(Path.of(System.getProperty("webcrm.swagger")));
        return OpenApiInteractionValidator.createForInlineApiSpecification(spec).withWhitelist(KNOWN_DEFECTS).build();
    }

    /**
     * @return every mismatch between recorded exchanges and the document, one line each
     */
    static List<String> breaches(OpenApiInteractionValidator validator, List<RecordingProxy.Exchange> exchanges) {
        List<String> breaches = new ArrayList<>();
        for (RecordingProxy.Exchange exchange : exchanges) {
            ValidationReport report = validator.validate(exchange.validatorRequest(), exchange.validatorResponse());
            report.getMessages().stream().filter(m -> m.getLevel() != ValidationReport.Level.IGNORE)
                    .forEach(m -> breaches.add(exchange.method() + " " + exchange.path() + " answered "
                            + exchange.status() + ": " + m.getKey() + " " + m.getMessage()));
        }
        return breaches;
    }

    private static OpenApiInteractionValidator validator;
    private static WebcrmSimulator sim;
    private static WebcrmHttp http;
    private static String access;

    @BeforeAll
    static void start() throws Exception {
        validator = swaggerValidator();
        sim = WebcrmSimulator.builder().token(TOKEN).clock(new MutableClock(Instant.parse("2025-06-15T10:00:00Z")))
                .seedPlan(new SeedPlan(0, 3, 6, 4)).build().start("127.0.0.1", 0);
        http = new WebcrmHttp(sim.baseUrl());
        access = http.accessToken(TOKEN);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void shouldLogInAndRefreshWithinTheDocument() throws Exception {
        assertConforms(call("POST", "/Auth/ApiLogin", "application/x-www-form-urlencoded", "authCode=" + TOKEN));
        String multipart = "--b\r\nContent-Disposition: form-data; name=\"authCode\"\r\n\r\n" + TOKEN + "\r\n--b--\r\n";
        Exchange login = call("POST", "/Auth/ApiLogin", "multipart/form-data; boundary=b", multipart);
        assertConforms(login);
        String refresh = WebcrmHttp.json(login.answer()).path("RefreshToken").asString();
        HttpResponse<String> refreshed = http.send(HttpRequest.newBuilder(http.uri("/Auth/ApiRefresh"))
                .header("refreshToken", refresh).POST(HttpRequest.BodyPublishers.noBody()));
        assertConforms(new Exchange(new SimpleRequest.Builder(Request.Method.POST, "/Auth/ApiRefresh")
                .withHeader("refreshToken", refresh).build(), refreshed));
    }

    @Test
    void shouldListAndGetWithinTheDocument() throws Exception {
        for (WebcrmEntity entity : WebcrmEntity.values()) {
            assertConforms(call("GET", "/" + entity.plural() + "?Page=1&Size=3", null, null));
            assertConforms(call("GET", "/" + entity.plural() + "/1", null, null));
        }
        assertConforms(call("GET", "/Persons?Page=99&Size=1000", null, null));
    }

    @Test
    void shouldWriteWithinTheDocument() throws Exception {
        assertConforms(call("POST", "/Organisations", "application/json",
                "{\"OrganisationId\":0,\"OrganisationName\":\"Contract A/S\"}"));
        assertConforms(call("POST", "/Persons", "application/json",
                "{\"PersonId\":0,\"PersonOrganisationId\":1,\"PersonLastName\":\"Kontrakt\"}"));
        assertConforms(call("POST", "/Products", "application/json",
                "{\"ProductId\":0,\"ProductOrganisationId\":1,\"ProductPrice\":99.5}"));
        ObjectNode organisation = (ObjectNode) sim.record(WebcrmEntity.ORGANISATION, 1).orElseThrow();
        organisation.put("OrganisationCity", "Vejle");
        assertConforms(call("PUT", "/Organisations/1", "application/json", organisation.toString()));
        assertConforms(call("PATCH", "/Persons", "application/json",
                "[{\"PersonId\":0,\"PersonOrganisationId\":2,\"PersonLastName\":\"Bulk\"},{\"PersonId\":999}]"));
        assertConforms(call("DELETE", "/Products/2", null, null));
    }

    @Test
    void shouldReadChangesAndMetadataWithinTheDocument() throws Exception {
        assertConforms(call("GET", "/Organisations/FindByUpdateDates/2024-01-01T00:00:00/2026-01-01T00:00:00"
                + "?Page=1&Size=50", null, null));
        assertConforms(call("GET", "/Organisations/FindByCreateDates/2024-01-01T00:00:00Z/2026-01-01T00:00:00Z",
                null, null));
        String script = "SELECT * FROM Person WHERE PersonUpdatedAt >= '2024-06-01T00:00:00' ORDER BY PersonUpdatedAt";
        assertConforms(call("GET", "/Queries?script=" + URLEncoder.encode(script, StandardCharsets.UTF_8)
                + "&Page=1&Size=100", null, null));
        assertConforms(call("GET", "/FieldsMetadata", null, null));
        assertConforms(call("GET", "/FieldsMetadata/Organisation", null, null));
    }

    @Test
    void shouldAnswerErrorsWithinTheDocumentSaveTheUndeclaredStatuses() throws Exception {
        assertConforms(call("POST", "/Persons", "application/json", "{\"PersonId\":0}"));
        assertConforms(call("GET", "/Persons/999", null, null));
        sim.faults().failNext(1, 429, Duration.ofSeconds(3));
        assertConforms(call("GET", "/Products", null, null));
    }

    @Test
    void shouldReportAWronglyTypedField() {
        // Given an answer whose name is a number
        String body = sim.record(WebcrmEntity.ORGANISATION, 1).orElseThrow().toString()
                .replaceFirst("\"OrganisationName\":\"[^\"]*\"", "\"OrganisationName\":42");

        // When
        ValidationReport report = validator.validate(request("GET", "/Organisations/1").build(), okJson(body));

        // Then
        assertThat(report.hasErrors()).isTrue();
        assertThat(report.getMessages()).anySatisfy(m -> {
            assertThat(m.getKey()).isEqualTo("validation.response.body.schema.type");
            assertThat(m.getMessage()).contains("/OrganisationName", "integer");
        });
    }

    @Test
    void shouldReportAnUnknownPropertyAndAMalformedDateTime() {
        String body = sim.record(WebcrmEntity.PERSON, 1).orElseThrow().toString()
                .replace("{", "{\"PersonShoeSize\":44,")
                .replaceFirst("\"PersonCreatedAt\":\"[^\"]*\"", "\"PersonCreatedAt\":\"15/06/2025\"");

        ValidationReport report = validator.validate(request("GET", "/Persons/1").build(), okJson(body));

        assertThat(report.getMessages()).extracting(ValidationReport.Message::getKey)
                .contains("validation.response.body.schema.additionalProperties",
                        "validation.response.body.schema.format.date-time");
    }

    /** A request sent to the simulator and what came back. */
    private record Exchange(SimpleRequest request, HttpResponse<String> answer) {
    }

    private static Exchange call(String method, String pathAndQuery, String contentType, String body)
            throws Exception {
        boolean login = pathAndQuery.startsWith("/Auth/");
        HttpRequest.Builder sent = HttpRequest.newBuilder(http.uri(pathAndQuery)).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        int query = pathAndQuery.indexOf('?');
        SimpleRequest.Builder described = request(method, query < 0 ? pathAndQuery : pathAndQuery.substring(0, query));
        if (!login) {
            sent.header("Authorization", "Bearer " + access);
            described.withAuthorization("Bearer " + access);
        }
        if (contentType != null) {
            sent.header("Content-Type", contentType);
            described.withContentType(contentType).withBody(body);
        }
        if (query >= 0) {
            for (String pair : pathAndQuery.substring(query + 1).split("&")) {
                String[] nameValue = pair.split("=", 2);
                described.withQueryParam(nameValue[0], URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8));
            }
        }
        return new Exchange(described.build(), http.send(sent));
    }

    private static SimpleRequest.Builder request(String method, String path) {
        return new SimpleRequest.Builder(Request.Method.valueOf(method), path).withAccept("application/json");
    }

    private static SimpleResponse okJson(String body) {
        return SimpleResponse.Builder.ok().withContentType("application/json").withBody(body).build();
    }

    private static void assertConforms(Exchange exchange) {
        HttpResponse<String> answer = exchange.answer();
        SimpleResponse.Builder response = new SimpleResponse.Builder(answer.statusCode());
        answer.headers().firstValue("Content-Type").ifPresent(response::withContentType);
        if (!answer.body().isEmpty()) {
            response.withBody(answer.body());
        }
        ValidationReport report = validator.validate(exchange.request(), response.build());
        assertThat(report.getMessages()).as("%s %s answered %d", exchange.request().getMethod(),
                exchange.request().getPath(), answer.statusCode())
                .filteredOn(m -> m.getLevel() != ValidationReport.Level.IGNORE).isEmpty();
    }
}
