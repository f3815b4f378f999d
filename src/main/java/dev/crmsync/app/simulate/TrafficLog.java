package dev.crmsync.app.simulate;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the requests a simulator answered, by route ({@code "PUT /Organisations/{id}"}) and by status, so that a
 * test can say "the second sync made zero writes" by counting, not by trusting the client.
 *
 * <p>This class is threadsafe.
 */
public final class TrafficLog {

    /** A snapshot of the counts. */
    public record Snapshot(long total, long writes, Map<String, Long> byRoute, Map<Integer, Long> byStatus) {

        /**
         * @param other the counts of another log, e.g. another tenant's
         * @return the counts of both together
         */
        public Snapshot plus(Snapshot other) {
            Map<String, Long> routes = new TreeMap<>(byRoute);
            other.byRoute().forEach((route, count) -> routes.merge(route, count, Long::sum));
            Map<Integer, Long> statuses = new TreeMap<>(byStatus);
            other.byStatus().forEach((status, count) -> statuses.merge(status, count, Long::sum));
            return new Snapshot(total + other.total(), writes + other.writes(), Map.copyOf(routes),
                    Map.copyOf(statuses));
        }
    }

    private final Map<String, Long> byRoute = new TreeMap<>();
    private final Map<Integer, Long> byStatus = new TreeMap<>();
    private long total;
    private long writes;

    /**
     * Records one answered request.
     *
     * @param method  the HTTP method
     * @param route   the route template that served it, or the raw path when none matched
     * @param status  the status sent
     * @param isWrite whether the request changes data in the simulated system
     */
    public synchronized void record(String method, String route, int status, boolean isWrite) {
        total++;
        if (isWrite) {
            writes++;
        }
        byRoute.merge(method + " " + route, 1L, Long::sum);
        byStatus.merge(status, 1L, Long::sum);
    }

    /**
     * @return the counts so far
     */
    public synchronized Snapshot snapshot() {
        return new Snapshot(total, writes, Map.copyOf(byRoute), Map.copyOf(byStatus));
    }

    /** Starts counting from zero. */
    public synchronized void reset() {
        byRoute.clear();
        byStatus.clear();
        total = 0;
        writes = 0;
    }
}
