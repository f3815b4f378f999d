package dev.crmsync.app.service;

import dev.crmsync.engine.SyncMetrics;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts what the running cycle does per flow, for the cycle log and the status: records read, writes landed,
 * writes failed and the longest end-to-end lag. The service resets it before each cycle.
 *
 * <p>This class is threadsafe: the worker counts while the API reads.
 */
public final class CycleTally implements SyncMetrics {

    /**
     * One flow's counts.
     *
     * @param read    records read
     * @param written writes landed
     * @param failed  writes failed
     * @param maxLag  the longest edit-seen-to-written lag, or null when nothing was written
     */
    public record Counts(int read, int written, int failed, Duration maxLag) {

        static final Counts ZERO = new Counts(0, 0, 0, null);

        Counts plusRead(int n) {
            return new Counts(read + n, written, failed, maxLag);
        }

        Counts plusWritten(Duration lag) {
            Duration longest = maxLag == null || (lag != null && lag.compareTo(maxLag) > 0) ? lag : maxLag;
            return new Counts(read, written + 1, failed, longest);
        }

        Counts plusFailed() {
            return new Counts(read, written, failed + 1, maxLag);
        }
    }

    private final Map<Flow, Counts> counts = new EnumMap<>(Flow.class);

    /** Starts counting a new cycle. */
    public synchronized void reset() {
        counts.clear();
    }

    /**
     * @return the counts of a flow since the last reset
     */
    public synchronized Counts of(Flow flow) {
        return counts.getOrDefault(flow, Counts.ZERO);
    }

    @Override
    public synchronized void read(Flow flow, Side side, int records) {
        counts.put(flow, of(flow).plusRead(records));
    }

    @Override
    public synchronized void written(Flow flow, Side target, WriteKind kind, Duration lag) {
        counts.put(flow, of(flow).plusWritten(lag));
    }

    @Override
    public synchronized void failed(Flow flow, Side target, boolean dead) {
        counts.put(flow, of(flow).plusFailed());
    }
}
