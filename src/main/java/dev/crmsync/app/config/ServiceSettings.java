package dev.crmsync.app.config;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@code crmsync run} serves and schedules: the management API's address and token, each flow's poll and
 * reconciliation intervals, and the address the two systems can send change hooks to.
 *
 * @param host      the address the API and dashboard bind to; loopback unless configured otherwise, so that a
 *                  service is not reachable from the network by accident
 * @param port      the port; 0 picks a free one (tests)
 * @param token     the bearer token the API requires; null when none is configured, which {@code run} accepts
 *                  only with {@code --insecure-no-auth}
 * @param publicUrl where webCRM and Customcrm can reach this service; when set, {@code run} registers change
 *                  hooks on both systems so that an edit starts a cycle at once. Null: polling only
 * @param schedules each flow's schedule
 */
public record ServiceSettings(String host, int port, Secret token, URI publicUrl, Map<Flow, Schedule> schedules,
                              ClusterSettings cluster) {

    /** The defaults of issue 4: a change read every 30 s, a complete id reconciliation for deletes every hour. */
    public static final Schedule DEFAULT_SCHEDULE = new Schedule(Duration.ofSeconds(30), Duration.ofHours(1));

    public ServiceSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        EnumMap<Flow, Schedule> all = new EnumMap<>(Flow.class);
        for (Flow flow : Flow.values()) {
            all.put(flow, schedules.getOrDefault(flow, DEFAULT_SCHEDULE));
        }
        schedules = Map.copyOf(all);
        cluster = cluster == null ? ClusterSettings.ofDefaults() : cluster;
    }

    /**
     * Settings with the default {@code cluster:} section.
     */
    public ServiceSettings(String host, int port, Secret token, URI publicUrl, Map<Flow, Schedule> schedules) {
        this(host, port, token, publicUrl, schedules, null);
    }

    /**
     * @return loopback, port 8080, no token, no hooks, the default schedule for every flow
     */
    public static ServiceSettings ofDefaults() {
        return new ServiceSettings("127.0.0.1", 8080, null, null, Map.of());
    }

    /**
     * @return a copy on another port
     */
    public ServiceSettings withPort(int newPort) {
        return new ServiceSettings(host, newPort, token, publicUrl, schedules, cluster);
    }

    /**
     * One flow's schedule.
     *
     * @param interval          how often changes are read
     * @param reconcileInterval how often the complete id lists are read, to notice deletes that leave no trace
     */
    public record Schedule(Duration interval, Duration reconcileInterval) {

        public Schedule {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive: " + interval);
            }
            if (reconcileInterval == null || reconcileInterval.compareTo(interval) < 0) {
                throw new IllegalArgumentException("reconcile-interval must be at least the interval " + interval
                        + ": " + reconcileInterval);
            }
        }
    }
}
