package dev.crmsync.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.testing.ServiceHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Conflicts through the API under the {@code manual} policy: a pair edited on both sides waits for a person,
 * who keeps one side per field; both systems then hold the chosen values.
 */
class ConflictApiTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void shouldHoldAConflictForAPersonAndWriteTheValuesChosenFieldByField() {
        try (ServiceHarness harness = ServiceHarness.start(
                "sync: { interval: 1s, reconcile-interval: 5s, conflict-policy: manual }\n")) {
            // Given a linked organisation, and its flow paused while both sides edit the same two fields
            JsonNode link = await().atMost(PATIENCE).until(() -> activeLink(harness), l -> l != null);
            int webcrmId = Integer.parseInt(link.path("webcrmId").asString());
            String customcrmId = link.path("customcrmId").asString();
            harness.api("POST", "/api/flows/organisations/pause", null);
            await().atMost(PATIENCE).until(() -> harness.status().path("flows").get(0).path("state").asString()
                    .equals("paused"));
            harness.webcrm().editAsUser(WebcrmEntity.ORGANISATION, webcrmId,
                    Map.of("OrganisationName", "Name From webCRM", "OrganisationTelephone", "+45 11 11 11 11"));
            harness.customcrm().editAsUser(RecordType.CUSTOMER, customcrmId,
                    Map.of("name", "Name From Customcrm", "phone", "+45 22 22 22 22"));

            // When the flow resumes
            harness.api("POST", "/api/flows/organisations/resume", null);

            // Then the conflict waits, with both values side by side, and neither system is changed
            JsonNode conflict = await().atMost(PATIENCE).until(
                    () -> harness.api("GET", "/api/conflicts", null).json(), c -> c.size() == 1).get(0);
            assertThat(conflict.path("linkId").asString()).isEqualTo(link.path("id").asString());
            assertThat(conflict.path("open").asBoolean()).isTrue();
            assertThat(conflict.path("fields")).anySatisfy(f -> {
                assertThat(f.path("field").asString()).isEqualTo("name");
                assertThat(f.path("webcrm").asString()).isEqualTo("Name From webCRM");
                assertThat(f.path("customcrm").asString()).isEqualTo("Name From Customcrm");
                assertThat(f.path("winner").isNull()).isTrue();
            });
            assertThat(harness.status().path("flows").get(0).path("openConflicts").asInt()).isEqualTo(1);
            String id = conflict.path("id").asString();

            // When a person answers badly, then well
            ServiceHarness.Response incomplete = harness.api("POST", "/api/conflicts/" + id + "/resolve",
                    "{\"fields\": {\"name\": \"customcrm\"}}");
            ServiceHarness.Response unknown = harness.api("POST", "/api/conflicts/nope/resolve", "{\"keep\": \"webcrm\"}");
            ServiceHarness.Response resolved = harness.api("POST", "/api/conflicts/" + id + "/resolve",
                    "{\"fields\": {\"name\": \"customcrm\", \"phone\": \"webcrm\"}}");

            // Then
            assertThat(incomplete.status()).isEqualTo(400);
            assertThat(incomplete.json().path("detail").asString()).contains("phone");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(resolved.status()).isEqualTo(200);
            assertThat(resolved.json().path("open").asBoolean()).isFalse();
            assertThat(resolved.json().path("resolvedBy").asString()).isEqualTo("person");
            await().atMost(PATIENCE).untilAsserted(() -> {
                JsonNode webcrm = harness.webcrm().record(WebcrmEntity.ORGANISATION, webcrmId).orElseThrow();
                JsonNode customcrm = harness.customcrm().record(RecordType.CUSTOMER, customcrmId).orElseThrow();
                assertThat(webcrm.path("OrganisationName").asString()).isEqualTo("Name From Customcrm");
                assertThat(customcrm.path("name").asString()).isEqualTo("Name From Customcrm");
                assertThat(webcrm.path("OrganisationTelephone").asString()).isEqualTo("+45 11 11 11 11");
                assertThat(customcrm.path("phone").asString()).isEqualTo("+45 11 11 11 11");
            });
            assertThat(harness.api("GET", "/api/conflicts", null).json()).isEmpty();
            assertThat(harness.api("GET", "/api/conflicts?open=false", null).json()).hasSize(1);
            JsonNode history = harness.api("GET", "/api/links/" + link.path("id").asString(), null).json()
                    .path("history");
            assertThat(history).anySatisfy(e -> assertThat(e.path("action").asString()).isEqualTo("resolved"));
            assertThat(harness.contractViolations()).isEmpty();
        }
    }

    private static JsonNode activeLink(ServiceHarness harness) {
        for (JsonNode link : harness.api("GET", "/api/links?flow=organisations", null).json().path("items")) {
            if (link.path("state").asString().equals("active") && !link.path("webcrmId").isNull()
                    && !link.path("customcrmId").isNull()) {
                return link;
            }
        }
        return null;
    }
}
