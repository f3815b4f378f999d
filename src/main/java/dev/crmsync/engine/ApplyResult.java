package dev.crmsync.engine;

import dev.crmsync.model.Side;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What applying a plan did: writes that landed per side, and the records that failed.
 *
 * <p>Not threadsafe: filled by one applier.
 */
public final class ApplyResult {

    private final Map<Side, int[]> written = new EnumMap<>(Side.class);
    private final List<String> failures = new ArrayList<>();
    private int retries;

    ApplyResult() {
        for (Side side : Side.values()) {
            written.put(side, new int[3]);
        }
    }

    void created(Side side) {
        written.get(side)[0]++;
    }

    void updated(Side side) {
        written.get(side)[1]++;
    }

    void deleted(Side side) {
        written.get(side)[2]++;
    }

    void failed(String reason) {
        failures.add(reason);
    }

    void retrying() {
        retries++;
    }

    /**
     * @return records created on {@code side}
     */
    public int creates(Side side) {
        return written.get(side)[0];
    }

    /**
     * @return records updated on {@code side}
     */
    public int updates(Side side) {
        return written.get(side)[1];
    }

    /**
     * @return records deleted on {@code side}
     */
    public int deletes(Side side) {
        return written.get(side)[2];
    }

    /**
     * @return the writes that landed, on both sides
     */
    public int writes() {
        int total = 0;
        for (int[] counts : written.values()) {
            total += counts[0] + counts[1] + counts[2];
        }
        return total;
    }

    /**
     * @return one line per record that became a dead letter in this run
     */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /**
     * @return records whose write failed for a passing reason and will be tried again
     */
    public int retries() {
        return retries;
    }

    void add(ApplyResult other) {
        for (Side side : Side.values()) {
            for (int i = 0; i < 3; i++) {
                written.get(side)[i] += other.written.get(side)[i];
            }
        }
        failures.addAll(other.failures);
        retries += other.retries;
    }
}
