package dev.crmsync.bench;

import dev.crmsync.app.simulate.customcrm.RecordType;
import dev.crmsync.app.simulate.webcrm.WebcrmEntity;
import dev.crmsync.model.Side;
import dev.crmsync.testing.ServiceHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/**
 * How long an edit takes to show on the other side with {@code crmsync run}: with change hooks, and with polling
 * alone. Real time, real HTTP, both simulators and the service in this JVM (the service of the tests'
 * {@link ServiceHarness}). An edit counts as arrived when the other simulator's own copy of the record shows it;
 * crmsync is not asked.
 *
 * <p>Not threadsafe.
 */
final class LatencyBench {

    static final String SUITE = "latency";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    /** After an edit arrives, the cycle that carried it still settles its echo; the next edit waits that long. */
    private static final Duration SETTLE = Duration.ofMillis(200);
    /**
     * With hooks, an edit starts at least this long after the one before: each costs crmsync about three webCRM
     * requests, so a second apart keeps the stream within its pace of 240 a minute under webCRM's 250. Edits
     * made faster than that are held to the pace, and the wait for the next minute's budget, up to a minute,
     * would be measured instead of the hooks.
     */
    private static final Duration HOOK_SPACING = Duration.ofSeconds(1);

    /**
     * The latencies of one mode.
     *
     * @param millis   every edit that arrived, in order
     * @param lost     edits that never arrived within {@link #PATIENCE}
     * @param slow     edits slower than a second, e.g. {@code #12 webCRM->Customcrm 45,819 ms}: a tail worth a look
     */
    record Latencies(List<Double> millis, int lost, List<String> slow) {
    }

    private record Pair(int webcrmId, String customcrmId) {
    }

    private final Scale scale;
    private final Console console;
    /** Seeded, so that two runs wait the same way. */
    private final Random random = new Random(10);

    LatencyBench(Scale scale, Console console) {
        this.scale = scale;
        this.console = console;
    }

    List<Figure> run() {
        List<Figure> out = new ArrayList<>();
        console.step("latency: %d edits, change hooks on", scale.hookEdits());
        Latencies hooks;
        try (ServiceHarness harness = ServiceHarness.withHooks("sync: { interval: 1h, reconcile-interval: 1h }\n")) {
            await(() -> harness.service().hooks().orElseThrow().isRegistered(Side.WEBCRM)
                    && harness.service().hooks().orElseThrow().isRegistered(Side.CUSTOMCRM), "hooks registered");
            hooks = measure(harness, scale.hookEdits(), "hook", Duration.ZERO, HOOK_SPACING);
        }
        String hookNotes = notes(hooks, "change hooks on, poll interval 1 h");
        out.add(new Figure("latency_p50_ms_hooks", SUITE, Percentiles.of(50, hooks.millis()), "ms", Goal.atMost(1_000),
                definition(scale.hookEdits(), "change hooks on (server.public-url set, both systems call the service "
                        + "back), poll interval 1 h so that only hooks can carry an edit"), hookNotes));
        out.add(new Figure("latency_p99_ms_hooks", SUITE, Percentiles.of(99, hooks.millis()), "ms", Goal.none(),
                "The 99th percentile (nearest rank) of the same edits as latency_p50_ms_hooks.", hookNotes));
        console.step("latency: %d edits, hooks off, polling every 5 s", scale.pollingEdits());
        Latencies polling;
        try (ServiceHarness harness = ServiceHarness.start("sync: { interval: " + POLL_INTERVAL.toSeconds()
                + "s, reconcile-interval: 1h }\n")) {
            polling = measure(harness, scale.pollingEdits(), "poll", POLL_INTERVAL, Duration.ZERO);
        }
        out.add(new Figure("latency_p50_ms_polling", SUITE, Percentiles.of(50, polling.millis()), "ms", Goal.none(),
                definition(scale.pollingEdits(), "hooks off, sync.interval 5 s; fewer edits than with hooks because "
                        + "each waits for a poll"), notes(polling, "hooks off, poll interval 5 s")));
        return out;
    }

