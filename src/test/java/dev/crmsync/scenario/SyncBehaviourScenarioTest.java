package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.engine.CycleReport;
import dev.crmsync.engine.FlowPlan;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.engine.SyncRun;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.CreateIntent;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Behaviour that cuts across the three flows, over real HTTP against both simulators: refused records become dead
 * letters without stopping the rest, a dry run changes nothing, the delete circuit breaker, the manual conflict
 * policy, rate limits and server errors in the middle of a sync, and a first sync of two seeded systems that
 * overlap.
 */
class SyncBehaviourScenarioTest {

    private static final SyncCycle.Options DRY_RUN = new SyncCycle.Options(true, true, false);
    private static final SyncCycle.Options FIRST_SYNC = new SyncCycle.Options(false, true, false);
    private static final SyncCycle.Options ALLOW_MASS_DELETE = new SyncCycle.Options(false, true, true);

    private static List<ObservedRecord> deadLetters(SyncHarness harness) {
        return harness.store(s -> s.withStatus(RecordStatus.DEAD));
    }

    private static long links(SyncHarness harness, Flow flow, LinkState state) {
        return harness.store(s -> s.countLinks(flow, state));
    }

    private static List<String> observedIds(SyncHarness harness, Flow flow, Side side) {
        return harness.store(s -> s.observedIds(flow, side));
    }

    private static List<CreateIntent> intents(SyncHarness harness) {
        return harness.store(s -> s.intents());
    }

    private static String id(JsonNode record) {
        return record.path("id").asString();
    }

    // ------------------------------------------------------------------ dead letters

