package dev.crmsync.app.simulate.webcrm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.SeedPlan;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WebcrmSeederTest {

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2025-06-15T10:00:00Z"));
    private static final LocalDateTime NOW = LocalDateTime.parse("2025-06-15T12:00:00");
    private static final SeedPlan PLAN = new SeedPlan(0, 20, 50, 30);

    private static WebcrmSimulator seeded(long seed) {
        return WebcrmSimulator.builder().token("t").seed(seed).clock(CLOCK).seedPlan(PLAN).build();
    }

    private static List<JsonNode> all(WebcrmSimulator sim, WebcrmEntity entity) {
        return IntStream.rangeClosed(1, sim.count(entity)).mapToObj(id -> sim.record(entity, id).orElseThrow())
                .toList();
    }

    @Test
    void shouldSeedThePlansCounts() {
        WebcrmSimulator sim = seeded(42);

        assertThat(sim.count(WebcrmEntity.ORGANISATION)).isEqualTo(20);
        assertThat(sim.count(WebcrmEntity.PERSON)).isEqualTo(50);
        assertThat(sim.count(WebcrmEntity.PRODUCT)).isEqualTo(30);
    }

    @Test
    void shouldSeedNothingForAnEmptyPlan() {
        WebcrmSimulator sim = WebcrmSimulator.builder().token("t").build();

        assertThat(sim.count(WebcrmEntity.ORGANISATION)).isZero();
    }

    @Test
    void shouldFillOrganisationsAsAWebcrmUserWould() {
        List<JsonNode> organisations = all(seeded(42), WebcrmEntity.ORGANISATION);

        Set<String> countries = Set.of("Denmark", "Sweden", "Norway", "Germany", "Netherlands", "Finland",
                "United Kingdom");
        for (JsonNode o : organisations) {
            assertThat(o.path("OrganisationName").asString()).isNotBlank();
            assertThat(o.path("OrganisationVatNumber").asString()).isNotBlank();
            assertThat(countries).contains(o.path("OrganisationCountry").asString());
            assertThat(o.path("OrganisationCustom1").asString()).matches("C\\d{5}");
            assertThat(o.path("OrganisationCustom5").isNull()).isTrue();
            assertThat(WebcrmFieldsMetadata.ORGANISATION_TYPES).contains(o.path("OrganisationType").asString());
            assertThat(WebcrmFieldsMetadata.ORGANISATION_STATUSES).contains(o.path("OrganisationStatus").asString());
        }
    }

    @Test
    void shouldLinkPersonsAndProductsToSeededRecordsOfOneOrganisation() {
        WebcrmSimulator sim = seeded(42);

        for (JsonNode person : all(sim, WebcrmEntity.PERSON)) {
            assertThat(person.path("PersonLastName").asString()).isNotBlank();
            assertThat(sim.record(WebcrmEntity.ORGANISATION, person.path("PersonOrganisationId").asInt())).isPresent();
        }
        for (JsonNode product : all(sim, WebcrmEntity.PRODUCT)) {
            assertThat(product.path("ProductCustom1").asString()).isNotBlank();
            if (!product.path("ProductPersonId").isNull()) {
                JsonNode holder = sim.record(WebcrmEntity.PERSON, product.path("ProductPersonId").asInt()).orElseThrow();
                assertThat(holder.path("PersonOrganisationId")).isEqualTo(product.path("ProductOrganisationId"));
            }
        }
    }

    @Test
    void shouldSpreadStampsOverThePastYearWithCreationRisingWithTheId() {
        for (WebcrmEntity entity : WebcrmEntity.values()) {
            LocalDateTime previous = NOW.minusDays(366);
            for (JsonNode record : all(seeded(42), entity)) {
                LocalDateTime created = LocalDateTime.parse(record.path(entity.field("CreatedAt")).asString());
                LocalDateTime updated = LocalDateTime.parse(record.path(entity.field("UpdatedAt")).asString());
                assertThat(created).isAfter(previous).isAfterOrEqualTo(NOW.minusDays(365));
                assertThat(updated).isAfterOrEqualTo(created).isBefore(NOW);
                previous = created;
            }
        }
    }

    @Test
    void shouldSeedTheSameTenantForTheSameSeedAndClock() {
        assertThat(all(seeded(7), WebcrmEntity.PERSON)).isEqualTo(all(seeded(7), WebcrmEntity.PERSON));
        assertThat(all(seeded(7), WebcrmEntity.ORGANISATION)).isNotEqualTo(all(seeded(8), WebcrmEntity.ORGANISATION));
    }
}
