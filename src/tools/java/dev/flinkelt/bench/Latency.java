package dev.flinkelt.bench;

import java.util.Arrays;

/** Visibility latency percentiles in milliseconds over {@code samples} row versions. */
record Latency(long samples, double p50, double p95, double p99, double max) {
    static Latency of(long[] micros) {
        if (micros.length == 0) {
            return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] s = micros.clone();
        Arrays.sort(s);
        return new Latency(
                s.length, at(s, 0.50), at(s, 0.95), at(s, 0.99), s[s.length - 1] / 1000.0);
    }

    /** Nearest-rank percentile. */
    private static double at(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1000.0;
    }
}
