package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.adapters.webcrm.WebcrmConnector;
import dev.crmsync.adapters.webcrm.WebcrmSettings;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Write;
import dev.crmsync.ports.WriteOutcome;
import dev.crmsync.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Drives the webCRM connector through a representative session against the simulator, through a recording proxy,
 * and holds every request it sent and every answer it got to webCRM's own Swagger document. The document's known
 * defects are tolerated by the same named, narrow rules as {@link WebcrmContractTest#KNOWN_DEFECTS}; any other
 * mismatch fails.
 *
 * <p>It lives beside {@link WebcrmContractTest} because those rules are package-private there.
 */
class WebcrmConnectorContractTest {

    private static final String TOKEN = "connector-contract-token";
    private static final Map<Flow, String> STAMPS = Map.of(Flow.ORGANISATIONS, "OrganisationCustom5",
            Flow.PERSONS, "PersonCustom5", Flow.PRODUCTS, "ProductCustom5");

    @Test
    void shouldSendAndReceiveOnlyWhatWebcrmsDocumentAllows() throws Exception {
        // Given the connector talking to the simulator through a recording proxy
        OpenApiInteractionValidator validator = WebcrmContractTest.swaggerValidator();
        MutableClock simClock = new MutableClock(Instant.parse("2025-06-15T10:00:00Z"));
        MutableClock connectorClock = new MutableClock(Instant.parse("2025-06-15T10:00:00Z"));
        Sleeper sleeper = connectorClock::advance;
        List<RecordingProxy.Exchange> exchanges;
        try (WebcrmSimulator sim = WebcrmSimulator.builder().token(TOKEN).clock(simClock)
                .seedPlan(new SeedPlan(0, 3, 8, 5)).build().start("127.0.0.1", 0);
             RecordingProxy proxy = new RecordingProxy(sim.baseUrl())) {
            WebcrmConnector connector = new WebcrmConnector(new WebcrmSettings(URI.create(proxy.baseUrl()),
                    new Secret(TOKEN), ZoneId.of("Europe/Copenhagen"), Duration.ofHours(1), 3, 250,
                    Duration.ofSeconds(10)), STAMPS, connectorClock, sleeper);

            // When it logs in, reads, lists, finds, creates, updates and deletes
            List<SideRecord> organisations = new ArrayList<>();
            String cursor = connector.readChanges(Flow.ORGANISATIONS, null, organisations::addAll);
            simClock.advance(Duration.ofDays(1));
            sim.editAsUser(WebcrmEntity.ORGANISATION, 2, Map.of("OrganisationCity", "Aarhus"));
            connector.readChanges(Flow.ORGANISATIONS, cursor, page -> { });
            connector.readChanges(Flow.PERSONS, null, page -> { });
            connector.allIds(Flow.PRODUCTS);

            List<WriteOutcome> persons = connector.write(Flow.PERSONS, List.of(
                    new Write.Create("link-p", Map.of("PersonOrganisationId", 1, "PersonLastName", "Kontrakt",
                            "PersonCustom5", "link-p")),
                    new Write.Create("link-q", Map.of("PersonOrganisationId", 1, "PersonFirstName", "Uden")),
                    new Write.Update("link-3", "3", null, Map.of("PersonId", 3, "PersonTitle", "CFO"))));
            connector.findByStamp(Flow.PERSONS, "link-p");
            List<WriteOutcome> orgs = connector.write(Flow.ORGANISATIONS, List.of(
                    new Write.Create("link-o", Map.of("OrganisationName", "Kontrakt A/S", "OrganisationCustom5",
                            "link-o")),
                    new Write.Update("link-1", organisations.getFirst().id(), organisations.getFirst(), Map.of("OrganisationCity", "Vejle",
                            "OrganisationCustom5", "link-1"))));
            // A batch size of 1 takes webCRM's single-record routes instead of the bulk PATCH
            WebcrmConnector single = new WebcrmConnector(new WebcrmSettings(URI.create(proxy.baseUrl()),
                    new Secret(TOKEN), ZoneId.of("Europe/Copenhagen"), Duration.ofHours(1), 3, 250,
                    Duration.ofSeconds(10), 1), STAMPS, connectorClock, sleeper);
            List<WriteOutcome> singles = single.write(Flow.PERSONS, List.of(
                    new Write.Create("link-s", Map.of("PersonOrganisationId", 1, "PersonLastName", "Enkelt",
                            "PersonCustom5", "link-s")),
                    new Write.Create("link-t", Map.of("PersonOrganisationId", 1, "PersonFirstName", "Uden")),
                    new Write.Update("link-4", "4", null, Map.of("PersonId", 4, "PersonTitle", "CTO"))));
            List<WriteOutcome> singleOrgs = single.write(Flow.ORGANISATIONS, List.of(
                    new Write.Create("link-u", Map.of("OrganisationName", "Enkelt A/S", "OrganisationCustom5",
                            "link-u")),
                    new Write.Update("link-1", organisations.getFirst().id(), organisations.getFirst(),
                            Map.of("OrganisationCity", "Kolding", "OrganisationCustom5", "link-1"))));
            sim.faults().failNext(1, 429, Duration.ofSeconds(2));
            simClock.advance(Duration.ofHours(2));
            List<WriteOutcome> products = connector.write(Flow.PRODUCTS, List.of(
                    new Write.Delete("link-5", "5"), new Write.Delete("link-5", "5")));
            exchanges = proxy.exchanges();

            assertThat(persons).extracting(o -> o.getClass().getSimpleName())
                    .containsExactly("Done", "Rejected", "Done");
            assertThat(orgs).allMatch(WriteOutcome.Done.class::isInstance);
            assertThat(products).allMatch(WriteOutcome.Done.class::isInstance);
            assertThat(singles).extracting(o -> o.getClass().getSimpleName())
                    .containsExactly("Done", "Rejected", "Done");
            assertThat(singleOrgs).allMatch(WriteOutcome.Done.class::isInstance);
        }

        // Then the session covered every kind of call the connector makes, errors included
        assertThat(exchanges.stream().map(e -> e.method() + " " + e.path().replaceAll("/\\d+$", "/{id}"))
                .collect(Collectors.toSet())).containsAll(Set.of("POST /Auth/ApiLogin", "GET /Queries",
                "PATCH /Persons", "PATCH /Organisations", "POST /Persons", "PUT /Persons/{id}",
                "POST /Organisations", "PUT /Organisations/{id}", "DELETE /Products/{id}"));
        assertThat(exchanges).extracting(RecordingProxy.Exchange::status).contains(200, 400, 401, 404, 429);
        assertThat(exchanges).filteredOn(e -> e.path().startsWith("/Auth/"))
                .allMatch(e -> e.authorization() == null, "no bearer token on a login");
        assertThat(exchanges).filteredOn(e -> !e.path().startsWith("/Auth/"))
                .allMatch(e -> e.authorization() != null && e.authorization().startsWith("Bearer "));

        // And every request and every answer keeps to the document
        assertThat(WebcrmContractTest.breaches(validator, exchanges)).isEmpty();
    }
}
