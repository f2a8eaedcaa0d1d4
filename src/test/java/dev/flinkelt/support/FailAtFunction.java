package dev.flinkelt.support;

import org.apache.flink.table.functions.ScalarFunction;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A SQL function for failure injection in a transform: passes its argument through and throws once
 * at each armed point (a count of calls in this JVM, where the MiniCluster runs, across restarts).
 * {@code SELECT fail_at(x) ...}.
 */
public class FailAtFunction extends ScalarFunction {
    private static final AtomicLong CALLS = new AtomicLong();
    private static final Set<Long> FIRED = ConcurrentHashMap.newKeySet();
    private static volatile long[] points = new long[0];

    public static void arm(long... at) {
        CALLS.set(0);
        FIRED.clear();
        points = at.clone();
    }

    public static int fired() {
        return FIRED.size();
    }

    public Long eval(Long x) {
        long n = CALLS.incrementAndGet();
        for (long p : points) {
            if (n >= p && FIRED.add(p)) {
                throw new IllegalStateException(
                        "injected failure in the streaming transform at call " + p);
            }
        }
        return x;
    }
}
