package dev.flinkelt.support;

import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.ChangeEventType;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throws once at each of several points: when the job has passed that many events of the chosen
 * kind (snapshot reads, or streamed changes), counted across restarts and subtasks. State is
 * static: the MiniCluster runs in the test's JVM. Its output has the job's own event type, as
 * between the job's operators (a POJO type would drop what that type alone carries).
 */
public final class FailAt
        implements MapFunction<ChangeEvent, ChangeEvent>, ResultTypeQueryable<ChangeEvent> {
    private static final Map<String, AtomicLong> SEEN = new ConcurrentHashMap<>();
    private static final Set<String> FIRED = ConcurrentHashMap.newKeySet();

    private final String name;
    private final boolean snapshot;
    private final long[] points;

    public FailAt(String name, boolean snapshot, long... points) {
        this.name = name;
        this.snapshot = snapshot;
        this.points = points.clone();
    }

    /** {@code n} distinct points drawn from [from, to) with {@code random}, ascending. */
    public static long[] points(Random random, int n, long from, long to) {
        return random.longs(from, to).distinct().limit(n).sorted().toArray();
    }

    @Override
    public TypeInformation<ChangeEvent> getProducedType() {
        return ChangeEventType.INSTANCE;
    }

    /** How many of this injector's points have fired. */
    public int fired() {
        return (int) Arrays.stream(points).filter(p -> FIRED.contains(name + "@" + p)).count();
    }

    @Override
    public ChangeEvent map(ChangeEvent e) {
        if ((e.op == ChangeEvent.READ) == snapshot) {
            long seen = SEEN.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
            for (long p : points) {
                if (seen >= p && FIRED.add(name + "@" + p)) {
                    throw new IllegalStateException(
                            "injected failure '" + name + "' at event " + p);
                }
            }
        }
        return e;
    }
}
