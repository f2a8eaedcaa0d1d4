package dev.flinkelt.support;

import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.pg.Connections;

import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.io.Serializable;
import java.sql.Connection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * On a branch beside the sink: fails one checkpoint after the sink has taken its part of it. Once
 * {@code after} events matching {@code trigger} have passed, its snapshot waits (up to 10 s) until
 * the warehouse shows a prepared transaction, the sink's part of this checkpoint, and then throws:
 * the checkpoint never completes and the job restores the one before. A sink that committed at the
 * barrier would now hold rows the restored job writes again.
 */
public final class DeclineCheckpointOnce extends ProcessFunction<ChangeEvent, ChangeEvent>
        implements CheckpointedFunction {
    private static final Set<String> FIRED = ConcurrentHashMap.newKeySet();
    private static final Map<String, AtomicLong> SEEN = new ConcurrentHashMap<>();
    private final String name;
    private final PgEndpoint warehouse;
    private final Trigger trigger;
    private final long after;

    /** Which events count towards the trigger. */
    public interface Trigger extends Serializable {
        boolean test(ChangeEvent e);
    }

    public DeclineCheckpointOnce(String name, PgEndpoint warehouse, Trigger trigger, long after) {
        this.name = name;
        this.warehouse = warehouse;
        this.trigger = trigger;
        this.after = after;
    }

    /** After 2,000 streamed changes. */
    public DeclineCheckpointOnce(String name, PgEndpoint warehouse) {
        this(name, warehouse, e -> e.op != ChangeEvent.READ, 2_000);
    }

    public static boolean fired(String name) {
        return FIRED.contains(name);
    }

    @Override
    public void processElement(ChangeEvent e, Context ctx, Collector<ChangeEvent> out) {
        if (trigger.test(e)) {
            SEEN.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        AtomicLong seen = SEEN.get(name);
        if (seen == null || seen.get() < after || !FIRED.add(name)) {
            return;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (Connection c = Connections.open(warehouse, "target")) {
            while (System.nanoTime() < deadline
                    && Connections.rows(
                                    c,
                                    "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()")
                            .get(0)
                            .equals("0")) {
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException(
                "injected: checkpoint "
                        + context.getCheckpointId()
                        + " fails after the sink prepared");
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        // no state: the injection is driven by the static flags of this test JVM
    }
}
