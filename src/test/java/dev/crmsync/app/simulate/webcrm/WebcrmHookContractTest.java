package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import dev.crmsync.adapters.webcrm.WebcrmConnector;
import dev.crmsync.adapters.webcrm.WebcrmSettings;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Holds the simulator's hook endpoints, and the connector's use of them, to webCRM's own Swagger document: every
 * request of a session that creates, lists, reads, replaces and deletes hooks of all three entities, errors
 * included, and every answer, through a recording proxy. The document's known defects are tolerated by the same named rules as
 * {@link WebcrmContractTest#KNOWN_DEFECTS}; any other mismatch fails.
 */
class WebcrmHookContractTest {

    private static final String TOKEN = "hook-contract-token";
    private static final String PREFIX = "https://sync.example.com/hooks/webcrm/";
    private static final Map<Flow, String> STAMPS = Map.of(Flow.ORGANISATIONS, "OrganisationCustom5",
            Flow.PERSONS, "PersonCustom5", Flow.PRODUCTS, "ProductCustom5");

    @Test
    void shouldServeHooksOnlyAsWebcrmsDocumentAllows() throws Exception {
        // Given the simulator behind a recording proxy
        OpenApiInteractionValidator validator = WebcrmContractTest.swaggerValidator();
        List<RecordingProxy.Exchange> exchanges;
        try (WebcrmSimulator sim = WebcrmSimulator.builder().token(TOKEN)
                .clock(new MutableClock(Instant.parse("2025-06-15T10:00:00Z")))
                .seedPlan(new SeedPlan(0, 1, 1, 1)).build().start("127.0.0.1", 0);
             RecordingProxy proxy = new RecordingProxy(sim.baseUrl())) {
            WebcrmHttp http = new WebcrmHttp(proxy.baseUrl());
            String access = http.accessToken(TOKEN);

            // When a client goes through every hook endpoint of every entity, and meets its errors
            for (WebcrmEntity entity : WebcrmEntity.values()) {
                String hooks = "/" + entity.plural() + "/Hooks";
                String filter = WebcrmHooks.filters(entity).get(1);
                long id = Long.parseLong(http.send("POST", hooks, access, "{\"Id\":0,\"TargetUrl\":"
                        + "\"https://crmsync.example/hooks/webcrm/k\",\"IsEnabled\":true,\"Filter\":[\"All\",\""
                        + filter + "\"],\"EventType\":\"Create\"}").body());
                http.get(hooks + "?Page=1&Size=10", access);
                http.get(hooks + "/" + id, access);
                http.send("PUT", hooks + "/" + id, access, "{\"Id\":" + id + ",\"TargetUrl\":"
                        + "\"https://crmsync.example/hooks/webcrm/k\",\"IsEnabled\":false,\"Filter\":[\"All\"],"
                        + "\"EventType\":\"Delete\"}");
                http.send("DELETE", hooks + "/" + id, access, null);
                http.get(hooks + "/" + id, access);
                // Within the document's schema, yet refused: no EventType, and a URL no hook can be sent to.
                http.send("POST", hooks, access, "{\"Id\":0,\"TargetUrl\":\"ftp://x\",\"IsEnabled\":true,"
                        + "\"Filter\":[\"All\"]}");
            }
            exchanges = proxy.exchanges();
        }

        // Then the session met success and errors, and every request and answer keeps to the document
        assertThat(exchanges.stream().map(e -> e.method() + " " + e.path().replaceAll("/\\d+$", "/{id}"))
                .collect(Collectors.toSet())).contains("POST /Persons/Hooks", "GET /Products/Hooks",
                "GET /Organisations/Hooks/{id}", "PUT /Persons/Hooks/{id}", "DELETE /Products/Hooks/{id}");
        assertThat(exchanges).extracting(RecordingProxy.Exchange::status).contains(200, 400, 404);
        assertThat(WebcrmContractTest.breaches(validator, exchanges)).isEmpty();
    }

    @Test
    void shouldRegisterAndRemoveConnectorHooksOnlyAsWebcrmsDocumentAllows() throws Exception {
        // Given the connector talking to the simulator through a recording proxy
        OpenApiInteractionValidator validator = WebcrmContractTest.swaggerValidator();
        MutableClock clock = new MutableClock(Instant.parse("2025-06-15T10:00:00Z"));
        List<RecordingProxy.Exchange> exchanges;
        try (WebcrmSimulator sim = WebcrmSimulator.builder().token(TOKEN).clock(clock).build()
                .start("127.0.0.1", 0);
             RecordingProxy proxy = new RecordingProxy(sim.baseUrl());
             WebcrmConnector connector = new WebcrmConnector(new WebcrmSettings(URI.create(proxy.baseUrl()),
                     new Secret(TOKEN), ZoneId.of("Europe/Copenhagen"), Duration.ofHours(1), 100, 250,
                     Duration.ofSeconds(10)), STAMPS, clock, clock::advance)) {

            // When it registers hooks for every flow twice (the second time replacing the first), then removes them
            for (Flow flow : Flow.values()) {
                connector.replaceHooks(flow, PREFIX, PREFIX + "first");
                connector.replaceHooks(flow, PREFIX, PREFIX + "second");
                connector.removeHooks(flow, PREFIX);
            }
            exchanges = proxy.exchanges();
        }

        // Then it listed, created and deleted hooks of all three entities, each within the document
        assertThat(exchanges.stream().map(e -> e.method() + " " + e.path().replaceAll("/\\d+$", "/{id}"))
                .collect(Collectors.toSet())).contains("GET /Organisations/Hooks", "POST /Persons/Hooks",
                "DELETE /Products/Hooks/{id}");
        assertThat(WebcrmContractTest.breaches(validator, exchanges)).isEmpty();
    }
}
