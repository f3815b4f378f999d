package dev.crmsync.bench;

import dev.crmsync.adapters.http.HttpCallObserver;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.adapters.webcrm.WebcrmSettings;
import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.customcrm.CustomcrmSimulator;
import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.app.simulate.webcrm.WebcrmSimulator;
import dev.crmsync.engine.CycleReport;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.engine.SyncMetrics;
import dev.crmsync.engine.SyncProgress;
import dev.crmsync.engine.SyncRun;
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
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Both simulators and a store, wired as a user wires them, for one benchmark: every {@link #syncOnce} opens a
 * fresh connection on the same store file, as {@code crmsync sync --once} does, and reports what each simulator
 * answered meanwhile.
 *
 * <p>With a {@link MutableClock} (the default) one clock serves both simulators and crmsync, and crmsync's waits
 * (its own pace, Retry-After) move it instead of sleeping, so request counts are measured without waiting out
 * webCRM's rate limit. With the real clock, waits are real.
 *
 * <p>Not threadsafe.
 */
final class SyncWorld implements AutoCloseable {

    static final String TOKEN = "bench-webcrm-token";
    static final String KEY = "bench-customcrm-key";
    static final int MAX_CYCLES = 10;

    /** What a world is made of. Not threadsafe. */
    static final class Builder {
        private SeedPlan webcrmPlan = new SeedPlan(0, 0, 0, 0);
        private SeedPlan customcrmPlan = new SeedPlan(0, 0, 0, 0);
        private boolean realClock;
        private int webcrmLimit = 250;
        private boolean unpaced;
        private String extraYaml = "";

        Builder webcrm(SeedPlan plan) {
            this.webcrmPlan = plan;
            return this;
        }

        Builder customcrm(SeedPlan plan) {
            this.customcrmPlan = plan;
            return this;
        }

        /** Real time: crmsync's pace and the simulator's rate limit cost wall time. */
        Builder realClock() {
            this.realClock = true;
            return this;
        }

        /** No rate limit anywhere: the simulator admits everything and crmsync does not pace itself. */
        Builder unlimited() {
            this.unpaced = true;
            return simulatorUnlimited();
        }

        /**
         * The webCRM simulator admits everything; crmsync keeps its configured pace. For worlds that a process
         * on another clock syncs later, where the simulator's window would otherwise never slide.
         */
        Builder simulatorUnlimited() {
            this.webcrmLimit = Integer.MAX_VALUE;
            return this;
        }

        Builder extraYaml(String yaml) {
            this.extraYaml = yaml;
            return this;
        }

        SyncWorld build() {
            return new SyncWorld(this);
        }
    }

    /** One cycle of a run, and what each system answered during it. */
    record CycleTraffic(CycleReport report, Traffic webcrm, Traffic customcrm) {
    }

    /**
     * A run of cycles until quiet.
     *
     * @param result  what the run did, or null when it was stopped before its end
     * @param wall    from opening the connection until it was closed, on the real clock
     * @param webcrm  what webCRM answered over the whole run, the login included
     * @param customcrm what Customcrm answered over the whole run
     * @param cycles  each finished cycle
     * @param stopped why the run ended early, or null
     */
    record RunStats(SyncRun.Result result, Duration wall, Traffic webcrm, Traffic customcrm,
                    List<CycleTraffic> cycles, Throwable stopped) {
    }

    final InstantSource clock;
    final MutableClock mutableClock;
    final WebcrmSimulator webcrm;
    final CustomcrmSimulator customcrm;
    final Path dir;
    private final boolean unpaced;
    private final String extraYaml;

    private SyncWorld(Builder b) {
        try {
            this.dir = Files.createTempDirectory("crmsync-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Whole seconds: webCRM's stamps have no fraction, and a start inside a second would blur the first one.
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        this.mutableClock = b.realClock ? null : new MutableClock(start);
        this.clock = b.realClock ? InstantSource.system() : mutableClock;
        this.unpaced = b.unpaced;
        this.extraYaml = b.extraYaml;
        this.webcrm = WebcrmSimulator.builder().token(TOKEN).seed(7).seedPlan(b.webcrmPlan).clock(clock)
                .rateLimit(b.webcrmLimit, Duration.ofMinutes(1)).build().start("127.0.0.1", 0);
        this.customcrm = CustomcrmSimulator.builder().apiKey(KEY).seed(7).seedPlan(b.customcrmPlan).clock(clock)
                .database(dir.resolve("customcrm.db")).build().start("127.0.0.1", 0);
    }

    static Builder builder() {
        return new Builder();
    }

    /**
     * @return the configuration {@code sync --once} would load, pointed at both simulators
     */
    CrmsyncConfig config() {
        return config(webcrm.baseUrl(), customcrm.baseUrl());
    }

    /**
     * @param webcrmUrl    where crmsync finds webCRM, e.g. a recording proxy in front of the simulator
     * @param customcrmUrl where it finds Customcrm
     * @return the configuration
     */
    CrmsyncConfig config(String webcrmUrl, String customcrmUrl) {
        CrmsyncConfig config = new ConfigLoader(Map.of()).parse(yaml(webcrmUrl, customcrmUrl), dir);
        return unpaced ? unpaced(config) : config;
    }

    /**
     * @return the configuration file's text; without the pace limit lifted, which YAML cannot lift
     */
    String yaml(String webcrmUrl, String customcrmUrl) {
        return """
                webcrm:    { url: %s, token: %s }
                customcrm: { url: %s, api-key: %s }
                store:     { url: "jdbc:sqlite:%s" }
                """.formatted(webcrmUrl, TOKEN, customcrmUrl, KEY, storeFile()) + extraYaml;
    }

    Path storeFile() {
        return dir.resolve("crmsync.db");
    }

    /**
     * The configuration with crmsync's own webCRM pace lifted. The YAML caps {@code requests-per-minute} at
     * webCRM's 250, so only code can lift it, as the overhead benchmark needs.
     */
    static CrmsyncConfig unpaced(CrmsyncConfig config) {
        WebcrmSettings w = config.webcrm();
        WebcrmSettings free = new WebcrmSettings(w.url(), w.token(), w.timeZone(), w.overlap(), w.pageSize(),
                Integer.MAX_VALUE, w.timeout(), w.writeBatchSize());
        return new CrmsyncConfig(free, config.customcrm(), config.storeUrl(), config.sync(), config.mappings(),
                config.service());
    }

    Sleeper sleeper() {
        return mutableClock == null ? Sleeper.SYSTEM : mutableClock::advance;
    }

    /**
     * Runs {@code crmsync sync --once}: cycles until quiet, ids listed in the first.
     */
    RunStats syncOnce() {
        return syncOnce(config(), SyncProgress.NONE, (side, connector) -> connector);
    }

    /**
     * Runs the cycles a running service spends on changes between two of its hourly id listings: cycles until
     * quiet, as {@link #syncOnce()}, but without the complete id listing a {@code sync --once} reads first.
     */
    RunStats syncCycles() {
        return syncOnce(() -> SyncConnection.open(config(), clock, sleeper(), UnaryOperator.identity(),
                (side, connector) -> connector), SyncProgress.NONE, false);
    }

    /**
     * @param config           the configuration to run with
     * @param within           told how each cycle gets on
     * @param connectorWrapper wraps each side's connector, e.g. to stop the run at a deadline
     * @return what the run did and cost; a run stopped by an {@link Error} from a wrapper returns with
     *         {@code stopped} set
     */
    RunStats syncOnce(CrmsyncConfig config, SyncProgress within,
                      BiFunction<Side, Connector, Connector> connectorWrapper) {
        return syncOnce(config, within, UnaryOperator.identity(), connectorWrapper);
    }

    /**
     * @param storeWrapper wraps the store, e.g. to stop the run at a deadline while it plans
     * @return what the run did and cost
     */
    RunStats syncOnce(CrmsyncConfig config, SyncProgress within, UnaryOperator<Store> storeWrapper,
                      BiFunction<Side, Connector, Connector> connectorWrapper) {
        return syncOnce(() -> SyncConnection.open(config, clock, sleeper(), storeWrapper, connectorWrapper), within,
                true);
    }

    /**
     * @param requests told about every request crmsync sends and how long its answer took
     * @return what the run did and cost
     */
    RunStats syncOnce(HttpCallObserver requests) {
        return syncOnce(() -> SyncConnection.open(config(), clock, sleeper(), SyncMetrics.NONE, requests),
                SyncProgress.NONE, true);
    }

    private RunStats syncOnce(Supplier<SyncConnection> opener, SyncProgress within, boolean listIds) {
        Traffic webcrmBefore = Traffic.of(webcrm.traffic().snapshot());
        Traffic customcrmBefore = Traffic.of(customcrm.traffic().snapshot());
        List<CycleTraffic> cycles = new ArrayList<>();
        Traffic[] cycleStart = {webcrmBefore, customcrmBefore};
        long started = System.nanoTime();
        SyncRun.Result result = null;
        Throwable stopped = null;
        try (SyncConnection connection = opener.get()) {
            result = connection.run(MAX_CYCLES).untilQuiet(new SyncCycle.Options(false, listIds, false), within,
                    report -> {
                        Traffic w = Traffic.of(webcrm.traffic().snapshot());
                        Traffic c = Traffic.of(customcrm.traffic().snapshot());
                        cycles.add(new CycleTraffic(report, w.since(cycleStart[0]), c.since(cycleStart[1])));
                        cycleStart[0] = w;
                        cycleStart[1] = c;
                    });
        } catch (DeadlineConnectors.Deadline e) {
            stopped = e;
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        return new RunStats(result, wall, Traffic.of(webcrm.traffic().snapshot()).since(webcrmBefore),
                Traffic.of(customcrm.traffic().snapshot()).since(customcrmBefore), cycles, stopped);
    }

    /** Moves the shared clock, so that what follows is clearly later; nothing with the real clock. */
    void later(Duration step) {
        if (mutableClock != null) {
            mutableClock.advance(step);
        }
    }

    int webcrmRecords() {
        int n = 0;
        for (WebcrmEntity e : WebcrmEntity.values()) {
            n += webcrm.count(e);
        }
        return n;
    }

    int customcrmRecords() {
        int n = 0;
        for (RecordType t : RecordType.values()) {
            n += customcrm.count(t);
        }
        return n;
    }

    /**
     * Edits {@code n} records in Customcrm as its users would, about two fifths customers, two fifths contacts and
     * a fifth products, each in a field every default mapping carries over (notes, description).
     *
     * @return the number of records edited
     */
    int editCustomcrm(int n, String tag) {
        int[] split = split(n, customcrm.count(RecordType.CUSTOMER), customcrm.count(RecordType.CONTACT),
                customcrm.count(RecordType.PRODUCT));
        int done = 0;
        for (int i = 1; i <= split[0]; i++, done++) {
            customcrm.editAsUser(RecordType.CUSTOMER, "cus_" + i, Map.of("notes", tag + " customer " + i));
        }
        for (int i = 1; i <= split[1]; i++, done++) {
            customcrm.editAsUser(RecordType.CONTACT, "con_" + i, Map.of("notes", tag + " contact " + i));
        }
        for (int i = 1; i <= split[2]; i++, done++) {
            customcrm.editAsUser(RecordType.PRODUCT, "prd_" + i, Map.of("description", tag + " product " + i));
        }
        return done;
    }

    /**
     * Edits {@code n} records in webCRM as its users would, split as {@link #editCustomcrm} splits them.
     *
     * @return the number of records edited
     */
    int editWebcrm(int n, String tag) {
        return editWebcrm(n, tag, 0);
    }

    /**
     * @param skip how many records of each kind to leave out first, so that edits on both sides touch different
     *             records
     * @return the number of records edited
     */
    int editWebcrm(int n, String tag, int skip) {
        int[] split = split(n, Math.max(0, webcrm.count(WebcrmEntity.ORGANISATION) - skip),
                Math.max(0, webcrm.count(WebcrmEntity.PERSON) - skip),
                Math.max(0, webcrm.count(WebcrmEntity.PRODUCT) - skip));
        int done = 0;
        for (int i = skip + 1; i <= skip + split[0]; i++, done++) {
            webcrm.editAsUser(WebcrmEntity.ORGANISATION, i, Map.of("OrganisationComment", tag + " organisation " + i));
        }
        for (int i = skip + 1; i <= skip + split[1]; i++, done++) {
            webcrm.editAsUser(WebcrmEntity.PERSON, i, Map.of("PersonComment", tag + " person " + i));
        }
        for (int i = skip + 1; i <= skip + split[2]; i++, done++) {
            webcrm.editAsUser(WebcrmEntity.PRODUCT, i, Map.of("ProductComment", tag + " product " + i));
        }
        return done;
    }

    /** Two fifths, two fifths, one fifth, each capped at what exists; what a cap leaves over goes to the others. */
    static int[] split(int n, int companies, int people, int products) {
        int[] caps = {companies, people, products};
        int[] out = {Math.min(caps[0], n * 2 / 5), Math.min(caps[1], n * 2 / 5), 0};
        out[2] = Math.min(caps[2], n - out[0] - out[1]);
        for (int i = 0; i < 3; i++) {
            int left = n - out[0] - out[1] - out[2];
            out[i] += Math.min(left, caps[i] - out[i]);
        }
        return out;
    }

    @Override
    public void close() {
        webcrm.close();
        customcrm.close();
    }
}
