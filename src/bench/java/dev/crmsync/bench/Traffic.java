package dev.crmsync.bench;

import dev.crmsync.app.simulate.TrafficLog;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one simulator answered between two moments, from its own {@link TrafficLog}: the simulators count, not
 * crmsync, so a request crmsync does not know it sent (a retry, a login) still counts.
 *
 * @param total    requests answered
 * @param writes   of those, requests that change data
 * @param byRoute  requests per {@code METHOD /route}
 * @param byStatus requests per status
 */
record Traffic(long total, long writes, Map<String, Long> byRoute, Map<Integer, Long> byStatus) {

    Traffic {
        byRoute = Map.copyOf(byRoute);
        byStatus = Map.copyOf(byStatus);
    }

    static Traffic of(TrafficLog.Snapshot s) {
        return new Traffic(s.total(), s.writes(), s.byRoute(), s.byStatus());
    }

    /**
     * @param earlier the counts at the earlier moment
     * @return what was answered since
     */
    Traffic since(Traffic earlier) {
        Map<String, Long> routes = new HashMap<>(byRoute);
        earlier.byRoute.forEach((k, v) -> routes.merge(k, -v, Long::sum));
        routes.values().removeIf(v -> v == 0);
        Map<Integer, Long> statuses = new HashMap<>(byStatus);
        earlier.byStatus.forEach((k, v) -> statuses.merge(k, -v, Long::sum));
        statuses.values().removeIf(v -> v == 0);
        return new Traffic(total - earlier.total, writes - earlier.writes, routes, statuses);
    }

    Traffic plus(Traffic other) {
        Map<String, Long> routes = new HashMap<>(byRoute);
        other.byRoute.forEach((k, v) -> routes.merge(k, v, Long::sum));
        Map<Integer, Long> statuses = new HashMap<>(byStatus);
        other.byStatus.forEach((k, v) -> statuses.merge(k, v, Long::sum));
        return new Traffic(total + other.total, writes + other.writes, routes, statuses);
    }

    long status(int status) {
        return byStatus.getOrDefault(status, 0L);
    }

    /**
     * @param n how many routes
     * @return the busiest routes, e.g. {@code POST /persons 2,000, GET /changes 9}
     */
    String topRoutes(int n) {
        if (byRoute.isEmpty()) {
            return "none";
        }
        String top = byRoute.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%,d", e.getValue()))
                .collect(Collectors.joining(", "));
        return byRoute.size() > n ? top + ", ..." : top;
    }
}
