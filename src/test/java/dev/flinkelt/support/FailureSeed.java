package dev.flinkelt.support;

import java.util.Random;

/**
 * The seed of a test's random failure points: {@code -Dflinkelt.failure-seed=N} repeats a run,
 * otherwise a new one each run. Printed, and part of every assertion message, so a failing run can
 * be replayed.
 */
public record FailureSeed(long seed) {
    public static FailureSeed pick() {
        FailureSeed s =
                new FailureSeed(Long.getLong("flinkelt.failure-seed", new Random().nextLong()));
        System.out.println(s);
        return s;
    }

    public Random random() {
        return new Random(seed);
    }

    @Override
    public String toString() {
        return "failure seed " + seed + " (rerun with -Dflinkelt.failure-seed=" + seed + ")";
    }
}
