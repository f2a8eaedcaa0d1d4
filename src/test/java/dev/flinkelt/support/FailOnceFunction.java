package dev.flinkelt.support;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * A SQL function for failure injection in a transform: passes its argument through and throws once, after
 * {@code AFTER} calls in this JVM (the MiniCluster runs here). {@code SELECT fail_once(x) ...}.
 */
public class FailOnceFunction extends ScalarFunction {
    public static final long AFTER = 700;
    private static final AtomicLong CALLS = new AtomicLong();
    private static final AtomicBoolean FIRED = new AtomicBoolean();

    public static boolean fired() {
        return FIRED.get();
    }

    public static void reset() {
        CALLS.set(0);
        FIRED.set(false);
    }

    public Long eval(Long x) {
        if (CALLS.incrementAndGet() >= AFTER && FIRED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure in the streaming transform after " + AFTER + " rows");
        }
        return x;
    }
}
