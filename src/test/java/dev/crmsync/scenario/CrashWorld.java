package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.app.simulate.webcrm.WebcrmTimestamps;
import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Store;
import dev.crmsync.testing.CommandRun;
import dev.crmsync.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One world for one crash point of {@link CrashSuiteTest}: both simulators seeded alike every time, in this JVM
 * (so they outlive the crmsync process that is killed), an empty store file and a configuration file for
 * {@code crmsync sync --once}, and, for the incremental phase, a first sync already done followed by edits,
 * creates and deletes on both sides. It knows what a settled sync must show afterwards ({@link #assertSynced}).
 *
 * <p>Batches and pages are small, so that even this small world takes a few hundred steps and a crash point can
 * fall between the batches of one flow, not only between flows. Not threadsafe.
 */
final class CrashWorld implements AutoCloseable {

    /** Which sync a crash point falls in. */
    enum Phase {
        FIRST_SYNC("first sync"),
        INCREMENTAL("incremental sync");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private static final String TOKEN = "crash-webcrm-token";
    private static final String KEY = "crash-customcrm-key";
    /** Four companies and their eight people are on both sides; products have no natural key. */
    private static final SeedPlan WEBCRM_SEED = new SeedPlan(0, 8, 16, 6);
    private static final SeedPlan CUSTOMCRM_SEED = new SeedPlan(4, 8, 16, 4);
    /** What the seed plans make once linked: 8 + 8 - 4 companies, 16 + 16 - 8 people, 6 + 4 products. */
    private static final Map<Flow, Integer> FIRST_SYNC_COUNTS =
            Map.of(Flow.ORGANISATIONS, 12, Flow.PERSONS, 24, Flow.PRODUCTS, 10);

    /** A field edited on one side, which must end up on both. */
    private record Edit(Flow flow, Side side, String id, String field, Object value) {
    }

    /** A record created on one side, found by the canonical value of a key field. */
    private record Created(Flow flow, Side side, String field, String key) {
    }

    /** A product deleted on one side, whose partner must be deleted too. */
    private record Deleted(Side side, String id, String partnerId) {
    }

    final WebcrmSimulator webcrm;
    final CustomcrmSimulator customcrm;
    final Path dir;
    final Path configFile;
    final CrmsyncConfig config;
    private final List<Edit> edits = new ArrayList<>();
    private final List<Created> created = new ArrayList<>();
    private final List<Deleted> deleted = new ArrayList<>();

    /** The PostgreSQL schema of the store, or null for a SQLite file in {@link #dir}. */
    private final TestPostgres postgres;

    private CrashWorld(TestPostgres postgres) {
        this.postgres = postgres;
        webcrm = WebcrmSimulator.builder().token(TOKEN).seed(7).seedPlan(WEBCRM_SEED).build().start("127.0.0.1", 0);
        customcrm = CustomcrmSimulator.builder().apiKey(KEY).seed(7).seedPlan(CUSTOMCRM_SEED).build()
                .start("127.0.0.1", 0);
        try {
            dir = temporaryFolder();
            configFile = dir.resolve("crmsync.yaml");
            Files.writeString(configFile, """
                    webcrm:    { url: %s, token: %s, page-size: 8, write-batch-size: 3 }
                    customcrm: { url: %s, api-key: %s, page-size: 8, write-batch-size: 3 }
                    store:     { url: "%s" }
                    sync:      { batch-size: 4 }
                    """.formatted(webcrm.baseUrl(), TOKEN, customcrm.baseUrl(), KEY,
                    postgres == null ? "jdbc:sqlite:crmsync.db" : postgres.url()));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
        config = new ConfigLoader(Map.of()).load(configFile);
    }

    /**
     * A killed process loses nothing the operating system already holds, so the store's disk flushes (one per
     * commit) buy this suite nothing but time: where the machine has a memory file system, the store lives there.
     */
    private static Path temporaryFolder() throws IOException {
        Path memory = Path.of("/dev/shm");
        return Files.isDirectory(memory) && Files.isWritable(memory)
                ? Files.createTempDirectory(memory, "crmsync-crash-") : Files.createTempDirectory("crmsync-crash-");
    }

    /**
     * @param phase which sync is to be crashed
     * @return a world ready for that sync: seeded and unsynced, or synced once and then changed on both sides
     */
    static CrashWorld before(Phase phase) {
        return before(phase, null);
    }

    /**
     * @param phase which sync is to be crashed
     * @return {@link #before(Phase)}'s world with the store in a PostgreSQL schema of its own, dropped on close
     */
    static CrashWorld beforeOnPostgres(Phase phase) {
        return before(phase, TestPostgres.freshSchema());
    }

    private static CrashWorld before(Phase phase, TestPostgres postgres) {
        CrashWorld world = new CrashWorld(postgres);
        if (phase == Phase.INCREMENTAL) {
            try {
                assertThat(world.syncInProcess()).as("exit status of the first sync before the changes").isZero();
                world.awaitTheNextWebcrmSecond();
                world.changeBothSides();
            } catch (RuntimeException | AssertionError e) {
                world.close();
                throw e;
            }
        }
        return world;
    }

    /**
     * Runs {@code crmsync sync --once} in this JVM, as the baseline of the incremental phase and as the check that
     * a recovered world is at rest.
     *
     * @return the command's exit status
     */
    int syncInProcess() {
        return new CommandRun().crmsync("sync", "--config", configFile.toString(), "--once");
    }

    /**
     * @return data-changing requests both simulators have answered so far
     */
    long writes() {
        return webcrm.traffic().snapshot().writes() + customcrm.traffic().snapshot().writes();
    }

    /**
     * webCRM stamps a change to the second. Edits made within the second of crmsync's last writes would share their
     * stamps, and the pages of the incremental read would then hold echoes and edits in an order that depends on
     * the moment, and so would the steps of the run. Made a second later, every run takes the same steps, so a
     * point stands for the same step each time.
     */
    private void awaitTheNextWebcrmSecond() {
        LocalDateTime synced = WebcrmTimestamps.now(InstantSource.system());
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> WebcrmTimestamps.now(InstantSource.system()).isAfter(synced));
    }

    /** Edits, creates and deletes on both sides, chosen among the linked pairs in the order they were linked. */
    private void changeBothSides() {
        Map<Flow, List<Link>> links = new EnumMap<>(Flow.class);
        try (Store store = SyncConnection.openStore(config)) {
            for (Flow flow : Flow.values()) {
                links.put(flow, store.links(flow, 0, Integer.MAX_VALUE));
            }
        }
        List<Link> organisations = links.get(Flow.ORGANISATIONS);
        List<Link> persons = links.get(Flow.PERSONS);
        List<Link> products = links.get(Flow.PRODUCTS);

        edit(organisations.get(0), Side.WEBCRM, "name", "Omdøbt Nord A/S");
        edit(organisations.get(1), Side.WEBCRM, "name", "Omdøbt Syd A/S");
        // One organisation edited on both sides, in different fields: both edits survive.
        edit(organisations.get(2), Side.WEBCRM, "name", "Begge Sider ApS");
        edit(organisations.get(2), Side.CUSTOMCRM, "phone", "+45 70 70 70 02");
        edit(organisations.get(3), Side.CUSTOMCRM, "phone", "+45 70 70 70 03");
        edit(organisations.get(4), Side.CUSTOMCRM, "phone", "+45 70 70 70 04");
        edit(persons.get(0), Side.WEBCRM, "job_title", "Indkøbschef");
        edit(persons.get(1), Side.WEBCRM, "job_title", "Direktør");
        edit(persons.get(2), Side.CUSTOMCRM, "job_title", "Head of Sales");
        edit(persons.get(3), Side.CUSTOMCRM, "job_title", "Controller");
        edit(products.get(0), Side.WEBCRM, "price", new BigDecimal("1999.50"));
        edit(products.get(1), Side.CUSTOMCRM, "price", new BigDecimal("249.75"));

        String parent = organisations.get(5).webcrmId();
        int newOrganisation = createOrganisationInWebcrm("Ny Kunde Et A/S", "DK90000001");
        createOrganisationInWebcrm("Ny Kunde To A/S", "DK90000002");
        createPersonInWebcrm(newOrganisation, "Ny", "ny.person@kunde-et.example");
        createPersonInWebcrm(Integer.parseInt(parent), "Anden", "anden.person@kunde.example");
        createProductInWebcrm(Integer.parseInt(parent), "Crash Widget W");

        String customer = organisations.get(6).customcrmId();
        String newCustomer = createCustomer("New Customer One Ltd", "GB900000001");
        createCustomer("New Customer Two Ltd", "GB900000002");
        createContact(newCustomer, "Newman", "new.contact@customer-one.example");
        createContact(customer, "Other", "other.contact@customer.example");
        createProductInCustomcrm(customer, "Crash Widget C");

        Link gone = products.get(2);
        webcrm.deleteAsUser(WebcrmEntity.PRODUCT, Integer.parseInt(gone.webcrmId()));
        deleted.add(new Deleted(Side.WEBCRM, gone.webcrmId(), gone.customcrmId()));
        gone = products.get(3);
        customcrm.deleteAsUser(RecordType.PRODUCT, gone.customcrmId());
        deleted.add(new Deleted(Side.CUSTOMCRM, gone.customcrmId(), gone.webcrmId()));
    }

    private void edit(Link link, Side side, String field, Object value) {
        String id = link.idOn(side);
        if (side == Side.WEBCRM) {
            WebcrmEntity entity = switch (link.flow()) {
                case ORGANISATIONS -> WebcrmEntity.ORGANISATION;
                case PERSONS -> WebcrmEntity.PERSON;
                case PRODUCTS -> WebcrmEntity.PRODUCT;
            };
            String property = switch (field) {
                case "name" -> "OrganisationName";
                case "job_title" -> "PersonTitle";
                case "price" -> "ProductPrice";
                default -> throw new IllegalArgumentException("no webCRM property for " + field);
            };
            webcrm.editAsUser(entity, Integer.parseInt(id), Map.of(property, value));
        } else {
            RecordType type = switch (link.flow()) {
                case ORGANISATIONS -> RecordType.CUSTOMER;
                case PERSONS -> RecordType.CONTACT;
                case PRODUCTS -> RecordType.PRODUCT;
            };
            customcrm.editAsUser(type, id, Map.of(field, value));
        }
        edits.add(new Edit(link.flow(), side, id, field, value));
    }

    private int createOrganisationInWebcrm(String name, String vat) {
        created.add(new Created(Flow.ORGANISATIONS, Side.WEBCRM, "vat_number", vat));
        return webcrm.createAsUser(WebcrmEntity.ORGANISATION, Map.of("OrganisationName", name,
                "OrganisationVatNumber", vat));
    }

    private void createPersonInWebcrm(int organisation, String lastName, String email) {
        created.add(new Created(Flow.PERSONS, Side.WEBCRM, "email", email));
        webcrm.createAsUser(WebcrmEntity.PERSON, Map.of("PersonLastName", lastName, "PersonEmail", email,
                "PersonOrganisationId", organisation));
    }

    private void createProductInWebcrm(int organisation, String name) {
        created.add(new Created(Flow.PRODUCTS, Side.WEBCRM, "name", name));
        webcrm.createAsUser(WebcrmEntity.PRODUCT, Map.of("ProductCustom1", name, "ProductPrice", 10.5,
                "ProductOrganisationId", organisation));
    }

    private String createCustomer(String name, String vat) {
        created.add(new Created(Flow.ORGANISATIONS, Side.CUSTOMCRM, "vat_number", vat));
        return customcrm.createAsUser(RecordType.CUSTOMER, Map.of("name", name, "vat_number", vat))
                .path("id").asString();
    }

    private void createContact(String customer, String lastName, String email) {
        created.add(new Created(Flow.PERSONS, Side.CUSTOMCRM, "email", email));
        customcrm.createAsUser(RecordType.CONTACT, Map.of("last_name", lastName, "email", email,
                "customer_id", customer));
    }

    private void createProductInCustomcrm(String customer, String name) {
        created.add(new Created(Flow.PRODUCTS, Side.CUSTOMCRM, "name", name));
        customcrm.createAsUser(RecordType.PRODUCT, Map.of("name", name, "price", new BigDecimal("10.50"),
                "customer_id", customer));
    }

    /**
     * Checks both systems and the store once the sync has settled: what every settled sync must show
     * ({@link SettledState#assertSettled()}), as many records on each side as the world should hold, and every
     * edit, create and delete of the incremental phase on both sides.
     */
    void assertSynced() {
        SettledState state = SettledState.read(config, InstantSource.system());
        state.assertSettled();
        for (Flow flow : Flow.values()) {
            long made = created.stream().filter(c -> c.flow() == flow).count();
            long removed = flow == Flow.PRODUCTS ? deleted.size() : 0;
            for (Side side : Side.values()) {
                assertThat(state.live(side, flow)).as("%s %s: no duplicate, nothing lost", side, flow)
                        .hasSize((int) (FIRST_SYNC_COUNTS.get(flow) + made - removed));
            }
        }
        for (Edit edit : edits) {
            Link link = state.link(edit.flow(), edit.side(), edit.id());
            Object expected = FieldValues.of(Map.of(edit.field(), edit.value())).get(edit.field());
            for (Side side : Side.values()) {
                assertThat(state.canonical(edit.flow(), side, link.idOn(side)).get(edit.field()))
                        .as("%s of %s %s, edited in %s, on %s", edit.field(), edit.flow(), edit.id(), edit.side(),
                                side)
                        .isEqualTo(expected);
            }
        }
        for (Created made : created) {
            for (Side side : Side.values()) {
                long found = state.live(side, made.flow()).keySet().stream()
                        .filter(id -> made.key().equals(state.canonical(made.flow(), side, id).get(made.field())))
                        .count();
                assertThat(found).as("%s %s %s created in %s, on %s", made.flow(), made.field(), made.key(),
                        made.side(), side).isEqualTo(1);
            }
        }
        for (Deleted gone : deleted) {
            assertThat(state.live(gone.side(), Flow.PRODUCTS)).doesNotContainKey(gone.id());
            assertThat(state.live(gone.side().other(), Flow.PRODUCTS))
                    .as("the partner of product %s, deleted in %s", gone.id(), gone.side())
                    .doesNotContainKey(gone.partnerId());
        }
    }

    @Override
    public void close() {
        webcrm.stop();
        customcrm.stop();
        if (postgres != null) {
            postgres.drop();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind harms nothing
            }
        }
    }
}
