package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded model test of the whole sync: random creates, edits and deletes on both sides, interleaved with sync
 * runs, some of which "die" at a random point (an exception out of a store call, or a write that landed but
 * whose answer was lost). Afterwards, with a few clean runs:
 * <ul>
 *   <li>both sides agree under the mapping, pair by pair;</li>
 *   <li>every live record is linked exactly once, and no record exists twice (no duplicate creates);</li>
 *   <li>nothing edited is lost: every field holds its last edit.</li>
 * </ul>
 * Between two completed syncs a field is edited on one side only, so the expected value of every field is
 * simply its last edit; conflicting edits are covered by the scenario tests. The seed is in the test name and in
 * every failure message; replay one with {@code -Dcrmsync.model.seed=N}, walk many with
 * {@code -Dcrmsync.model.seeds=500} (see {@link #seeds()}).
 */
class SyncModelTest {

    private static final int STEPS = 45;

    /** One business record as the model knows it. */
    private static final class Entity {
        final Flow flow;
        final String key;
        final Map<Side, String> ids = new EnumMap<>(Side.class);
        final Map<String, Object> expected = new HashMap<>();
        final Map<String, Side> editedIn = new HashMap<>();
        Entity parent;
        Side deletedOn;

        Entity(Flow flow, String key) {
            this.flow = flow;
            this.key = key;
        }

        boolean alive() {
            return deletedOn == null;
        }
    }

    private Random random;
    private SyncHarness harness;
    private final List<Entity> entities = new ArrayList<>();
    private int counter;
    private int crashes;

    /**
     * The seeds to walk: {@code -Dcrmsync.model.seed=N} replays one, {@code -Dcrmsync.model.seeds=K} walks K seeds
     * from {@code -Dcrmsync.model.first-seed} (1) on, and without either the build walks four fixed ones.
     */
    static LongStream seeds() {
        Long one = Long.getLong("crmsync.model.seed");
        if (one != null) {
            return LongStream.of(one);
        }
        Long many = Long.getLong("crmsync.model.seeds");
        if (many != null) {
            long first = Long.getLong("crmsync.model.first-seed", 1);
            return LongStream.range(first, first + many);
        }
        // 89 met an update that landed unrecorded before its source was deleted (see PendingUpdate).
        return LongStream.of(11, 23, 42, 89);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldAgreeLinkOnceAndLoseNothingWhateverTheInterleavingAndCrashes(long seed) {
        random = new Random(seed);
        // The walk deletes at random among a handful of products, often more within an hour than the delete circuit
        // breaker lets through (20 %), which would then rightly hold them; the breaker has tests of its own.
        harness = newHarness("sync: { delete-threshold: 1 }\n");
        try {
            for (int step = 0; step < STEPS; step++) {
                step();
                harness.later(Duration.ofSeconds(30));
            }
            if (crashes == 0) {
                // Some walks never die on their own; every walk must meet at least one crash.
                createOrganisation(randomSide());
                crashingSync(1);
            }
            harness.sync();
            harness.sync();
            assertThat(crashes).as("runs that died on the way").isPositive();
            verify();
        } catch (AssertionError | RuntimeException e) {
            String replay = "mvn verify -Dtest=SyncModelTest -Dcrmsync.model.seed=" + seed;
            // Also on standard error: among hundreds of seeds, the failing ones must be easy to find in the log.
            System.err.println("SyncModelTest: seed " + seed + " FAILED; replay it with: " + replay);
            throw new AssertionError("model test failed with seed " + seed + " (replay it with: " + replay + "): "
                    + e.getMessage(), e);
        } finally {
            harness.close();
        }
    }

    /**
     * @param yaml configuration added to the harness's minimal file
     * @return the systems and store the walk runs on: a SQLite store here
     */
    SyncHarness newHarness(String yaml) {
        return SyncHarness.empty(yaml);
    }

    // ---------------------------------------------------------------- the random walk

    private void step() {
        int roll = random.nextInt(100);
        if (roll < 14) {
            createOrganisation(randomSide());
        } else if (roll < 28) {
            createPerson(randomSide());
        } else if (roll < 38) {
            createProduct(randomSide());
        } else if (roll < 70) {
            edit();
        } else if (roll < 76) {
            delete();
        } else if (roll < 86) {
            harness.sync();
            entities.forEach(e -> e.editedIn.clear());
        } else {
            crashingSync();
        }
    }

    private Side randomSide() {
        return random.nextBoolean() ? Side.WEBCRM : Side.CUSTOMCRM;
    }

    private void createOrganisation(Side side) {
        Entity e = new Entity(Flow.ORGANISATIONS, "DK" + (10_000_000 + ++counter));
        String name = "Model " + counter + " A/S";
        e.expected.put("name", name);
        e.expected.put("phone", "+45 70 00 " + counter);
        if (side == Side.WEBCRM) {
            e.ids.put(side, Integer.toString(harness.webcrm.createAsUser(WebcrmEntity.ORGANISATION,
                    Map.of("OrganisationName", name, "OrganisationVatNumber", e.key,
                            "OrganisationTelephone", e.expected.get("phone")))));
        } else {
            e.ids.put(side, harness.customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", name,
                    "vat_number", e.key, "phone", e.expected.get("phone"))).path("id").asString());
        }
        entities.add(e);
    }

    private void createPerson(Side side) {
        Optional<Entity> organisation = pick(Flow.ORGANISATIONS, side);
        if (organisation.isEmpty()) {
            return;
        }
        Entity e = new Entity(Flow.PERSONS, "person" + ++counter + "@model.example");
        e.parent = organisation.get();
        e.expected.put("last_name", "Holm" + counter);
        e.expected.put("job_title", "Buyer");
        if (side == Side.WEBCRM) {
            e.ids.put(side, Integer.toString(harness.webcrm.createAsUser(WebcrmEntity.PERSON,
                    Map.of("PersonLastName", e.expected.get("last_name"), "PersonEmail", e.key,
                            "PersonTitle", "Buyer",
                            "PersonOrganisationId", Integer.parseInt(e.parent.ids.get(side))))));
        } else {
            e.ids.put(side, harness.customcrm.createAsUser(RecordType.CONTACT, Map.of(
                    "last_name", e.expected.get("last_name"), "email", e.key, "job_title", "Buyer",
                    "customer_id", e.parent.ids.get(side))).path("id").asString());
        }
        entities.add(e);
    }

    private void createProduct(Side side) {
        Optional<Entity> organisation = pick(Flow.ORGANISATIONS, side);
        if (organisation.isEmpty()) {
            return;
        }
        Entity e = new Entity(Flow.PRODUCTS, "Product " + ++counter);
        e.parent = organisation.get();
        e.expected.put("name", e.key);
        e.expected.put("price", new BigDecimal("100.50"));
        if (side == Side.WEBCRM) {
            e.ids.put(side, Integer.toString(harness.webcrm.createAsUser(WebcrmEntity.PRODUCT,
                    Map.of("ProductCustom1", e.key, "ProductPrice", 100.5,
                            "ProductOrganisationId", Integer.parseInt(e.parent.ids.get(side))))));
        } else {
            e.ids.put(side, harness.customcrm.createAsUser(RecordType.PRODUCT, Map.of("name", e.key,
                    "price", new BigDecimal("100.50"), "customer_id", e.parent.ids.get(side))).path("id").asString());
        }
        entities.add(e);
    }

    private void edit() {
        List<Entity> live = entities.stream().filter(Entity::alive).toList();
        if (live.isEmpty()) {
            return;
        }
        Entity e = live.get(random.nextInt(live.size()));
        String field = switch (e.flow) {
            case ORGANISATIONS -> random.nextBoolean() ? "name" : "phone";
            case PERSONS -> "job_title";
            case PRODUCTS -> "price";
        };
        // One side per field between completed syncs: then the expected value is simply the last edit.
        Side side = e.editedIn.getOrDefault(field, randomSide());
        String id = idOn(e, side);
        if (id == null) {
            return;
        }
        Object value = switch (field) {
            case "price" -> new BigDecimal(random.nextInt(100_000) + ".25");
            case "phone" -> "+45 " + (20_000_000 + random.nextInt(70_000_000));
            default -> field + " " + ++counter;
        };
        if (side == Side.WEBCRM) {
            String property = switch (field) {
                case "name" -> "OrganisationName";
                case "phone" -> "OrganisationTelephone";
                case "job_title" -> "PersonTitle";
                default -> "ProductPrice";
            };
            WebcrmEntity entity = switch (e.flow) {
                case ORGANISATIONS -> WebcrmEntity.ORGANISATION;
                case PERSONS -> WebcrmEntity.PERSON;
                case PRODUCTS -> WebcrmEntity.PRODUCT;
            };
            harness.webcrm.editAsUser(entity, Integer.parseInt(id), Map.of(property, value));
        } else {
            harness.customcrm.editAsUser(type(e.flow), id, Map.of(field, value));
        }
        e.expected.put(field, value);
        e.editedIn.put(field, side);
    }

    private void delete() {
        List<Entity> products = entities.stream().filter(e -> e.alive() && e.flow == Flow.PRODUCTS).toList();
        if (products.isEmpty()) {
            return;
        }
        Entity e = products.get(random.nextInt(products.size()));
        // A delete on one side while the other side edited the record keeps the edit (the scenario tests cover
        // that); here the delete comes from the side that made the pending edits, if any.
        Side side = e.editedIn.values().stream().findFirst().orElse(randomSide());
        String id = idOn(e, side);
        if (id == null) {
            return;
        }
        if (side == Side.WEBCRM) {
            harness.webcrm.deleteAsUser(WebcrmEntity.PRODUCT, Integer.parseInt(id));
        } else {
            harness.customcrm.deleteAsUser(RecordType.PRODUCT, id);
        }
        e.deletedOn = side;
    }

    /**
     * A sync that dies: either after a random number of store writes, or right after a write landed on a system,
     * before crmsync could record its answer.
     */
    private void crashingSync() {
        crashingSync(1 + random.nextInt(60));
    }

    private void crashingSync(int storeWritesBeforeCrash) {
        double lostAnswerRate = random.nextInt(3) == 0 ? 0.5 : 0;
        int[] writes = {0};
        Random faults = new Random(random.nextLong());
        try {
            harness.runWith(new SyncCycle.Options(false, true, false),
                    store -> SimulatedCrash.beforeStoreWrite(store, writes, storeWritesBeforeCrash),
                    (side, connector) -> SimulatedCrash.losingAnswers(connector,
                            () -> faults.nextDouble() < lostAnswerRate));
        } catch (SimulatedCrash expected) {
            // The process died; the next run starts from the store file as it was left.
            crashes++;
        }
    }

    private Optional<Entity> pick(Flow flow, Side side) {
        List<Entity> candidates = entities.stream()
                .filter(e -> e.alive() && e.flow == flow && idOn(e, side) != null).toList();
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(random.nextInt(candidates.size())));
    }

    /** The entity's id on a side: known if created there, else from its link once a sync has made one. */
    private String idOn(Entity e, Side side) {
        if (e.ids.containsKey(side)) {
            return e.ids.get(side);
        }
        Map.Entry<Side, String> origin = e.ids.entrySet().iterator().next();
        Optional<Link> link = harness.link(e.flow, origin.getKey(), origin.getValue())
                .filter(l -> l.state() == LinkState.ACTIVE && l.idOn(side) != null);
        link.ifPresent(l -> e.ids.put(side, l.idOn(side)));
        return link.map(l -> l.idOn(side)).orElse(null);
    }

    private static RecordType type(Flow flow) {
        return switch (flow) {
            case ORGANISATIONS -> RecordType.CUSTOMER;
            case PERSONS -> RecordType.CONTACT;
            case PRODUCTS -> RecordType.PRODUCT;
        };
    }

    // ---------------------------------------------------------------- the checks

    private void verify() {
        SettledState state = SettledState.read(harness.config(), harness.clock);
        state.assertSettled();
        for (Flow flow : Flow.values()) {
            List<Entity> alive = entities.stream().filter(e -> e.flow == flow && e.alive()).toList();
            for (Side side : Side.values()) {
                assertThat(state.live(side, flow)).as("%s %s records: one per live entity, no duplicate", side, flow)
                        .hasSize(alive.size());
            }
            for (Entity e : alive) {
                Side origin = e.ids.keySet().iterator().next();
                Link link = state.link(flow, origin, e.ids.get(origin));
                FieldValues values = state.canonical(flow, Side.WEBCRM, link.webcrmId());
                e.expected.forEach((field, value) -> assertThat(values.get(field)).as("%s of %s", field, e.key)
                        .isEqualTo(FieldValues.of(Map.of(field, value)).get(field)));
            }
        }
    }
}
