package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.testing.MutableClock;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WebcrmRecordsHttpTest {

    private static final String TOKEN = "records-test-token";

    // 10:00 UTC is 12:00 in Copenhagen (summer time).
    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-15T10:00:00Z"));
    private WebcrmSimulator sim;
    private WebcrmHttp http;
    private String access;

    @BeforeEach
    void start() throws Exception {
        sim = WebcrmSimulator.builder().token(TOKEN).clock(clock).seedPlan(new SeedPlan(0, 5, 12, 6))
                .build().start("127.0.0.1", 0);
        http = new WebcrmHttp(sim.baseUrl());
        access = http.accessToken(TOKEN);
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    @Test
    void shouldPageInIdOrderUntilAnEmptyPage() throws Exception {
        // When
        List<Integer> ids = new ArrayList<>();
        int page = 1;
        JsonNode rows;
        do {
            rows = WebcrmHttp.json(http.get("/Persons?Page=" + page + "&Size=5", access));
            rows.forEach(r -> ids.add(r.path("PersonId").asInt()));
            page++;
        } while (!rows.isEmpty());

        // Then
        assertThat(page).isEqualTo(5);
        assertThat(ids).hasSize(12).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void shouldAcceptLowerCasePagingParameters() throws Exception {
        JsonNode rows = WebcrmHttp.json(http.get("/Organisations?page=2&size=2", access));

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).path("OrganisationId").asInt()).isEqualTo(3);
    }

    @Test
    void shouldRefuseAPageSizeOver1000() throws Exception {
        HttpResponse<String> answer = http.get("/Organisations?Size=1001", access);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(WebcrmHttp.json(answer).path("Message").asString()).contains("Size", "1000");
        assertThat(WebcrmHttp.json(answer).path("Type").asString()).isEqualTo("ValidationException");
    }

    @Test
    void shouldServeEveryPropertyInSwaggerOrderPlusTheExtraOne() throws Exception {
        JsonNode organisation = WebcrmHttp.json(http.get("/Organisations/1", access));

        List<String> names = new ArrayList<>();
        organisation.propertyNames().forEach(names::add);
        assertThat(names).hasSize(110).startsWith("OrganisationAddress", "OrganisationAlert")
                .endsWith("OrganisationMemo", "OrganisationCurrencyName");
        assertThat(organisation.path("OrganisationAlert").isNull()).isTrue();
        assertThat(organisation.path("OrganisationCountry").asString()).isNotBlank();
    }

    @Test
    void shouldCreateReadAndStampARecord() throws Exception {
        // When
        HttpResponse<String> created = http.send("POST", "/Organisations", access,
                "{\"OrganisationId\":0,\"OrganisationName\":\"Fjord Fisk ApS\",\"OrganisationCreatedBy\":\"me\"}");

        // Then
        assertThat(created.statusCode()).isEqualTo(200);
        int id = Integer.parseInt(created.body());
        assertThat(id).isEqualTo(6);
        JsonNode read = WebcrmHttp.json(http.get("/Organisations/" + id, access));
        assertThat(read.path("OrganisationName").asString()).isEqualTo("Fjord Fisk ApS");
        assertThat(read.path("OrganisationCreatedAt").asString()).isEqualTo("2025-06-15T12:00:00");
        assertThat(read.path("OrganisationUpdatedAt").asString()).isEqualTo("2025-06-15T12:00:00");
        assertThat(read.path("OrganisationCreatedBy").asString()).isEqualTo("API");
        assertThat(read.path("OrganisationUpdatedBy").asString()).isEqualTo("API");
    }

    @Test
    void shouldAnswer404ForAnUnknownId() throws Exception {
        HttpResponse<String> answer = http.get("/Products/999", access);

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(WebcrmHttp.json(answer).path("Type").asString()).isEqualTo("NotFoundException");
    }

    @Test
    void shouldAnswerAnEmptyBodyToPostOrganisationsWhenSoConfigured() throws Exception {
        // Given
        sim.stop();
        sim = WebcrmSimulator.builder().token(TOKEN).emptyOrganisationPostBody(true).build().start("127.0.0.1", 0);
        http = new WebcrmHttp(sim.baseUrl());
        access = http.accessToken(TOKEN);

        // When
        HttpResponse<String> created = http.send("POST", "/Organisations", access, "{\"OrganisationName\":\"X\"}");
        HttpResponse<String> person = http.send("POST", "/Persons", access,
                "{\"PersonOrganisationId\":1,\"PersonLastName\":\"Holm\"}");

        // Then
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).isEmpty();
        assertThat(sim.count(WebcrmEntity.ORGANISATION)).isEqualTo(1);
        assertThat(person.body()).isEqualTo("1");
    }

    @Test
    void shouldReplaceTheWholeRecordOnPut() throws Exception {
        // Given
        JsonNode before = WebcrmHttp.json(http.get("/Organisations/2", access));
        assertThat(before.path("OrganisationCity").isNull()).isFalse();
        clock.advance(Duration.ofMinutes(5));

        // When: the body leaves out everything but the name, and tries to set server fields
        HttpResponse<String> put = http.send("PUT", "/Organisations/2", access,
                "{\"OrganisationId\":77,\"OrganisationName\":\"Renamed A/S\","
                        + "\"OrganisationCreatedAt\":\"2000-01-01T00:00:00\"}");

        // Then
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).isEmpty();
        JsonNode after = WebcrmHttp.json(http.get("/Organisations/2", access));
        assertThat(after.path("OrganisationId").asInt()).isEqualTo(2);
        assertThat(after.path("OrganisationName").asString()).isEqualTo("Renamed A/S");
        assertThat(after.path("OrganisationCity").isNull()).isTrue();
        assertThat(after.path("OrganisationCreatedAt")).isEqualTo(before.path("OrganisationCreatedAt"));
        assertThat(after.path("OrganisationUpdatedAt").asString()).isEqualTo("2025-06-15T12:05:00");
        assertThat(http.get("/Organisations/77", access).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldRejectAPutThatMovesAPersonToAnotherOrganisation() throws Exception {
        // Given
        JsonNode person = WebcrmHttp.json(http.get("/Persons/1", access));
        int organisation = person.path("PersonOrganisationId").asInt();
        String moved = person.toString().replace("\"PersonOrganisationId\":" + organisation,
                "\"PersonOrganisationId\":" + (organisation % 5 + 1));

        // When
        HttpResponse<String> answer = http.send("PUT", "/Persons/1", access, moved);

        // Then
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(WebcrmHttp.json(answer).path("Message").asString())
                .contains("It is not allowed to change the organisation ID of a person");
    }

    @Test
    void shouldRejectPersonWithoutLastName() throws Exception {
        HttpResponse<String> answer = http.send("POST", "/Persons", access,
                "{\"PersonId\":0,\"PersonOrganisationId\":1,\"PersonFirstName\":\"Anna\"}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(WebcrmHttp.json(answer).path("Message").asString()).contains("last name");
    }

    @Test
    void shouldAnswerOneStringPerItemOnPatch() throws Exception {
        // When
        HttpResponse<String> answer = http.send("PATCH", "/Persons", access, "["
                + "{\"PersonId\":0,\"PersonOrganisationId\":1,\"PersonLastName\":\"Nyholm\"},"
                + "{\"PersonId\":999,\"PersonOrganisationId\":1,\"PersonLastName\":\"Ghost\"},"
                + "{\"PersonId\":0,\"PersonOrganisationId\":1},"
                + "{\"PersonId\":2,\"PersonOrganisationId\":" + organisationOfPerson(2) + ",\"PersonLastName\":\"Updated\"}"
                + "]");

        // Then
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode results = WebcrmHttp.json(answer);
        assertThat(results).hasSize(4);
        assertThat(results.get(0).asString()).isEqualTo("13");
        assertThat(results.get(1).asString()).contains("999", "not found");
        assertThat(results.get(2).asString()).contains("last name");
        assertThat(results.get(3).asString()).isEqualTo("2");
        assertThat(WebcrmHttp.json(http.get("/Persons/2", access)).path("PersonLastName").asString())
                .isEqualTo("Updated");
        assertThat(sim.count(WebcrmEntity.PERSON)).isEqualTo(13);
    }

    @Test
    void shouldDeleteAProductButOfferNoDeleteForOrganisationsOrPersons() throws Exception {
        // When
        HttpResponse<String> deleted = http.send("DELETE", "/Products/3", access, null);
        HttpResponse<String> organisation = http.send("DELETE", "/Organisations/1", access, null);
        HttpResponse<String> person = http.send("DELETE", "/Persons/1", access, null);

        // Then
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(http.get("/Products/3", access).statusCode()).isEqualTo(404);
        assertThat(organisation.statusCode()).isIn(404, 405);
        assertThat(person.statusCode()).isIn(404, 405);
        assertThat(sim.count(WebcrmEntity.ORGANISATION)).isEqualTo(5);
    }

    @Test
    void shouldFindOrganisationsByUpdateDateInAHalfOpenInterval() throws Exception {
        // Given three organisations updated at 12:00:00, 12:00:10 and 12:00:20 Copenhagen time
        sim.stop();
        sim = WebcrmSimulator.builder().token(TOKEN).clock(clock).build().start("127.0.0.1", 0);
        http = new WebcrmHttp(sim.baseUrl());
        access = http.accessToken(TOKEN);
        for (String name : List.of("A", "B", "C")) {
            sim.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", name));
            clock.advance(Duration.ofSeconds(10));
        }

        // When
        JsonNode local = WebcrmHttp.json(http.get(
                "/Organisations/FindByUpdateDates/2025-06-15T12:00:00/2025-06-15T12:00:20", access));
        JsonNode utc = WebcrmHttp.json(http.get(
                "/Organisations/FindByUpdateDates/2025-06-15T10:00:10Z/2025-06-15T10:00:21Z", access));

        // Then
        assertThat(names(local)).containsExactly("A", "B");
        assertThat(names(utc)).containsExactly("B", "C");
    }

    @Test
    void shouldReadPersonsChangedSinceACursorOrderedByUpdatedAt() throws Exception {
        // Given a person edited after a cursor, and one created after it
        String cursor = "2025-06-15T10:00:00.0000000Z";
        clock.advance(Duration.ofMinutes(1));
        sim.editAsUser(WebcrmEntity.PERSON, 4, Map.of("PersonTitle", "Chief Buyer"));
        clock.advance(Duration.ofMinutes(1));
        int created = sim.createAsUser(WebcrmEntity.PERSON, Map.of("PersonOrganisationId", 2, "PersonLastName", "Ny"));

        // When
        String script = "SELECT * FROM Person WHERE PersonUpdatedAt >= '" + cursor + "' ORDER BY PersonUpdatedAt";
        JsonNode rows = WebcrmHttp.json(http.get("/Queries?script="
                + URLEncoder.encode(script, StandardCharsets.UTF_8) + "&Page=1&Size=100", access));

        // Then
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).path("PersonId").asInt()).isEqualTo(4);
        assertThat(rows.get(0).path("PersonUpdatedAt").asString()).isEqualTo("2025-06-15T12:01:00");
        assertThat(rows.get(0).path("PersonUpdatedBy").asString()).isEqualTo("Sim User");
        assertThat(rows.get(0).path("RowNumber").asInt()).isEqualTo(1);
        assertThat(rows.get(1).path("PersonId").asInt()).isEqualTo(created);
    }

    @Test
    void shouldRefuseAQueryWithAnUnknownColumnSayingWhich() throws Exception {
        String script = URLEncoder.encode("SELECT PersonShoeSize FROM Person", StandardCharsets.UTF_8);

        HttpResponse<String> answer = http.get("/Queries?script=" + script, access);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(WebcrmHttp.json(answer).path("Message").asString()).contains("PersonShoeSize");
    }

    @Test
    void shouldServeTheTenantsFieldMetadata() throws Exception {
        JsonNode all = WebcrmHttp.json(http.get("/FieldsMetadata", access));
        JsonNode persons = WebcrmHttp.json(http.get("/FieldsMetadata/Person", access));
        JsonNode activities = WebcrmHttp.json(http.get("/FieldsMetadata/Activity", access));

        assertThat(all).hasSize(WebcrmFieldsMetadata.entries().size());
        assertThat(persons).hasSize(1);
        assertThat(persons.get(0).path("FieldMetadataFriendlyFieldName").asString()).isEqualTo("PersonCustom5");
        assertThat(persons.get(0).path("FieldMetadataLabel").asString()).isEqualTo("crmsync link id");
        assertThat(activities).isEmpty();
    }

    @Test
    void shouldDeleteAnOrganisationWithItsPersonsAsAUser() throws Exception {
        // Given
        long persons = WebcrmHttp.json(http.get("/Persons?Size=1000", access)).valueStream()
                .filter(p -> p.path("PersonOrganisationId").asInt() == 1).count();

        // When
        sim.deleteAsUser(WebcrmEntity.ORGANISATION, 1);

        // Then
        assertThat(http.get("/Organisations/1", access).statusCode()).isEqualTo(404);
        assertThat(sim.count(WebcrmEntity.PERSON)).isEqualTo(12 - persons);
    }

    @Test
    void shouldKeepAMemoOfAMegabyteExactly() throws Exception {
        // Given a comment of over a million characters, emoji, right-to-left text and quotes among them
        String memo = "Nöter \uD83D\uDE00 \u05E9\u05DC\u05D5\u05DD 'quoted' \"x\" \\ ".repeat(30_000);
        String body = SimulatorJson.mapper().writeValueAsString(Map.of("OrganisationName", "Memo A/S",
                "OrganisationComment", memo));

        // When
        HttpResponse<String> created = http.send("POST", "/Organisations", access, body);

        // Then it is taken, as webCRM's ASP.NET takes bodies up to its default limit, and read back unchanged
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(1_000_000);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(WebcrmHttp.json(http.get("/Organisations/" + created.body(), access))
                .path("OrganisationComment").asString()).isEqualTo(memo);
    }

    @Test
    void shouldRefuseABodyOverAspNetsDefaultLimitAsTooLarge() throws Exception {
        // Given a comment that makes the body one byte longer than ASP.NET takes by default
        String prefix = "{\"OrganisationName\":\"Huge\",\"OrganisationComment\":\"";
        String memo = "x".repeat((int) WebcrmSimulator.MAX_REQUEST_BYTES - prefix.length() - 2 + 1);

        // When
        HttpResponse<String> answer = http.send("POST", "/Organisations", access, prefix + memo + "\"}");

        // Then
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(WebcrmHttp.json(answer).path("Type").asString()).isEqualTo("PayloadTooLargeException");
        assertThat(sim.count(WebcrmEntity.ORGANISATION)).isEqualTo(5);
    }

    private int organisationOfPerson(int id) throws Exception {
        return WebcrmHttp.json(http.get("/Persons/" + id, access)).path("PersonOrganisationId").asInt();
    }

    private static List<String> names(JsonNode organisations) {
        return organisations.valueStream().map(o -> o.path("OrganisationName").asString()).toList();
    }
}
