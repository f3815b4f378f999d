package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.OnceRun;
import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.engine.SyncProgress;
import dev.crmsync.engine.SyncRun;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.Store;
import dev.crmsync.testing.MutableClock;
import dev.crmsync.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Both simulators and a store, wired as a user would wire them, for scenario tests over real HTTP. Every
 * {@link #sync()} opens a fresh connection on the same store file, as a new {@code crmsync sync --once} process
 * would. One clock serves both simulators and crmsync; crmsync's waits (pacing, Retry-After) move it instead of
 * sleeping.
 *
 * <p>Not threadsafe.
 */
final class SyncHarness implements AutoCloseable {

    static final String TOKEN = "scenario-token";
    static final String KEY = "scenario-key";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T09:00:00Z"));
    final WebcrmSimulator webcrm;
    CustomcrmSimulator customcrm;
    private final Path dir;
    private final String extraYaml;
    private final String systemYaml;
    private final boolean customcrmOnDisk;
    private final String customcrmUrl;
    /** The PostgreSQL schema of the store, or null for the SQLite file in {@link #dir}. */
    private final TestPostgres postgres;

    private SyncHarness(SeedPlan webcrmPlan, SeedPlan customcrmPlan, String extraYaml) {
        this(webcrmPlan, customcrmPlan, extraYaml, "", false, null);
    }

    private SyncHarness(SeedPlan webcrmPlan, SeedPlan customcrmPlan, String extraYaml, String systemYaml,
                        boolean customcrmOnDisk, TestPostgres postgres) {
        this.postgres = postgres;
        try {
            this.dir = Files.createTempDirectory("crmsync-scenario-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.extraYaml = extraYaml;
        this.systemYaml = systemYaml;
        this.customcrmOnDisk = customcrmOnDisk;
        this.webcrm = WebcrmSimulator.builder().token(TOKEN).seed(7).seedPlan(webcrmPlan).clock(clock).build()
                .start("127.0.0.1", 0);
        CustomcrmSimulator.Builder customcrmBuilder = CustomcrmSimulator.builder().apiKey(KEY).seed(7)
                .seedPlan(customcrmPlan).clock(clock);
        if (customcrmOnDisk) {
            customcrmBuilder.database(dir.resolve("customcrm.db"));
        }
        this.customcrm = customcrmBuilder.build().start("127.0.0.1", 0);
        this.customcrmUrl = customcrm.baseUrl();
    }

    /**
     * Both systems seeded, Customcrm keeping its records in a file so that it can be stopped and started again.
     *
     * @param systemYaml keys added to both systems' sections, in flow style, e.g. {@code timeout: 500ms}
     * @return the harness
     */
    static SyncHarness restartable(SeedPlan webcrmPlan, SeedPlan customcrmPlan, String systemYaml) {
        return new SyncHarness(webcrmPlan, customcrmPlan, "", systemYaml, true, null);
    }

    /** Stops Customcrm: its port refuses connections until {@link #startCustomcrmAgain()}. */
    void stopCustomcrm() {
        if (!customcrmOnDisk) {
            throw new IllegalStateException("only a restartable harness keeps Customcrm's records over a stop");
        }
        customcrm.stop();
    }

    /** Starts Customcrm again on the same port and records, as after a restart. */
    void startCustomcrmAgain() {
        int port = URI.create(customcrmUrl).getPort();
        customcrm = CustomcrmSimulator.builder().apiKey(KEY).seed(7).clock(clock)
                .database(dir.resolve("customcrm.db")).build().start("127.0.0.1", port);
    }

    /**
     * @return both systems empty
     */
    static SyncHarness empty() {
        return new SyncHarness(new SeedPlan(0, 0, 0, 0), new SeedPlan(0, 0, 0, 0), "");
    }

    /**
     * @param extraYaml configuration added to the minimal file, e.g. a {@code sync:} section
     * @return both systems empty, under that configuration
     */
    static SyncHarness empty(String extraYaml) {
        return new SyncHarness(new SeedPlan(0, 0, 0, 0), new SeedPlan(0, 0, 0, 0), extraYaml);
    }

    /**
     * Both systems empty, the store in a PostgreSQL schema of its own ({@link TestPostgres}) instead of a SQLite
     * file; the schema is dropped on {@link #close()}.
     *
     * @param extraYaml configuration added to the minimal file, e.g. a {@code sync:} section
     * @return the harness
     */
    static SyncHarness emptyOnPostgres(String extraYaml) {
        return new SyncHarness(new SeedPlan(0, 0, 0, 0), new SeedPlan(0, 0, 0, 0), extraYaml, "", false,
                TestPostgres.freshSchema());
    }

    /**
     * Both systems seeded, the store in a PostgreSQL schema of its own; see {@link #emptyOnPostgres}.
     */
    static SyncHarness seededOnPostgres(SeedPlan webcrmPlan, SeedPlan customcrmPlan) {
        return new SyncHarness(webcrmPlan, customcrmPlan, "", "", false, TestPostgres.freshSchema());
    }

    /**
     * @return both systems seeded, with overlapping companies
     */
    static SyncHarness seeded(SeedPlan webcrmPlan, SeedPlan customcrmPlan) {
        return new SyncHarness(webcrmPlan, customcrmPlan, "");
    }

    CrmsyncConfig config() {
        return new ConfigLoader(Map.of()).parse(yaml(), dir);
    }

    private String yaml() {
        String more = systemYaml.isEmpty() ? "" : ", " + systemYaml;
        return """
                webcrm:    { url: %s, token: %s%s }
                customcrm: { url: %s, api-key: %s%s }
                store:     { url: "%s" }
                """.formatted(webcrm.baseUrl(), TOKEN, more, customcrmUrl, KEY, more,
                postgres == null ? "jdbc:sqlite:" + storeFile() : postgres.url()) + extraYaml;
    }

    /**
     * @return the same configuration as {@link #config()} in a file, for the command line; both use one store
     */
    Path configFile() {
        try {
            return Files.writeString(dir.resolve("crmsync.yaml"), yaml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the store's file
     */
    Path storeFile() {
        if (postgres != null) {
            throw new IllegalStateException("this harness keeps its store in PostgreSQL, not in a file");
        }
        return dir.resolve("crmsync.db");
    }

    /**
     * Copies the store file aside, as a nightly backup would; the store is closed between runs, so the file alone
     * holds it.
     *
     * @param to where the copy goes
     */
    void backUpStore(Path to) {
        try {
            Files.copy(storeFile(), to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts a backup back in place of the store.
     *
     * @param from the copy {@link #backUpStore} made
     */
    void restoreStore(Path from) {
        loseStore();
        try {
            Files.copy(from, storeFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes the store file with its write-ahead log, as a lost disk or a forgotten backup would: the next run
     * starts from an empty store.
     */
    void loseStore() {
        try {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(storeFile() + suffix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code crmsync sync --once}: cycles until quiet, and checks that it settled.
     *
     * @return what the run did
     */
    SyncRun.Result sync() {
        return run(new SyncCycle.Options(false, true, false));
    }

    /**
     * @return what the run did, with the given options
     */
    SyncRun.Result run(SyncCycle.Options options) {
        return runWith(options, UnaryOperator.identity(), (side, connector) -> connector);
    }

    /**
     * Runs with the store and connectors wrapped, e.g. to make the "process" die at a chosen point.
     *
     * @return what the run did
     */
    SyncRun.Result runWith(SyncCycle.Options options, UnaryOperator<Store> storeWrapper,
                           BiFunction<Side, Connector, Connector> connectorWrapper) {
        Sleeper advance = duration -> clock.advance(duration);
        try (SyncConnection connection = SyncConnection.open(config(), clock, advance, storeWrapper,
                connectorWrapper)) {
            SyncRun.Result result = connection.run(10).untilQuiet(options, report -> { });
            assertThat(result.settled()).as("the run settled").isTrue();
            return result;
        }
    }

    /**
     * Runs {@code crmsync sync --once} as the command does, waiting for failed writes' next attempts up to
     * {@code maxWait} (on the harness's clock, which the waits move), without checking the outcome.
     *
     * @return what the run did
     */
    OnceRun.Outcome once(Duration maxWait) {
        Sleeper advance = duration -> clock.advance(duration);
        try (SyncConnection connection = SyncConnection.open(config(), clock, advance)) {
            return new OnceRun(connection, 10, maxWait, clock, advance).run(new SyncCycle.Options(false, true, false),
                    SyncProgress.NONE, report -> { });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * @param query what to ask the store
     * @return the answer, from a store opened and closed around the question
     */
    <T> T store(Function<Store, T> query) {
        try (Store store = SyncConnection.openStore(config())) {
            return query.apply(store);
        }
    }

    /**
     * @return the Customcrm id linked to a webCRM organisation, read from the store a configuration names
     */
    String link(Path config, int webcrmOrganisation) {
        CrmsyncConfig loaded = new ConfigLoader(Map.of()).load(config);
        try (Store store = SyncConnection.openStore(loaded)) {
            return store.linkOf(Flow.ORGANISATIONS, Side.WEBCRM, Integer.toString(webcrmOrganisation))
                    .orElseThrow().customcrmId();
        }
    }

    Optional<Link> link(Flow flow, Side side, String id) {
        return store(s -> s.linkOf(flow, side, id));
    }

    /**
     * @return data-changing requests each simulator has answered so far
     */
    long writes(Side side) {
        return side == Side.WEBCRM ? webcrm.traffic().snapshot().writes() : customcrm.traffic().snapshot().writes();
    }

    /**
     * Runs another sync a minute later, with nothing changed in between, and checks that it wrote nothing to
     * either system: only real changes move.
     */
    void assertAnotherSyncWritesNothing() {
        long webcrmWrites = writes(Side.WEBCRM);
        long customcrmWrites = writes(Side.CUSTOMCRM);
        later(Duration.ofMinutes(1));
        sync();
        assertThat(writes(Side.WEBCRM)).as("webCRM writes of a sync without change").isEqualTo(webcrmWrites);
        assertThat(writes(Side.CUSTOMCRM)).as("Customcrm writes of a sync without change").isEqualTo(customcrmWrites);
    }

    /** Moves the shared clock, so the next edit is clearly newer than the last. */
    void later(Duration step) {
        clock.advance(step);
    }

    @Override
    public void close() {
        webcrm.stop();
        customcrm.stop();
        if (postgres != null) {
            postgres.drop();
        }
    }
}
