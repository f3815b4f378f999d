package dev.crmsync.bench;

import dev.crmsync.adapters.http.HttpCallObserver;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.engine.SyncProgress;
import dev.crmsync.testing.RecordingProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What crmsync's own work costs on top of the requests it sends: its first-sync throughput with every limit
 * off against a bare client that sends the same requests to identically seeded simulators. Three kinds of run,
 * each on fresh simulators: one through recording proxies (not timed, the proxies add their own hop), then
 * crmsync and the bare client in turns, timed.
 *
 * <p>Not threadsafe.
 */
final class OverheadBench {

    static final String SUITE = "overhead";

    private final Scale scale;
    private final Console console;
    private final boolean jfr;
    private final Path out;

    OverheadBench(Scale scale, Console console, boolean jfr, Path out) {
        this.scale = scale;
        this.console = console;
        this.jfr = jfr;
        this.out = out;
    }

    List<Figure> run() {
        SeedPlan plan = scale.createPlan();
        List<Replayer.Recorded> recorded;
        int created;
        console.step("overhead: recording crmsync's requests through proxies");
        // One sequence for both proxies, so that the replay keeps the order across the two systems.
        AtomicLong arrivals = new AtomicLong();
        try (SyncWorld world = world(plan);
             RecordingProxy webcrm = new RecordingProxy(world.webcrm.baseUrl(), arrivals);
             RecordingProxy customcrm = new RecordingProxy(world.customcrm.baseUrl(), arrivals)) {
            world.syncOnce(world.config(webcrm.url().toString(), customcrm.url().toString()), SyncProgress.NONE,
                    (s, c) -> c);
            created = world.webcrmRecords();
            recorded = merge(webcrm, customcrm);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a recording proxy", e);
        }
        List<Duration> crmsync = new ArrayList<>();
        List<Duration> waiting = new ArrayList<>();
        List<Replayer.Replay> bare = new ArrayList<>();
        for (int round = 1; round <= scale.overheadRounds(); round++) {
            try (SyncWorld world = world(plan)) {
                AnswerTime answers = new AnswerTime();
                SyncWorld.RunStats run = world.syncOnce(answers);
                crmsync.add(run.wall());
                waiting.add(answers.total());
                console.step("overhead round %d: crmsync %.2f s for %,d requests", round, seconds(run.wall()),
                        run.webcrm().total() + run.customcrm().total());
            }
            try (SyncWorld world = world(plan)) {
                Replayer.Replay replay = Replayer.replay(recorded, Map.of("webcrm", world.webcrm.baseUrl(),
                        "customcrm", world.customcrm.baseUrl()));
                bare.add(replay);
                console.step("overhead round %d: bare client %.2f s for %,d requests (%d answered otherwise than "
                        + "recorded)", round, seconds(replay.wall()), replay.requests(), replay.mismatched());
            }
        }
        if (jfr) {
            profile(plan);
        }
        int best = crmsync.indexOf(crmsync.stream().min(Duration::compareTo).orElseThrow());
        Duration bestCrmsync = crmsync.get(best);
        Duration bestWaiting = waiting.get(best);
        Replayer.Replay bestBare = bare.stream().min((a, b) -> a.wall().compareTo(b.wall())).orElseThrow();
        double ratio = seconds(bestBare.wall()) / seconds(bestCrmsync);
        String notes = String.format(Locale.ROOT, "crmsync %.2f s (%,.0f records/s), of which %.2f s waiting for "
                        + "answers and %.2f s its own work (store, planning, mapping, opening the store); bare client "
                        + "%.2f s (%,.0f records/s); best of %d runs each; %,d records created, %,d requests replayed, "
                        + "%d of them answered with another status than when recorded; all runs crmsync %s, bare %s",
                seconds(bestCrmsync), created / seconds(bestCrmsync), seconds(bestWaiting),
                seconds(bestCrmsync) - seconds(bestWaiting), seconds(bestBare.wall()),
                created / seconds(bestBare.wall()), crmsync.size(), created, recorded.size(),
                bestBare.mismatched(), list(crmsync), list(bare.stream().map(Replayer.Replay::wall).toList()));
        return List.of(new Figure("overhead_ratio", SUITE, ratio, "x bare client", Goal.atLeast(0.8),
                "crmsync's first-sync throughput / a bare client's, measured in the same run: the first sync of "
                        + CallCountBench.describe(plan) + " seeded in Customcrm into an empty webCRM with every rate "
                        + "limit off (simulator limit Integer.MAX_VALUE, crmsync's pace lifted in code), timed from "
                        + "opening the connection to closing it; the bare client replays the requests recorded by a "
                        + "proxy during an earlier identical sync, one after the other with java.net.http.HttpClient "
                        + "and no sync logic, against fresh identically seeded simulators. Same records, so the "
                        + "ratio is bare wall time / crmsync wall time; best run of each.",
                notes));
    }

    /** Adds up how long crmsync waited for answers, from its own HTTP client's reports. Threadsafe. */
    private static final class AnswerTime implements HttpCallObserver {
        private final AtomicLong nanos = new AtomicLong();

        @Override
        public void called(String system, String method, int status, Duration took) {
            nanos.addAndGet(took.toNanos());
        }

        Duration total() {
            return Duration.ofNanos(nanos.get());
        }
    }

    private void profile(SeedPlan plan) {
        try (SyncWorld world = world(plan)) {
            console.step("overhead: one more crmsync run under JFR");
            Path file = out.resolve("first-sync.jfr");
            String thread = Thread.currentThread().getName();
            JfrProfile.record(file, world::syncOnce);
            String top = JfrProfile.hotMethods(file, thread, 15);
            console.raw("Top 15 hot methods of crmsync's sync thread (JFR execution samples, " + file + "):\n" + top);
            JfrProfile.write(out.resolve("hot-methods.txt"), top);
        }
    }

    private static SyncWorld world(SeedPlan plan) {
        return SyncWorld.builder().customcrm(plan).realClock().unlimited().build();
    }

    private static List<Replayer.Recorded> merge(RecordingProxy webcrm, RecordingProxy customcrm) {
        List<Replayer.Recorded> all = new ArrayList<>();
        webcrm.exchanges().forEach(e -> all.add(new Replayer.Recorded("webcrm", e)));
        customcrm.exchanges().forEach(e -> all.add(new Replayer.Recorded("customcrm", e)));
        all.sort(Comparator.comparingLong(r -> r.exchange().seq()));
        return all;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static String list(List<Duration> walls) {
        return walls.stream().map(d -> String.format(Locale.ROOT, "%.2f s", seconds(d))).toList().toString();
    }
}
