package dev.crmsync.bench;

import java.util.Collection;

/**
 * Percentiles by the nearest-rank method: the {@code p}-th percentile of {@code n} values is the smallest value
 * that at least {@code p} % of them do not exceed, the value of rank {@code ceil(p / 100 * n)} in ascending order.
 * It is always one of the measured values, never an interpolation between two, so a p99 of 200 latencies is the
 * second-slowest one.
 *
 * <p>This class is stateless and threadsafe.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * @param p      the percentile, more than 0 and at most 100
     * @param values the measured values, at least one
     * @return the nearest-rank percentile
     * @throws IllegalArgumentException when {@code p} is out of range or there are no values
     */
    public static double of(double p, Collection<? extends Number> values) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("p must be in (0, 100]: " + p);
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a percentile needs at least one value");
        }
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        // The small epsilon keeps p = 99 of 100 values at rank 99 although 0.99 * 100 is 99.00000000000001.
        int rank = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9);
        return sorted[Math.max(1, rank) - 1];
    }
}
