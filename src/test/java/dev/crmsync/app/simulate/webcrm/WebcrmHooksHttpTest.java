package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SimulatorJson;
import dev.crmsync.testing.HookReceiver;
import dev.crmsync.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class WebcrmHooksHttpTest {

    private static final String TOKEN = "hooks-http-token";
    private static final String OTHER_TOKEN = "hooks-http-other-token";
    private static final Duration WAIT = Duration.ofSeconds(10);

    // 10:00 UTC is 12:00 in Copenhagen (summer time).
    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-15T10:00:00Z"));
    private WebcrmSimulator sim;
    private WebcrmHttp http;
    private String access;
    private HookReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        sim = WebcrmSimulator.builder().token(TOKEN).token(OTHER_TOKEN).clock(clock)
                .seedPlan(new SeedPlan(0, 3, 4, 2)).build().start("127.0.0.1", 0);
        http = new WebcrmHttp(sim.baseUrl());
        access = http.accessToken(TOKEN);
        receiver = new HookReceiver();
    }

    @AfterEach
    void stop() {
        sim.stop();
        receiver.close();
    }

    @Test
    void shouldCreateReadReplaceAndDeleteAHook() throws Exception {
        // When a hook is created
        HttpResponse<String> created = http.send("POST", "/Organisations/Hooks", access,
                hookJson("Update", receiver.url("/h"), "['All']"));

        // Then it answers the id as a bare integer and serves the hook with every Swagger property, in order
        assertThat(created.statusCode()).isEqualTo(200);
        long id = Long.parseLong(created.body());
        JsonNode hook = WebcrmHttp.json(http.get("/Organisations/Hooks/" + id, access));
        assertThat(names(hook)).containsExactly("Filter", "CreatedAt", "CreatedBy", "EventType", "Id", "IsEnabled",
                "TargetUrl", "UpdatedAt", "UpdatedBy");
        assertThat(hook.path("Id").asLong()).isEqualTo(id);
        assertThat(hook.path("TargetUrl").asString()).isEqualTo(receiver.url("/h"));
        assertThat(hook.path("CreatedAt").asString()).isEqualTo("2025-06-15T12:00:00");
        assertThat(hook.path("CreatedBy").asString()).isEqualTo("API");
        assertThat(WebcrmHttp.json(http.get("/Organisations/Hooks", access))).containsExactly(hook);

        // When it is replaced half an hour later (within the access token's hour)
        clock.advance(Duration.ofMinutes(30));
        HttpResponse<String> replaced = http.send("PUT", "/Organisations/Hooks/" + id, access,
                "{\"Id\":" + id + ",\"TargetUrl\":\"" + receiver.url("/h2") + "\",\"IsEnabled\":\"false\","
                        + "\"Filter\":[\"owner\"],\"EventType\":\"delete\"}");

        // Then the new settings show, spelled as the document spells them, with a new updated stamp
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(replaced.body()).isEmpty();
        JsonNode after = WebcrmHttp.json(http.get("/Organisations/Hooks/" + id, access));
        assertThat(after.path("IsEnabled").asBoolean()).isFalse();
        assertThat(after.path("Filter").get(0).asString()).isEqualTo("Owner");
        assertThat(after.path("EventType").asString()).isEqualTo("Delete");
        assertThat(after.path("CreatedAt").asString()).isEqualTo("2025-06-15T12:00:00");
        assertThat(after.path("UpdatedAt").asString()).isEqualTo("2025-06-15T12:30:00");

        // When it is deleted, it is gone
        assertThat(http.send("DELETE", "/Organisations/Hooks/" + id, access, null).statusCode()).isEqualTo(200);
        assertThat(http.get("/Organisations/Hooks/" + id, access).statusCode()).isEqualTo(404);
        assertThat(WebcrmHttp.json(http.get("/Organisations/Hooks", access))).isEmpty();
    }

    @Test
    void shouldShowAHookOnlyToItsOwnApplicationTokenAndEntity() throws Exception {
        // Given a hook of one token
        long id = Long.parseLong(http.send("POST", "/Persons/Hooks", access,
                hookJson("Create", receiver.url("/p"), "['All']")).body());
        String other = http.accessToken(OTHER_TOKEN);

        // When another token, or another entity's collection, looks for it
        HttpResponse<String> otherList = http.get("/Persons/Hooks", other);
        HttpResponse<String> otherGet = http.get("/Persons/Hooks/" + id, other);
        HttpResponse<String> otherDelete = http.send("DELETE", "/Persons/Hooks/" + id, other, null);
        HttpResponse<String> wrongEntity = http.get("/Products/Hooks/" + id, access);

        // Then it is not there, and it is still there for its owner
        assertThat(WebcrmHttp.json(otherList)).isEmpty();
        assertThat(otherGet.statusCode()).isEqualTo(404);
        assertThat(WebcrmHttp.json(otherGet).path("Message").asString()).isEqualTo("Person hook with id " + id
                + " was not found");
        assertThat(otherDelete.statusCode()).isEqualTo(404);
        assertThat(wrongEntity.statusCode()).isEqualTo(404);
        assertThat(http.get("/Persons/Hooks/" + id, access).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldPageHooksLikeEveryOtherList() throws Exception {
        // Given
        for (int i = 0; i < 3; i++) {
            http.send("POST", "/Products/Hooks", access, hookJson("Update", receiver.url("/p" + i), "['All']"));
        }

        // When
        List<Integer> sizes = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            sizes.add(WebcrmHttp.json(http.get("/Products/Hooks?Page=" + page + "&Size=2", access)).size());
        }

        // Then
        assertThat(sizes).containsExactly(2, 1, 0);
        assertThat(http.get("/Products/Hooks?Size=1001", access).statusCode()).isEqualTo(400);
    }

    @Test
    void shouldRefuseAHookThatCannotBeDelivered() throws Exception {
        // When
        HttpResponse<String> noUrl = http.send("POST", "/Organisations/Hooks", access,
                "{\"Id\":0,\"IsEnabled\":true,\"Filter\":[\"All\"],\"EventType\":\"Update\"}");
        HttpResponse<String> wrongFilter = http.send("POST", "/Persons/Hooks", access,
                hookJson("Update", receiver.url("/p"), "['Owner']"));
        HttpResponse<String> noEvent = http.send("POST", "/Products/Hooks", access,
                "{\"Id\":0,\"TargetUrl\":\"" + receiver.url("/p") + "\",\"IsEnabled\":true,\"Filter\":[\"All\"]}");
        HttpResponse<String> withId = http.send("POST", "/Products/Hooks", access,
                hookJson("Update", receiver.url("/p"), "['All']").replace("\"Id\":0", "\"Id\":7"));
        HttpResponse<String> relative = http.send("POST", "/Products/Hooks", access,
                hookJson("Update", "/hooks/webcrm", "['All']"));

        // Then
        assertThat(List.of(noUrl, wrongFilter, noEvent, withId, relative)).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(WebcrmHttp.json(answer).path("Type").asString()).isEqualTo("ValidationException");
        });
        assertThat(WebcrmHttp.json(noUrl).path("Message").asString()).contains("TargetUrl");
        assertThat(WebcrmHttp.json(wrongFilter).path("Message").asString())
                .contains("All, OrganisationOwner, OrganisationOwner2");
        assertThat(WebcrmHttp.json(noEvent).path("Message").asString()).contains("EventType");
        assertThat(WebcrmHttp.json(withId).path("Message").asString()).contains("Id must be 0");
        assertThat(WebcrmHttp.json(relative).path("Message").asString()).contains("absolute");
        assertThat(WebcrmHttp.json(http.get("/Products/Hooks", access))).isEmpty();
    }

    @Test
    void shouldDeliverEditsByAUserAndThroughTheApi() throws Exception {
        // Given a hook on organisation updates
        http.send("POST", "/Organisations/Hooks", access, hookJson("Update", receiver.url("/org"), "['All']"));

        // When a user edits one organisation and a client PUTs another
        sim.editAsUser(WebcrmEntity.ORGANISATION, 2, Map.of("OrganisationCity", "Aarhus"));
        ObjectNode third = (ObjectNode) sim.record(WebcrmEntity.ORGANISATION, 3).orElseThrow();
        third.put("OrganisationCity", "Vejle");
        assertThat(http.send("PUT", "/Organisations/3", access, third.toString()).statusCode()).isEqualTo(200);

        // Then both are delivered
        await().atMost(WAIT).until(() -> receiver.deliveries("/org").size() == 2);
        assertThat(receiver.deliveries("/org")).extracting(d -> SimulatorJson.mapper().readTree(d.body()).path("Id").asInt())
                .containsExactlyInAnyOrder(2, 3);
    }

    @Test
    void shouldNotTakeAHookPathForARecordId() throws Exception {
        // The hook list and a record share the shape /Organisations/{something}; "Hooks" must reach the hooks.
        HttpResponse<String> answer = http.get("/Organisations/Hooks", access);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(WebcrmHttp.json(answer).isArray()).isTrue();
        assertThat(http.get("/Organisations/1", access).statusCode()).isEqualTo(200);
    }

    private static String hookJson(String event, String url, String filter) {
        return ("{'Id':0,'TargetUrl':'" + url + "','IsEnabled':true,'Filter':" + filter + ",'EventType':'" + event
                + "'}").replace('\'', '"');
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
