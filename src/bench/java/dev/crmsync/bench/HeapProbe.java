package dev.crmsync.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.app.SyncConnection;
import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.engine.SyncCycle;
import dev.crmsync.engine.SyncRun;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import tools.jackson.databind.json.JsonMapper;

/**
 * crmsync's sync in a JVM of its own, so that its heap is measured apart from the simulators': an incremental sync
 * (the edits made before it started), then a reconciliation that lists every id. Prints nothing; writes what it
 * measured as JSON to the file named by its third argument.
 *
 * <p>Arguments: the configuration file, the offset in milliseconds from the real clock to the simulators' clock
 * (the simulators run on the benchmark's shared clock, which is ahead of real time), and the result file.
 *
 * <p>Heap is read from the JVM's own reports: after every garbage collection the heap pools' occupancy before and
 * after it, and every 10 ms the heap in use. The peak after a collection is what must stay live, what an
 * {@code -Xmx} has to hold; the peak in use adds garbage not yet collected.
 */
public final class HeapProbe {

    private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();
    private static final AtomicLong PEAK_USED = new AtomicLong();
    private static final AtomicLong COLLECTIONS = new AtomicLong();

    private HeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path yaml = Path.of(args[0]);
        Duration offset = Duration.ofMillis(Long.parseLong(args[1]));
        Path resultFile = Path.of(args[2]);
        watchCollections();
        Thread sampler = Thread.ofPlatform().daemon().name("heap-sampler").start(HeapProbe::sample);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("xmxMb", Runtime.getRuntime().maxMemory() >> 20);
        Map<String, Object> phases = new LinkedHashMap<>();
        result.put("phases", phases);
        try {
            // The pace is lifted: it changes how long the reconciliation waits, not what it holds.
            CrmsyncConfig config = SyncWorld.unpaced(new ConfigLoader(Map.of()).load(yaml));
            InstantSource clock = () -> Instant.now().plus(offset);
            phases.put("incremental", phase(config, clock, new SyncCycle.Options(false, false, false)));
            phases.put("reconcile", phase(config, clock, new SyncCycle.Options(false, true, false)));
            result.put("outcome", "ok");
        } catch (OutOfMemoryError e) {
            result.put("outcome", "OutOfMemoryError");
        } catch (RuntimeException e) {
            result.put("outcome", e.toString());
        }
        sampler.interrupt();
        result.put("peakAfterGcMb", PEAK_AFTER_GC.get() >> 20);
        result.put("peakUsedMb", PEAK_USED.get() >> 20);
        result.put("collections", COLLECTIONS.get());
        Files.writeString(resultFile, JsonMapper.builder().build().writeValueAsString(result));
        System.exit("ok".equals(result.get("outcome")) ? 0 : 3);
    }

    private static Map<String, Object> phase(CrmsyncConfig config, InstantSource clock, SyncCycle.Options options) {
        long afterGcBefore = PEAK_AFTER_GC.getAndSet(0);
        long usedBefore = PEAK_USED.getAndSet(0);
        long collectionsBefore = COLLECTIONS.get();
        long started = System.nanoTime();
        Map<String, Object> out = new LinkedHashMap<>();
        try (SyncConnection connection = SyncConnection.open(config, clock, Sleeper.SYSTEM)) {
            SyncRun.Result result = connection.run(SyncWorld.MAX_CYCLES).untilQuiet(options, report -> { });
            out.put("cycles", result.cycles().size());
            out.put("read", result.cycles().stream().mapToInt(c -> c.read()).sum());
            out.put("writes", result.applied().writes());
        }
        out.put("seconds", (System.nanoTime() - started) / 1e9);
        long collections = COLLECTIONS.get() - collectionsBefore;
        out.put("collections", collections);
        out.put("peakAfterGcMb", PEAK_AFTER_GC.get() >> 20);
        out.put("peakUsedMb", PEAK_USED.get() >> 20);
        // A phase that ends before any collection has no after-GC reading; its peak in use bounds it from above.
        out.put("peakMb", (collections > 0 ? PEAK_AFTER_GC.get() : PEAK_USED.get()) >> 20);
        PEAK_AFTER_GC.accumulateAndGet(afterGcBefore, Math::max);
        PEAK_USED.accumulateAndGet(usedBefore, Math::max);
        return out;
    }

    private static void watchCollections() {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
                        .getGcInfo();
                COLLECTIONS.incrementAndGet();
                PEAK_AFTER_GC.accumulateAndGet(sum(info.getMemoryUsageAfterGc(), heapPools), Math::max);
                PEAK_USED.accumulateAndGet(sum(info.getMemoryUsageBeforeGc(), heapPools), Math::max);
            }, null, null);
        }
    }

    private static long sum(Map<String, MemoryUsage> pools, Set<String> heapPools) {
        return pools.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
    }

    private static void sample() {
        var memory = ManagementFactory.getMemoryMXBean();
        while (!Thread.currentThread().isInterrupted()) {
            PEAK_USED.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