    @Test
    void shouldMakeADeadLetterOfAContactWebcrmRefusesAndStillSyncTheRestThenClearItOnceFixed() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given a customer with two contacts, one without the last name webCRM requires
            String customer = id(harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund AB")));
            String good = id(harness.customcrm.createAsUser(RecordType.CONTACT, Map.of("customer_id", customer,
                    "first_name", "Lars", "last_name", "Svensson", "email", "lars@oresund.se")));
            String bad = id(harness.customcrm.createAsUser(RecordType.CONTACT, Map.of("customer_id", customer,
                    "first_name", "Eva", "email", "eva@oresund.se")));

            // When
            SyncRun.Result result = harness.sync();

            // Then the refused contact is a dead letter with webCRM's reason, and the rest synced
            assertThat(deadLetters(harness)).singleElement().satisfies(d -> {
                assertThat(d.flow()).isEqualTo(Flow.PERSONS);
                assertThat(d.side()).isEqualTo(Side.CUSTOMCRM);
                assertThat(d.id()).isEqualTo(bad);
                assertThat(d.reason()).contains("webCRM refused the create")
                        .contains("It is mandatory to define last name (PersonLastName)");
            });
            assertThat(result.applied().failures()).singleElement().asString().contains(bad);
            // (the outbox's pending link stays behind, without a webCRM id, until a create lands)
            assertThat(harness.link(Flow.PERSONS, Side.CUSTOMCRM, bad)).hasValueSatisfying(l -> {
                assertThat(l.webcrmId()).isNull();
                assertThat(l.state()).isEqualTo(LinkState.PENDING);
            });
            assertThat(harness.link(Flow.ORGANISATIONS, Side.CUSTOMCRM, customer)).isPresent();
            Link goodLink = harness.link(Flow.PERSONS, Side.CUSTOMCRM, good).orElseThrow();
            assertThat(harness.webcrm.record(WebcrmEntity.PERSON, Integer.parseInt(goodLink.webcrmId())).orElseThrow()
                    .path("PersonLastName").asString()).isEqualTo("Svensson");
            assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(1);

            // When a Customcrm user adds the last name
            harness.later(Duration.ofMinutes(5));
            harness.customcrm.editAsUser(RecordType.CONTACT, bad, Map.of("last_name", "Lind"));
            harness.sync();

            // Then the dead letter is gone and the person is made
            assertThat(deadLetters(harness)).isEmpty();
            Link fixed = harness.link(Flow.PERSONS, Side.CUSTOMCRM, bad).orElseThrow();
            JsonNode person = harness.webcrm.record(WebcrmEntity.PERSON, Integer.parseInt(fixed.webcrmId())).orElseThrow();
            assertThat(person.path("PersonLastName").asString()).isEqualTo("Lind");
            assertThat(person.path("PersonFirstName").asString()).isEqualTo("Eva");
            assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(2);
        }
    }

    @Test
    void shouldMakeADeadLetterOfAnUpdateWebcrmRefusesAndStillSyncTheOtherUpdatesThenClearItOnceFixed() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given two synced customers
            String first = id(harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund AB")));
            String second = id(harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Skåne AB")));
            harness.sync();
            Link firstLink = harness.link(Flow.ORGANISATIONS, Side.CUSTOMCRM, first).orElseThrow();
            Link secondLink = harness.link(Flow.ORGANISATIONS, Side.CUSTOMCRM, second).orElseThrow();

            // When one gets a website longer than webCRM's 50 characters, and the other a new phone number
            harness.later(Duration.ofMinutes(5));
            String longWebsite = "https://www.oresund-marine.se/en/about-us/offices/malmo-harbour";
            harness.customcrm.editAsUser(RecordType.CUSTOMER, first, Map.of("website", longWebsite, "phone", "+46 1"));
            harness.customcrm.editAsUser(RecordType.CUSTOMER, second, Map.of("phone", "+46 40 12 34 56"));
            harness.sync();

            // Then the first is a dead letter with webCRM's reason, untouched in webCRM, and the second synced
            assertThat(deadLetters(harness)).singleElement().satisfies(d -> {
                assertThat(d.id()).isEqualTo(first);
                assertThat(d.reason()).contains("webCRM refused the update").contains("OrganisationWww");
            });
            JsonNode firstOrganisation = harness.webcrm.record(WebcrmEntity.ORGANISATION,
                    Integer.parseInt(firstLink.webcrmId())).orElseThrow();
            assertThat(firstOrganisation.path("OrganisationWww").isNull()).isTrue();
            assertThat(firstOrganisation.path("OrganisationTelephone").isNull()).isTrue();
            assertThat(harness.webcrm.record(WebcrmEntity.ORGANISATION, Integer.parseInt(secondLink.webcrmId()))
                    .orElseThrow().path("OrganisationTelephone").asString()).isEqualTo("+46 40 12 34 56");

            // When the website is shortened
            harness.later(Duration.ofMinutes(5));
            harness.customcrm.editAsUser(RecordType.CUSTOMER, first, Map.of("website", "https://oresund.se"));
            harness.sync();

            // Then the dead letter clears and both changes arrive
            assertThat(deadLetters(harness)).isEmpty();
            firstOrganisation = harness.webcrm.record(WebcrmEntity.ORGANISATION,
                    Integer.parseInt(firstLink.webcrmId())).orElseThrow();
            assertThat(firstOrganisation.path("OrganisationWww").asString()).isEqualTo("https://oresund.se");
            assertThat(firstOrganisation.path("OrganisationTelephone").asString()).isEqualTo("+46 1");
        }
    }

    // ------------------------------------------------------------------ dry run

    @Test
    void shouldPlanTheCreatesButWriteNothingAnywhereInADryRun() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given a new organisation in webCRM and two new customers in Customcrm
            harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Fynsk A/S"));
            harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund AB"));
            harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Skåne AB"));

            // When
            SyncRun.Result result = harness.run(DRY_RUN);

            // Then the report plans the creates
            assertThat(result.cycles()).singleElement().satisfies(report -> {
                assertThat(report.dryRun()).isTrue();
                FlowPlan organisations = plan(report, Flow.ORGANISATIONS);
                assertThat(organisations.creates(Side.CUSTOMCRM)).isEqualTo(1);
                assertThat(organisations.creates(Side.WEBCRM)).isEqualTo(2);
                assertThat(report.applied().writes()).isZero();
            });
            // and nothing was written to either system or to the store
            assertThat(harness.writes(Side.WEBCRM)).isZero();
            assertThat(harness.writes(Side.CUSTOMCRM)).isZero();
            assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(1);
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, "cus_3")).isEmpty();
            assertThat(links(harness, null, null)).isZero();
            assertThat(observedIds(harness, Flow.ORGANISATIONS, Side.WEBCRM)).isEmpty();
            assertThat(observedIds(harness, Flow.ORGANISATIONS, Side.CUSTOMCRM)).isEmpty();
            assertThat(harness.<Optional<String>>store(s -> s.cursor(Flow.ORGANISATIONS, Side.CUSTOMCRM))).isEmpty();
            assertThat(intents(harness)).isEmpty();

            // and a real sync afterwards does exactly what was planned
            harness.sync();
            assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(3);
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, "cus_3")).isPresent();
            assertThat(links(harness, Flow.ORGANISATIONS, LinkState.ACTIVE)).isEqualTo(3L);
        }
    }

    private static FlowPlan plan(CycleReport report, Flow flow) {
        return report.plans().stream().filter(p -> p.flow() == flow).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------ deletes across flows

    @Test
    void shouldDeleteProductsAndContactsBeforeTheirCustomerWhenAnOrganisationIsDeletedInWebcrm() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given a synced organisation with a person and a product, and a second organisation
            int organisation = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Fynsk A/S"));
            int person = harness.webcrm.createAsUser(WebcrmEntity.PERSON,
                    Map.of("PersonOrganisationId", organisation, "PersonLastName", "Hansen"));
            int product = harness.webcrm.createAsUser(WebcrmEntity.PRODUCT, Map.of("ProductOrganisationId", organisation,
                    "ProductPersonId", person, "ProductCustom1", "Pallet rack"));
            int other = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", "Vestjysk A/S"));
            harness.sync();
            Link customer = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(organisation)).orElseThrow();
            Link contact = harness.link(Flow.PERSONS, Side.WEBCRM, Integer.toString(person)).orElseThrow();
            Link item = harness.link(Flow.PRODUCTS, Side.WEBCRM, Integer.toString(product)).orElseThrow();

            // When the organisation is deleted in webCRM, which takes its person and product with it
            harness.later(Duration.ofMinutes(5));
            harness.webcrm.deleteAsUser(WebcrmEntity.ORGANISATION, organisation);
            SyncRun.Result result = harness.sync();

            // Then all three are deleted in Customcrm (which refuses to delete a customer its children still
            // point at), and the other customer stays
            assertThat(result.applied().deletes(Side.CUSTOMCRM)).isEqualTo(3);
            assertThat(result.applied().retries()).isZero();
            assertThat(harness.customcrm.record(RecordType.PRODUCT, item.customcrmId()).orElseThrow()
                    .path("deleted").asBoolean()).isTrue();
            assertThat(harness.customcrm.record(RecordType.CONTACT, contact.customcrmId()).orElseThrow()
                    .path("deleted").asBoolean()).isTrue();
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, customer.customcrmId()).orElseThrow()
                    .path("deleted").asBoolean()).isTrue();
            Link kept = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(other)).orElseThrow();
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, kept.customcrmId()).orElseThrow()
                    .path("deleted").asBoolean()).isFalse();
            assertThat(links(harness, null, LinkState.RETIRED)).isEqualTo(3L);
            assertThat(links(harness, null, LinkState.ACTIVE)).isEqualTo(1L);
            assertThat(deadLetters(harness)).isEmpty();
        }
    }

    // ------------------------------------------------------------------ delete circuit breaker

    @Test
    void shouldStopAMassDeleteWithTheCircuitBreakerAndCarryItOutOnlyWhenAllowed() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given ten products in Customcrm, synced to webCRM
            String customer = id(harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund AB")));
            List<String> products = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                products.add(id(harness.customcrm.createAsUser(RecordType.PRODUCT, Map.of("customer_id", customer,
                        "name", "Forklift " + i, "price", 100 * i))));
            }
            harness.sync();
            assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(10);
            List<Link> links = products.stream()
                    .map(p -> harness.link(Flow.PRODUCTS, Side.CUSTOMCRM, p).orElseThrow()).toList();

            // When half of them are deleted in Customcrm
            harness.later(Duration.ofMinutes(5));
            products.subList(0, 5).forEach(p -> harness.customcrm.deleteAsUser(RecordType.PRODUCT, p));
            SyncRun.Result held = harness.sync();
            harness.later(Duration.ofMinutes(5));
            SyncRun.Result heldAgain = harness.sync();

            // Then the breaker holds the deletes back, run after run
            assertThat(held.cycles().getFirst().breakerTrips()).singleElement().asString()
                    .contains("products").contains("5 of 10");
            assertThat(heldAgain.cycles().getFirst().breakerTrips()).isNotEmpty();
            assertThat(held.applied().deletes(Side.WEBCRM) + heldAgain.applied().deletes(Side.WEBCRM)).isZero();
            assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(10);
            assertThat(links(harness, Flow.PRODUCTS, LinkState.ACTIVE)).isEqualTo(10L);

            // When the mass delete is allowed
            SyncRun.Result allowed = harness.run(ALLOW_MASS_DELETE);

            // Then exactly the five are deleted in webCRM
            assertThat(allowed.applied().deletes(Side.WEBCRM)).isEqualTo(5);
            assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(5);
            for (int i = 0; i < 10; i++) {
                Optional<JsonNode> product = harness.webcrm.record(WebcrmEntity.PRODUCT,
                        Integer.parseInt(links.get(i).webcrmId()));
                assertThat(product.isPresent()).as("webCRM product of %s", products.get(i)).isEqualTo(i >= 5);
            }
            assertThat(links(harness, Flow.PRODUCTS, LinkState.ACTIVE)).isEqualTo(5L);
            assertThat(links(harness, Flow.PRODUCTS, LinkState.RETIRED)).isEqualTo(5L);
        }
    }

    @Test
    void shouldHoldAMassDeleteCutIntoSmallCyclesAsChangeHooksWouldRunThem() {
        // Regression: the breaker counted per cycle, so half of a flow deleted within seconds, carried by
        // hook-triggered cycles each under 20 % of the links left, all reached webCRM.
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given a hundred products in Customcrm, synced to webCRM
            String customer = id(harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund AB")));
            List<String> products = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                products.add(id(harness.customcrm.createAsUser(RecordType.PRODUCT, Map.of("customer_id", customer,
                        "name", "Pallet " + i))));
            }
            harness.sync();
            assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(100);

            // When 48 are deleted in four bursts of 12, each carried by its own run a second apart: 12 of 100, of
            // 88, of 76, of 64 links, each under the 20 % threshold on its own
            List<SyncRun.Result> runs = new ArrayList<>();
            for (int burst = 0; burst < 4; burst++) {
                harness.later(Duration.ofSeconds(1));
                products.subList(burst * 12, burst * 12 + 12)
                        .forEach(p -> harness.customcrm.deleteAsUser(RecordType.PRODUCT, p));
                runs.add(harness.run(new SyncCycle.Options(false, false, false)));
            }

            // Then the first burst passes, and the breaker holds the rest: it counts the removals of the last hour
            assertThat(runs.get(0).applied().deletes(Side.WEBCRM)).isEqualTo(12);
            assertThat(runs.get(1).cycles().getFirst().breakerTrips()).singleElement().asString()
                    .contains("12 of 88").contains("12 were removed in the last hour").contains("24 of 100");
            assertThat(runs.get(2).cycles().getFirst().breakerTrips()).isNotEmpty();
            assertThat(runs.get(3).cycles().getFirst().breakerTrips()).isNotEmpty();
            assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(88);

            // When the hour has passed, the held deletes are still a mass delete on their own
            harness.later(Duration.ofHours(2));
            SyncRun.Result later = harness.run(new SyncCycle.Options(false, false, false));
            assertThat(later.cycles().getFirst().breakerTrips()).singleElement().asString().contains("36 of 88");
            assertThat(harness.webcrm.count(WebcrmEntity.PRODUCT)).isEqualTo(88);
        }
    }

    // ------------------------------------------------------------------ manual conflict policy

    @Test
    void shouldHoldAConflictForAPersonUnderTheManualPolicyAndOverwriteNeitherSide() {
        try (SyncHarness harness = SyncHarness.empty("sync: { conflict-policy: manual }")) {
            // Given a synced organisation
            int id = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                    Map.of("OrganisationName", "Fynsk A/S", "OrganisationCity", "Odense C"));
            harness.sync();
            Link link = harness.link(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(id)).orElseThrow();

            // When both sides rename it
            harness.later(Duration.ofMinutes(5));
            harness.webcrm.editAsUser(WebcrmEntity.ORGANISATION, id, Map.of("OrganisationName", "Fynsk West A/S"));
            harness.later(Duration.ofMinutes(1));
            harness.customcrm.editAsUser(RecordType.CUSTOMER, link.customcrmId(), Map.of("name", "Fynsk East A/S"));
            long webcrmWrites = harness.writes(Side.WEBCRM);
            long customcrmWrites = harness.writes(Side.CUSTOMCRM);
            harness.sync();
            harness.later(Duration.ofMinutes(1));
            harness.sync();

            // Then the link waits in CONFLICT with an open conflict, and each side keeps its own name
            assertThat(harness.store(s -> s.link(link.id())).orElseThrow().state()).isEqualTo(LinkState.CONFLICT);
            Conflict conflict = harness.store(s -> s.openConflictOf(link.id())).orElseThrow();
            assertThat(conflict.isOpen()).isTrue();
            assertThat(conflict.policy()).isEqualTo("manual");
            assertThat(conflict.fields()).singleElement().satisfies(f -> {
                assertThat(f.field()).isEqualTo("name");
                assertThat(f.base()).isEqualTo("Fynsk A/S");
                assertThat(f.webcrm()).isEqualTo("Fynsk West A/S");
                assertThat(f.customcrm()).isEqualTo("Fynsk East A/S");
                assertThat(f.winner()).isNull();
            });
            assertThat(harness.webcrm.record(WebcrmEntity.ORGANISATION, id).orElseThrow()
                    .path("OrganisationName").asString()).isEqualTo("Fynsk West A/S");
            assertThat(harness.customcrm.record(RecordType.CUSTOMER, link.customcrmId()).orElseThrow()
                    .path("name").asString()).isEqualTo("Fynsk East A/S");
            assertThat(harness.writes(Side.WEBCRM)).isEqualTo(webcrmWrites);
            assertThat(harness.writes(Side.CUSTOMCRM)).isEqualTo(customcrmWrites);
            assertThat(harness.<List<Conflict>>store(s -> s.conflicts(false))).hasSize(1);
        }
    }

    // ------------------------------------------------------------------ faults

    @Test
    void shouldCompleteAFirstSyncThroughA429BurstAndCustomcrmServerErrorsInTheMiddleOfIt() {
        try (SyncHarness harness = SyncHarness.empty()) {
            // Given records on both sides
            for (int i = 1; i <= 3; i++) {
                int organisation = harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                        Map.of("OrganisationName", "Fynsk " + i + " A/S", "OrganisationVatNumber", "DK1000000" + i));
                harness.webcrm.createAsUser(WebcrmEntity.PERSON, Map.of("PersonOrganisationId", organisation,
                        "PersonLastName", "Hansen " + i, "PersonEmail", "hansen" + i + "@fynsk.dk"));
                String customer = id(harness.customcrm.createAsUser(RecordType.CUSTOMER,
                        Map.of("name", "Øresund " + i + " AB", "vat_number", "SE5000000" + i)));
                harness.customcrm.createAsUser(RecordType.CONTACT, Map.of("customer_id", customer,
                        "last_name", "Svensson " + i, "email", "svensson" + i + "@oresund.se"));
            }
            // and, once the sync has read both sides and starts writing, a burst of 429s from webCRM and a few
            // 5xx from Customcrm
            Instant start = harness.clock.instant();
            Map<Side, Runnable> faults = Map.of(
                    Side.WEBCRM, () -> harness.webcrm.faults().failNext(5, 429, Duration.ofSeconds(3)),
                    Side.CUSTOMCRM, () -> {
                        harness.customcrm.faults().failNext(2, 503, Duration.ofSeconds(2));
                        harness.customcrm.faults().failNext(1, 500, Duration.ZERO);
                    });

            // When
            SyncRun.Result result = harness.runWith(FIRST_SYNC, store -> store,
                    (side, connector) -> new BeforeEachWrite(connector, once(faults.get(side))));

            // Then the faults were met and waited out on crmsync's clock, and everything is linked once
            assertThat(harness.webcrm.faults().pending()).isZero();
            assertThat(harness.customcrm.faults().pending()).isZero();
            assertThat(harness.webcrm.traffic().snapshot().byStatus()).containsEntry(429, 5L);
            assertThat(harness.customcrm.traffic().snapshot().byStatus()).containsEntry(503, 2L).containsEntry(500, 1L);
            assertThat(Duration.between(start, harness.clock.instant()))
                    .as("5 x 3 s of Retry-After and 2 x 2 s, waited on crmsync's clock")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(19));
            assertThat(result.applied().failures()).isEmpty();
            assertThat(deadLetters(harness)).isEmpty();
            assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(6);
            assertThat(harness.webcrm.count(WebcrmEntity.PERSON)).isEqualTo(6);
            assertThat(liveCustomcrm(harness, RecordType.CUSTOMER)).hasSize(6);
            assertThat(liveCustomcrm(harness, RecordType.CONTACT)).hasSize(6);
            assertThat(links(harness, Flow.ORGANISATIONS, LinkState.ACTIVE)).isEqualTo(6L);
            assertThat(links(harness, Flow.PERSONS, LinkState.ACTIVE)).isEqualTo(6L);
            assertThat(intents(harness)).isEmpty();
        }
    }

    private static Runnable once(Runnable action) {
        boolean[] done = {false};
        return () -> {
            if (!done[0]) {
                done[0] = true;
                action.run();
            }
        };
    }

    @Test
    void shouldBackOffAndFinallyMakeADeadLetterOfACreateThatWebcrmKeepsFailingWithServerErrors() {
        try (SyncHarness harness = SyncHarness.empty("sync: { max-attempts: 3, retry-backoff: 30s }")) {
            // Given a new customer, and a webCRM that answers every write with a 500
            String customer = id(harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", "Øresund AB")));
            BiFunction<Side, Connector, Connector> failingWebcrm = (side, connector) -> side == Side.WEBCRM
                    ? new BeforeEachWrite(connector, () -> harness.webcrm.faults().failNext(1, 500, Duration.ZERO))
                    : connector;

            // When a sync meets the 500
            harness.runWith(FIRST_SYNC, store -> store, failingWebcrm);

            // Then the run settles with the create put off by the backoff, not repeated at once
            assertThat(serverErrors(harness)).isEqualTo(1L);
            ObservedRecord waiting = observed(harness, customer);
            assertThat(waiting.status()).isEqualTo(RecordStatus.DIRTY);
            assertThat(waiting.attempts()).isEqualTo(1);
            assertThat(waiting.reason()).contains("500");
            assertThat(waiting.nextAttemptAt()).isAfter(harness.clock.instant());
            assertThat(deadLetters(harness)).isEmpty();

            // When it runs again before the backoff has passed
            harness.runWith(FIRST_SYNC, store -> store, failingWebcrm);

            // Then nothing is tried
            assertThat(serverErrors(harness)).isEqualTo(1L);

            // When it runs after each backoff (30 s, then 60 s)
            harness.later(Duration.ofSeconds(30));
            harness.runWith(FIRST_SYNC, store -> store, failingWebcrm);
            assertThat(observed(harness, customer).attempts()).isEqualTo(2);
            harness.later(Duration.ofSeconds(60));
            harness.runWith(FIRST_SYNC, store -> store, failingWebcrm);

            // Then the third attempt gives up: a dead letter that says why, and no more attempts
            assertThat(serverErrors(harness)).isEqualTo(3L);
            assertThat(deadLetters(harness)).singleElement().satisfies(d -> {
                assertThat(d.id()).isEqualTo(customer);
                assertThat(d.reason()).contains("gave up after 3 attempts to create on webCRM").contains("500");
            });
            harness.later(Duration.ofMinutes(10));
            harness.runWith(FIRST_SYNC, store -> store, failingWebcrm);
            assertThat(serverErrors(harness)).isEqualTo(3L);
            assertThat(deadLetters(harness)).hasSize(1);
            assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isZero();

            // When webCRM works again and the customer changes
            harness.customcrm.editAsUser(RecordType.CUSTOMER, customer, Map.of("phone", "+46 40 12 34 56"));
            harness.sync();

            // Then the dead letter clears and the organisation is made, once
            assertThat(deadLetters(harness)).isEmpty();
            Link link = harness.link(Flow.ORGANISATIONS, Side.CUSTOMCRM, customer).orElseThrow();
            assertThat(harness.webcrm.record(WebcrmEntity.ORGANISATION, Integer.parseInt(link.webcrmId())).orElseThrow()
                    .path("OrganisationTelephone").asString()).isEqualTo("+46 40 12 34 56");
            assertThat(harness.webcrm.count(WebcrmEntity.ORGANISATION)).isEqualTo(1);
        }
    }

    private static long serverErrors(SyncHarness harness) {
        return harness.webcrm.traffic().snapshot().byStatus().getOrDefault(500, 0L);
    }

    private static ObservedRecord observed(SyncHarness harness, String customer) {
        return harness.<Optional<ObservedRecord>>store(s -> s.observed(Flow.ORGANISATIONS, Side.CUSTOMCRM, customer))
                .orElseThrow();
    }

    // ------------------------------------------------------------------ seeded first sync

    @Test
    void shouldLinkTheOverlapOfTwoSeededSystemsOnTheFirstSyncAndWriteNothingOnTheSecond() {
        try (SyncHarness harness = SyncHarness.seeded(new SeedPlan(0, 12, 24, 12), new SeedPlan(6, 12, 24, 6))) {
            // Given two systems that share six companies and their twelve people
            // When
            harness.sync();

            // Then the overlap is linked, not copied: 12 + 12 - 6 companies, 24 + 24 - 12 people, 12 + 6 products
            Map<Flow, Integer> expected = Map.of(Flow.ORGANISATIONS, 18, Flow.PERSONS, 36, Flow.PRODUCTS, 18);
            Map<Flow, WebcrmEntity> webcrmEntity = Map.of(Flow.ORGANISATIONS, WebcrmEntity.ORGANISATION,
                    Flow.PERSONS, WebcrmEntity.PERSON, Flow.PRODUCTS, WebcrmEntity.PRODUCT);
            Map<Flow, RecordType> customcrmType = Map.of(Flow.ORGANISATIONS, RecordType.CUSTOMER,
                    Flow.PERSONS, RecordType.CONTACT, Flow.PRODUCTS, RecordType.PRODUCT);
            for (Flow flow : Flow.values()) {
                List<JsonNode> webcrm = liveWebcrm(harness, webcrmEntity.get(flow));
                List<JsonNode> customcrm = liveCustomcrm(harness, customcrmType.get(flow));
                assertThat(webcrm).as("webCRM %s", flow).hasSize(expected.get(flow));
                assertThat(customcrm).as("Customcrm %s", flow).hasSize(expected.get(flow));
                assertThat(links(harness, flow, null)).as("links of %s", flow)
                        .isEqualTo((long) expected.get(flow));
                assertThat(links(harness, flow, LinkState.ACTIVE)).isEqualTo((long) expected.get(flow));
                // every record is linked exactly once
                Set<String> linkIds = new HashSet<>();
                for (JsonNode record : webcrm) {
                    String recordId = record.path(webcrmEntity.get(flow).idField()).asString();
                    Link link = harness.link(flow, Side.WEBCRM, recordId).orElseThrow(
                            () -> new AssertionError("webCRM " + flow + " " + recordId + " is not linked"));
                    assertThat(linkIds.add(link.id())).isTrue();
                }
                for (JsonNode record : customcrm) {
                    Link link = harness.link(flow, Side.CUSTOMCRM, id(record)).orElseThrow(
                            () -> new AssertionError("Customcrm " + flow + " " + id(record) + " is not linked"));
                    assertThat(linkIds.remove(link.id())).as("the link of %s is one of webCRM's", id(record)).isTrue();
                }
                assertThat(linkIds).isEmpty();
            }
            // and neither side holds a VAT number or an e-mail twice
            assertThat(normalised(liveWebcrm(harness, WebcrmEntity.ORGANISATION), "OrganisationVatNumber"))
                    .doesNotHaveDuplicates().hasSize(18);
            assertThat(normalised(liveCustomcrm(harness, RecordType.CUSTOMER), "vat_number"))
                    .doesNotHaveDuplicates().hasSize(18);
            assertThat(normalised(liveWebcrm(harness, WebcrmEntity.PERSON), "PersonEmail"))
                    .doesNotHaveDuplicates().hasSize(36);
            assertThat(normalised(liveCustomcrm(harness, RecordType.CONTACT), "email"))
                    .doesNotHaveDuplicates().hasSize(36);
            assertThat(deadLetters(harness)).isEmpty();

            // When it runs again, Then it writes nothing
            harness.assertAnotherSyncWritesNothing();
        }
    }

    private static List<String> normalised(List<JsonNode> records, String field) {
        return records.stream().map(r -> r.path(field))
                .filter(v -> !v.isNull() && !v.isMissingNode())
                .map(v -> v.asString().replace(" ", "").toLowerCase(Locale.ROOT))
                .toList();
    }

    /** Every live record of a kind in webCRM; ids are handed out in order, so gaps are deletes. */
    private static List<JsonNode> liveWebcrm(SyncHarness harness, WebcrmEntity entity) {
        int count = harness.webcrm.count(entity);
        List<JsonNode> out = new ArrayList<>();
        for (int id = 1; out.size() < count && id < 10_000; id++) {
            harness.webcrm.record(entity, id).ifPresent(out::add);
        }
        return out;
    }

    /** Every live record of a type in Customcrm; ids are handed out in order per type, and deletes leave tombstones. */
    private static List<JsonNode> liveCustomcrm(SyncHarness harness, RecordType type) {
        String prefix = switch (type) {
            case CUSTOMER -> "cus_";
            case CONTACT -> "con_";
            case PRODUCT -> "prd_";
        };
        List<JsonNode> out = new ArrayList<>();
        for (int i = 1; ; i++) {
            Optional<JsonNode> record = harness.customcrm.record(type, prefix + i);
            if (record.isEmpty()) {
                return out;
            }
            if (!record.get().path("deleted").asBoolean()) {
                out.add(record.get());
            }
        }
    }
}
