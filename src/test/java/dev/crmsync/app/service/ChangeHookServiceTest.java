package dev.crmsync.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Side;
import dev.crmsync.testing.ServiceHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * With {@code server.public-url} set, both systems' change hooks start a cycle at once: an edit arrives long
 * before the (here, one hour) poll interval.
 */
class ChangeHookServiceTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void shouldSyncAnEditOnEitherSideAtOnceWhenItsHookArrives() {
        try (ServiceHarness harness = ServiceHarness.withHooks("sync: { interval: 1h, reconcile-interval: 1h }\n")) {
            // Given the first sync done, and the next poll an hour away
            JsonNode link = await().atMost(PATIENCE).until(() -> activeOrganisationLink(harness), l -> l != null);
            await().atMost(PATIENCE).until(() -> harness.service().hooks().orElseThrow().isRegistered(
                    Side.CUSTOMCRM) && harness.service().hooks().orElseThrow().isRegistered(Side.WEBCRM));
            await().atMost(PATIENCE).until(() -> {
                JsonNode organisations = harness.status().path("flows").get(0);
                return !organisations.path("lastCycle").isNull() && organisations.path("state").asString()
                        .equals("waiting");
            });
            int webcrmId = Integer.parseInt(link.path("webcrmId").asString());
            String customcrmId = link.path("customcrmId").asString();

            // When a webCRM user edits the organisation
            harness.webcrm().editAsUser(WebcrmEntity.ORGANISATION, webcrmId, Map.of("OrganisationName", "Hooked A/S"));

            // Then its hook starts a cycle that carries the edit over
            await().atMost(PATIENCE).until(() -> harness.customcrm().record(RecordType.CUSTOMER, customcrmId)
                    .orElseThrow().path("name").asString().equals("Hooked A/S"));

            // When a Customcrm user edits it back, the signed webhook does the same the other way
            harness.customcrm().editAsUser(RecordType.CUSTOMER, customcrmId, Map.of("phone", "+45 33 33 33 33"));
            await().atMost(PATIENCE).until(() -> harness.webcrm().record(WebcrmEntity.ORGANISATION, webcrmId)
                    .orElseThrow().path("OrganisationTelephone").asString().equals("+45 33 33 33 33"));

            // Then the status counts the hooks of both systems, and the cycles they started
            for (JsonNode system : harness.status().path("systems")) {
                assertThat(system.path("hooksReceived").asLong()).as(system.toString()).isPositive();
            }
            assertThat(harness.status().path("flows").get(0).path("lastCycle").path("trigger").asString())
                    .isEqualTo("hook");
        }
    }

    private static JsonNode activeOrganisationLink(ServiceHarness harness) {
        for (JsonNode link : harness.api("GET", "/api/links?flow=organisations", null).json().path("items")) {
            if (link.path("state").asString().equals("active") && !link.path("customcrmId").isNull()) {
                return link;
            }
        }
        return null;
    }
}
