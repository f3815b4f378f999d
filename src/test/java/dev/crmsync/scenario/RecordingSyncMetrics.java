package dev.crmsync.scenario;

import dev.crmsync.engine.SyncMetrics;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link SyncMetrics} that keeps everything it is told, in order, with a knob to act when a page is read (e.g.
 * to inject a fault between the reads and the writes of a cycle).
 *
 * <p>Not threadsafe: the engine tells it from the thread that runs the cycle.
 */
final class RecordingSyncMetrics implements SyncMetrics {

    record Read(Flow flow, Side side, int records) {
    }

    record Skipped(Flow flow, Side side) {
    }

    record Written(Flow flow, Side target, WriteKind kind, Duration lag) {
    }

    record Failed(Flow flow, Side target, boolean dead) {
    }

    record Conflicted(Flow flow, String policy) {
    }

    record Cycle(Set<Flow> flows, Duration took) {
    }

    final List<Object> events = new ArrayList<>();
    private Consumer<Read> onRead = read -> { };

    /**
     * @param action run after each page read is recorded
     * @return this
     */
    RecordingSyncMetrics onRead(Consumer<Read> action) {
        this.onRead = action;
        return this;
    }

    <T> List<T> all(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void read(Flow flow, Side side, int records) {
        Read read = new Read(flow, side, records);
        events.add(read);
        onRead.accept(read);
    }

    @Override
    public void skipped(Flow flow, Side side) {
        events.add(new Skipped(flow, side));
    }

    @Override
    public void written(Flow flow, Side target, WriteKind kind, Duration lag) {
        events.add(new Written(flow, target, kind, lag));
    }

    @Override
    public void failed(Flow flow, Side target, boolean dead) {
        events.add(new Failed(flow, target, dead));
    }

    @Override
    public void conflict(Flow flow, String policy) {
        events.add(new Conflicted(flow, policy));
    }

    @Override
    public void cycle(Set<Flow> flows, Duration took) {
        events.add(new Cycle(flows, took));
    }
}
