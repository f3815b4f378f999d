package dev.crmsync.app.simulate;

import java.time.Duration;

/**
 * Standing faults a simulator injects into every request it serves (the simulator's own {@code /_sim} routes
 * excepted). Each rate is a share of requests, from 0 (never) to 1 (always).
 *
 * @param latency           extra delay before every answer
 * @param serverErrorRate   share of requests answered with a 5xx instead of being served
 * @param dropRate          share of requests whose connection is closed without any answer
 * @param malformedPageRate share of list pages whose JSON body is cut off in the middle
 */
public record FaultSettings(Duration latency, double serverErrorRate, double dropRate, double malformedPageRate) {

    /** No faults at all: the default of every simulator. */
    public static final FaultSettings NONE = new FaultSettings(Duration.ZERO, 0, 0, 0);

    public FaultSettings {
        if (latency == null || latency.isNegative()) {
            throw new IllegalArgumentException("latency must be zero or positive: " + latency);
        }
        checkRate("serverErrorRate", serverErrorRate);
        checkRate("dropRate", dropRate);
        checkRate("malformedPageRate", malformedPageRate);
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1: " + rate);
        }
    }

    /**
     * @return true when no fault is switched on
     */
    public boolean isNone() {
        return latency.isZero() && serverErrorRate == 0 && dropRate == 0 && malformedPageRate == 0;
    }
}