    /**
     * @param jitter the longest random wait before each edit: with polling, an edit made a fixed time after the
     *               last arrived would always meet the poll at the same phase, so edits are spread over the interval
     */
    private Latencies measure(ServiceHarness harness, int edits, String tag, Duration jitter, Duration spacing) {
        List<Pair> pairs = await(() -> pairs(harness), "the first sync's organisation links");
        List<Double> millis = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        int lost = 0;
        long lastStart = System.nanoTime() - spacing.toNanos();
        for (int i = 0; i < edits; i++) {
            if (!jitter.isZero()) {
                pause(Duration.ofMillis(random.nextLong(jitter.toMillis())));
            }
            Pair pair = pairs.get(i % pairs.size());
            String value = tag + " edit " + i;
            boolean fromWebcrm = i % 2 == 0;
            long sinceLast = System.nanoTime() - lastStart;
            if (sinceLast < spacing.toNanos()) {
                pause(Duration.ofNanos(spacing.toNanos() - sinceLast));
            }
            long start = System.nanoTime();
            lastStart = start;
            if (fromWebcrm) {
                harness.webcrm().editAsUser(WebcrmEntity.ORGANISATION, pair.webcrmId(),
                        Map.of("OrganisationComment", value));
            } else {
                harness.customcrm().editAsUser(RecordType.CUSTOMER, pair.customcrmId(), Map.of("notes", value));
            }
            boolean arrived = poll(() -> fromWebcrm
                    ? value.equals(harness.customcrm().record(RecordType.CUSTOMER, pair.customcrmId())
                    .orElseThrow().path("notes").asString(null))
                    : value.equals(harness.webcrm().record(WebcrmEntity.ORGANISATION, pair.webcrmId())
                    .orElseThrow().path("OrganisationComment").asString(null)));
            double took = (System.nanoTime() - start) / 1e6;
            String direction = fromWebcrm ? "webCRM->Customcrm" : "Customcrm->webCRM";
            if (arrived) {
                millis.add(took);
                if (took > 1_000) {
                    slow.add(String.format(Locale.ROOT, "#%d %s %,.0f ms", i, direction, took));
                }
            } else {
                lost++;
                slow.add("#" + i + " " + direction + " never");
            }
            pause(SETTLE);
        }
        if (millis.isEmpty()) {
            throw new IllegalStateException("no edit arrived within " + PATIENCE);
        }
        return new Latencies(millis, lost, slow);
    }

    private static List<Pair> pairs(ServiceHarness harness) {
        List<Pair> out = new ArrayList<>();
        for (JsonNode link : harness.api("GET", "/api/links?flow=organisations", null).json().path("items")) {
            if (link.path("state").asString().equals("active") && link.path("webcrmId").isString()
                    && link.path("customcrmId").isString()) {
                out.add(new Pair(Integer.parseInt(link.path("webcrmId").asString()),
                        link.path("customcrmId").asString()));
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** Polls every millisecond: the target is read in-process, so polling costs the service nothing. */
    private static boolean poll(BooleanSupplier arrived) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (arrived.getAsBoolean()) {
                return true;
            }
            pause(Duration.ofMillis(1));
        }
        return false;
    }

    private static <T> T await(java.util.function.Supplier<T> value, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            T v = value.get();
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            pause(Duration.ofMillis(50));
        }
        throw new IllegalStateException("waited " + PATIENCE + " for " + what);
    }

    private static void await(BooleanSupplier condition, String what) {
        await(() -> condition.getAsBoolean() ? Boolean.TRUE : null, what);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String definition(int edits, String mode) {
        return "Median (nearest rank) over " + edits + " edits of the time from an edit made as a user in one "
                + "simulator (organisation comment / customer notes, alternating webCRM and Customcrm, rotating over "
                + "the linked organisations) until the other simulator's own copy of the record shows it, polled "
                + "every millisecond in-process; crmsync run as a service on the real clock, " + mode + ". Each "
                + "edit waits for the previous to arrive and 200 ms more, so cycles do not overlap; with hooks, an "
                + "edit also starts at least 1 s after the one before, which keeps the stream (about three webCRM "
                + "requests an edit) within crmsync's pace of 240 a minute: faster edits wait for the next minute's "
                + "budget; with polling, also a random wait of up to one interval, so edits meet the poll at every "
                + "phase.";
    }

    private static String notes(Latencies l, String mode) {
        return String.format(Locale.ROOT, "%s; %d edits arrived (min %.0f, p50 %.0f, p90 %.0f, p99 %.0f, max %.0f ms)"
                        + "%s; slower than 1 s: %s", mode, l.millis().size(), Percentiles.of(0.001, l.millis()),
                Percentiles.of(50, l.millis()), Percentiles.of(90, l.millis()), Percentiles.of(99, l.millis()),
                Percentiles.of(100, l.millis()), l.lost() == 0 ? "" : "; " + l.lost() + " never arrived within "
                        + PATIENCE.toSeconds() + " s and are left out",
                l.slow().isEmpty() ? "none" : String.join(", ", l.slow()));
    }
}
