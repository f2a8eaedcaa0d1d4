package dev.flinkelt.support;

import dev.flinkelt.extract.ChangeEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Throws once when the job has passed {@code afterEvents} events of the chosen kind (snapshot reads, or
 * streamed changes), counted across restarts. State is static: the MiniCluster runs in the test's JVM.
 */
public final class FailOnce implements MapFunction<ChangeEvent, ChangeEvent> {
    private static final Map<String, AtomicLong> SEEN = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> FIRED = new ConcurrentHashMap<>();

    private final String name;
    private final boolean snapshot;
    private final long afterEvents;

    public FailOnce(String name, boolean snapshot, long afterEvents) {
        this.name = name;
        this.snapshot = snapshot;
        this.afterEvents = afterEvents;
    }

    public static boolean fired(String name) {
        return FIRED.getOrDefault(name, false);
    }

    @Override
    public ChangeEvent map(ChangeEvent e) {
        if ((e.op == ChangeEvent.READ) == snapshot
                && SEEN.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet() >= afterEvents
                && FIRED.putIfAbsent(name, true) == null) {
            throw new IllegalStateException("injected failure '" + name + "' after " + afterEvents + " events");
        }
        return e;
    }
}
