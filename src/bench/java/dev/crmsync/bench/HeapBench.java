package dev.crmsync.bench;

import dev.crmsync.app.SyncConnection;
import dev.crmsync.model.Flow;
import dev.crmsync.model.LinkState;
import dev.crmsync.ports.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * crmsync's peak heap with many links in its store, measured in a child JVM ({@link HeapProbe}) so that the
 * simulators' heap, which holds every record of both systems, is not counted. The child first runs with the
 * goal's 512 MB as its {@code -Xmx}; only when that is not enough does it run again with room to spare, so the
 * report says by how much.
 *
 * <p>Not threadsafe.
 */
final class HeapBench {

    static final String SUITE = "heap";
    static final int BUDGET_MB = 512;
    private static final int ROOMY_MB = 4096;
    private static final int EDITS_PER_SIDE = 500;

    private final Path out;
    private final Console console;

    HeapBench(Path out, Console console) {
        this.out = out;
        this.console = console;
    }

    /**
     * @param world a linked world whose first sync is done; edited here
     * @param links the links its store holds, for the figure's name
     * @return the figure
     */
    Figure measure(SyncWorld world, int links) {
        String name = "heap_mb_" + Scale.label(links) + "_links";
        long stored = countLinks(world);
        world.later(Duration.ofMinutes(1));
        int edits = world.editCustomcrm(EDITS_PER_SIDE, "heap") + world.editWebcrm(EDITS_PER_SIDE, "heap",
                EDITS_PER_SIDE);
        world.later(Duration.ofMinutes(1));
        Path yaml = world.dir.resolve("heap.yaml");
        try {
            Files.writeString(yaml, world.yaml(world.webcrm.baseUrl(), world.customcrm.baseUrl()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Duration offset = Duration.between(Instant.now(), world.clock.instant());
        String label = Scale.label(links);
        console.step("heap: %,d links, %d edits; crmsync in a child JVM with -Xmx%dm", stored, edits, BUDGET_MB);
        JsonNode result = child(yaml, offset, BUDGET_MB, label);
        String budgetOutcome = result.path("outcome").asString();
        if (!"ok".equals(budgetOutcome)) {
            console.step("heap: %s at -Xmx%dm; again with -Xmx%dm to see how much it needs", budgetOutcome,
                    BUDGET_MB, ROOMY_MB);
            // The failed run may have written part of its work; the edits it did not carry are still there.
            result = child(yaml, offset, ROOMY_MB, label + "-roomy");
        }
        String outcome = result.path("outcome").asString();
        JsonNode inc = result.path("phases").path("incremental");
        JsonNode rec = result.path("phases").path("reconcile");
        Double value = "ok".equals(outcome) ? (double) Math.max(inc.path("peakMb").asLong(), rec.path("peakMb")
                .asLong()) : null;
        String notes = String.format(Locale.ROOT, "%,d links; at -Xmx%dm: %s%s; peak in use incl. garbage %,d MB; "
                        + "incremental sync of %d edits: %,d MB (%d collections), %.1f s; reconciliation listing all "
                        + "ids: %,d MB (%d collections), %.1f s; GC log target/bench/heap-%s-gc.log",
                stored, BUDGET_MB, "ok".equals(budgetOutcome) ? "completed" : budgetOutcome,
                "ok".equals(budgetOutcome) ? "" : ", so measured again at -Xmx" + ROOMY_MB + "m: " + outcome,
                result.path("peakUsedMb").asLong(), edits, inc.path("peakMb").asLong(),
                inc.path("collections").asLong(), inc.path("seconds").asDouble(), rec.path("peakMb").asLong(),
                rec.path("collections").asLong(), rec.path("seconds").asDouble(), label);
        return new Figure(name, SUITE, value, "MB", Goal.atMost(BUDGET_MB), definition(), notes);
    }

    static String definition() {
        return "Peak heap occupied right after a garbage collection (the live data an -Xmx must hold; a phase that "
                + "ends before any collection counts with its peak in use, an upper bound), in crmsync's own JVM, over an incremental sync of 500 edits on each side followed by a reconciliation that "
                + "lists every id of both systems, with the store holding that many links. Both systems are seeded "
                + "with the same records (a quarter organisations, three quarters persons) and the store is filled "
                + "as for idle_cycle_calls (every pair linked, both records observed and settled); crmsync then runs "
                + "in a child JVM with -Xmx512m (G1, GC log kept), again with -Xmx4g if 512 MB was not enough; the "
                + "simulators stay in the benchmark's JVM.";
    }

    private static long countLinks(SyncWorld world) {
        try (Store store = SyncConnection.openStore(world.config())) {
            long n = 0;
            for (Flow flow : Flow.values()) {
                n += store.countLinks(flow, LinkState.ACTIVE);
            }
            return n;
        }
    }

    private JsonNode child(Path yaml, Duration offset, int xmxMb, String label) {
        Path result = out.resolve("heap-" + label + ".json");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmxMb + "m", "-XX:+UseG1GC",
                "-Xlog:gc:file=" + out.resolve("heap-" + label + "-gc.log"),
                "-Dbench.out=" + out, "-Dbench.log=heap-" + label + ".log"));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HeapProbe.class.getName(),
                yaml.toString(), Long.toString(offset.toMillis()), result.toString()));
        try {
            Files.deleteIfExists(result);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.resolve("heap-" + label + ".out").toFile()).start();
            if (!process.waitFor(2, TimeUnit.HOURS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the heap probe did not finish in 2 hours");
            }
            if (!Files.exists(result)) {
                throw new IllegalStateException("the heap probe exited " + process.exitValue()
                        + " without a result; see " + out.resolve("heap-" + label + ".out"));
            }
            return JsonMapper.builder().build().readTree(Files.readString(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
