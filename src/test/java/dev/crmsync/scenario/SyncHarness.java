package dev.crmsync.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.engine.SyncRun;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.Store;
import dev.crmsync.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    final CustomcrmSimulator customcrm;
    private final Path dir;
    private final String extraYaml;

    private SyncHarness(SeedPlan webcrmPlan, SeedPlan customcrmPlan, String extraYaml) {
        try {
            this.dir = Files.createTempDirectory("crmsync-scenario-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.extraYaml = extraYaml;
        this.webcrm = WebcrmSimulator.builder().token(TOKEN).seed(7).seedPlan(webcrmPlan).clock(clock).build()
                .start("127.0.0.1", 0);
        this.customcrm = CustomcrmSimulator.builder().apiKey(KEY).seed(7).seedPlan(customcrmPlan).clock(clock)
                .build().start("127.0.0.1", 0);
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
     * @return both systems seeded, with overlapping companies
     */
    static SyncHarness seeded(SeedPlan webcrmPlan, SeedPlan customcrmPlan) {
        return new SyncHarness(webcrmPlan, customcrmPlan, "");
    }

    CrmsyncConfig config() {
        return new ConfigLoader(Map.of()).parse(yaml(), dir);
    }

    /**
     * @return the same configuration as a file, for a command run through the command line; it shares the store
     *         of {@link #sync()} and {@link #store}
     */
    Path configFile() {
        try {
            return Files.writeString(dir.resolve("crmsync.yaml"), yaml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String yaml() {
        return """
                webcrm:    { url: %s, token: %s }
                customcrm: { url: %s, api-key: %s }
                store:     { url: "jdbc:sqlite:%s" }
                """.formatted(webcrm.baseUrl(), TOKEN, customcrm.baseUrl(), KEY, dir.resolve("crmsync.db"))
                + extraYaml;
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
    }
}
