package dev.crmsync.app.cli;

import dev.crmsync.app.simulate.FaultSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The fault-injection options both {@code simulate} commands take. The same knobs are reachable at run time
 * over HTTP under {@code /_sim/faults}.
 */
public final class FaultOptions {

    @Option(names = "--latency-ms", paramLabel = "MS", defaultValue = "0",
            description = "Extra delay before every answer, in milliseconds (default: ${DEFAULT-VALUE}).")
    long latencyMillis;

    @Option(names = "--error-rate", paramLabel = "SHARE", defaultValue = "0",
            description = "Share of requests answered with a 5xx, 0..1 (default: ${DEFAULT-VALUE}).")
    double errorRate;

    @Option(names = "--drop-rate", paramLabel = "SHARE", defaultValue = "0",
            description = "Share of requests whose connection is closed without an answer, 0..1 (default: ${DEFAULT-VALUE}).")
    double dropRate;

    @Option(names = "--malformed-page-rate", paramLabel = "SHARE", defaultValue = "0",
            description = "Share of list pages cut off mid-JSON, 0..1 (default: ${DEFAULT-VALUE}).")
    double malformedPageRate;

    /**
     * @return the options as validated settings
     * @throws IllegalArgumentException naming the option when a value is out of range
     */
    public FaultSettings toSettings() {
        if (latencyMillis < 0) {
            throw new IllegalArgumentException("--latency-ms must be zero or positive: " + latencyMillis);
        }
        check("--error-rate", errorRate);
        check("--drop-rate", dropRate);
        check("--malformed-page-rate", malformedPageRate);
        return new FaultSettings(Duration.ofMillis(latencyMillis), errorRate, dropRate, malformedPageRate);
    }

    private static void check(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(option + " must be between 0 and 1: " + value);
        }
    }
}
