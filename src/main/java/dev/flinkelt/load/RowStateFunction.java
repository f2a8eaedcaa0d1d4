package dev.flinkelt.load;

import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.Keys;
import dev.flinkelt.monitor.SlotLag;
import dev.flinkelt.pg.SqlErrors;
import dev.flinkelt.schema.Mapping;
import dev.flinkelt.schema.RawLayouts;
import dev.flinkelt.schema.SchemaChanges;
import dev.flinkelt.schema.SchemaTarget;

import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The keyed stage. Per key it keeps the last version of the row (RocksDB) and a sequence number, so
 * that (1) an UPDATE that left a TOASTed column out gets that column's real value, never a
 * placeholder, and (2) every event of a key gets a {@code _seq} that, with {@code _lsn}, orders the
 * key's events totally. Events of every table leave through the one output, to the one raw sink.
 *
 * <p>It also makes the raw tables follow the source's DDL. A row whose layout needs DDL (it arrives
 * unmapped) holds its table here: that row and every later row of the table wait in keyed state, in
 * order per key, while the DDL is tried under a short lock timeout on a thread of its own (see
 * {@link SchemaChanges}); no row of the table reaches the sink meanwhile, so the sink transactions
 * holding the table's lock end with their checkpoint and the DDL gets the lock. Then the waiting
 * rows go on, mapped onto the new columns. Other tables never wait, nor do checkpoints.
 *
 * <p>A table whose rows cannot be mapped or whose DDL the warehouse refuses (a type it cannot have,
 * say) is paused (see raw.PausedTables): one warning without values, its rows held from then on
 * while the others go on, until {@code resnapshot --table} resumes it; the rows from before the
 * resumption are then dropped (a {@code t} row and a new snapshot follow it).
 */
public class RowStateFunction extends KeyedProcessFunction<String, ChangeEvent, ChangeEvent>
        implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RowStateFunction.class);

    /** How often rows held for DDL try again. */
    private static final long RETRY_MILLIS = 200;

    private final SlotLag slotLag;
    private final RawLayouts.Factory layouts;
    private transient ValueState<RowState> state;
    private transient ListState<ChangeEvent> held;
    private transient RawLayouts changes;

    /**
     * DDL runs on its own thread (it may wait for locks or rewrite a large raw table); checkpoints
     * go on meanwhile.
     */
    private transient ExecutorService ddl;

    private transient RawLayouts ddlChanges;
    private transient Map<String, Future<Boolean>> ddlRuns;
    private transient long lockWaits;

    /** Tables whose DDL failed to get its lock, with the time of the next try. */
    private transient Map<String, Long> pending;

    /** Tables paused here, with the time their resumption was last looked for. */
    private transient Map<String, Long> paused;

    /** Tables whose events came here: each has a gauge {@code paused} (label {@code table}). */
    private transient Set<String> seen;

    /**
     * Where tables paused here were resumed. Not state: after a restore, rows held from before a
     * resumption are loaded when they map, before the resumption's t row, which ends them.
     */
    private transient Map<String, Long> resumed;

    /** Mappings of layouts that arrived unmapped, per table and column names. */
    private transient Map<List<String>, Mapping> mappings;

    /**
     * Per table, its raw columns of fixed width (never TOASTed: the state leaves their values out).
     */
    private transient Map<String, boolean[]> fixedWidth;

    /** The last checkpoint this subtask snapshotted, and the last one completed. */
    private transient long snapshotted;

    private transient long completed;

    private transient long restoredCheckpoint;

    /**
     * Tables whose DDL converts rows already loaded (a column's type change), with the last
     * checkpoint snapshotted when it was first needed. It waits until a later checkpoint has
     * completed: that one's barrier followed the layout's row, so every row of the earlier layouts
     * (which the source sent before that row) is committed by then, on every subtask, and the
     * change converts it as the source converted its rows. A row of an earlier layout mapped before
     * the change but written after it would be parsed into the new type in one step instead
     * (numeric 123.45 would become 123, where the source's numeric(6,1) then numeric(12,0) made
     * 124).
     */
    private transient Map<String, Long> retypeAfter;

    /**
     * Tables pinned (see RawLayouts#pin) since their held rows went out, and the checkpoint whose
     * completion ends the pins: the first one after the last such row, so every row let out under a
     * pin is in a prepared transaction by then, whose locks a later type change waits for too.
     */
    private transient Set<String> pinned;

    private transient long unpinAt;

    /** Tables whose pin was not to be had, with the time of the next try. */
    private transient Map<String, Long> pinRetryAt;

    /**
     * Per table, the highest floor of its rows emitted without keeping anything ({@link
     * #firstVersion}): a key without state may have such a row there, at {@code _seq} 1, so the
     * key's next event is placed as if that had been kept. Union operator state: after a rescale
     * every subtask knows every table's floor.
     */
    private transient Map<String, Long> unkeptFloors;

    private transient ListState<Tuple2<String, Long>> unkeptFloorState;

    private transient Counter toastFilled;
    private transient Counter toastMissing;
    private transient Counter unkept;

    /** {@code slotLag} (may be null) is reported as a metric by the first subtask. */
    public RowStateFunction(SlotLag slotLag, SchemaTarget target) {
        this(slotLag, role -> new SchemaChanges(target, role));
    }

    /**
     * With the raw-table layouts {@code layouts} opens (the fast tests' answer without a server).
     */
    RowStateFunction(SlotLag slotLag, RawLayouts.Factory layouts) {
        this.slotLag = slotLag;
        this.layouts = layouts;
    }

    /**
     * State per key: the last row version (null after a delete; values of fixed-width columns left
     * out), the last sequence number and how many events of the key wait for DDL (in {@code held}).
     */
    public static class RowState {
        public long seq;
        public String[] values;
        public int held;

        /** {@code _lsn} of the key's last change. */
        public long lsn;

        public RowState() {}
    }

    /**
     * The row versions. Its type is a POJO whose snapshot names {@link RowState}'s class:
     * savepoints restore only while that name stays (KeyedStateCompatibilityTest).
     */
    static ValueStateDescriptor<RowState> rowDescriptor() {
        return new ValueStateDescriptor<>("row", TypeInformation.of(RowState.class));
    }

    /** The events held for DDL; as POJOs, their snapshot names {@link ChangeEvent}'s class. */
    static ListStateDescriptor<ChangeEvent> heldDescriptor() {
        return new ListStateDescriptor<>("held", TypeInformation.of(ChangeEvent.class));
    }

    @Override
    public void open(Configuration parameters) {
        state = getRuntimeContext().getState(rowDescriptor());
        held = getRuntimeContext().getListState(heldDescriptor());
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        changes = layouts.open("keyed " + subtask);
        ddlChanges = layouts.open("ddl " + subtask);
        ddl =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "flink-elt raw DDL " + subtask);
                            t.setDaemon(true);
                            return t;
                        });
        ddlRuns = new HashMap<>();
        pending = new HashMap<>();
        paused = new ConcurrentHashMap<>(); // read by the metric reporter's thread too
        resumed = new HashMap<>();
        getRuntimeContext().getMetricGroup().gauge("pausedTables", () -> paused.size());
        seen = new HashSet<>();
        mappings = new HashMap<>();
        fixedWidth = new HashMap<>();
        retypeAfter = new HashMap<>();
        pinned = new HashSet<>();
        pinRetryAt = new HashMap<>();
        snapshotted = restoredCheckpoint;
        completed = restoredCheckpoint;
        toastFilled = getRuntimeContext().getMetricGroup().counter("toastValuesFilled");
        toastMissing = getRuntimeContext().getMetricGroup().counter("toastValuesMissing");
        unkept = getRuntimeContext().getMetricGroup().counter("snapshotRowsWithoutState");
        if (slotLag != null && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            slotLag.register(getRuntimeContext().getMetricGroup());
        }
    }

    /** Gives a table seen here its gauge {@code paused} (label {@code table}), once. */
    private void seen(String table) {
        if (seen.add(table)) {
            getRuntimeContext()
                    .getMetricGroup()
                    .addGroup("table", table)
                    .gauge("paused", () -> paused.containsKey(table) ? 1 : 0);
        }
    }

    /** The floors of rows emitted without keeping anything, per table (see unkeptFloors). */
    static ListStateDescriptor<Tuple2<String, Long>> unkeptFloorsDescriptor() {
        return new ListStateDescriptor<>("unkept-floors", Types.TUPLE(Types.STRING, Types.LONG));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // keyed state is taken in open()
        unkeptFloorState =
                context.getOperatorStateStore().getUnionListState(unkeptFloorsDescriptor());
        unkeptFloors = new HashMap<>();
        // checkpoint ids go on from the restored one: a wait for "a later checkpoint" is not met
        // by one from before the restore
        restoredCheckpoint = context.getRestoredCheckpointId().orElse(-1);
        for (Tuple2<String, Long> f : unkeptFloorState.get()) {
            unkeptFloors.merge(f.f0, f.f1, Math::max);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        snapshotted = context.getCheckpointId();
        List<Tuple2<String, Long>> floors = new ArrayList<>(unkeptFloors.size());
        unkeptFloors.forEach((table, floor) -> floors.add(Tuple2.of(table, floor)));
        unkeptFloorState.update(floors);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        completed = Math.max(completed, checkpointId);
        if (!pinned.isEmpty() && completed >= unpinAt) {
            changes.unpin();
            pinned.clear();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (slotLag != null) {
                slotLag.close();
            }
        } finally {
            if (ddl != null) {
                ddl.shutdownNow();
                ddl.awaitTermination(5, TimeUnit.SECONDS); // its connections close below
            }
            try {
                if (changes != null) {
                    changes.close();
                }
                if (ddlChanges != null) {
                    ddlChanges.close();
                }
            } finally {
                super.close();
            }
        }
    }

    @Override
    public void processElement(ChangeEvent e, Context ctx, Collector<ChangeEvent> out)
            throws Exception {
        seen(e.table);
        RowState s = state.value();
        boolean keep = s != null || !firstVersion(e);
        if (keep) {
            e.decodeCopyText(); // its values are kept
        }
        if (s == null) {
            s = new RowState();
            Long floor = keep ? unkeptFloors.get(e.table) : null;
            if (floor != null) {
                // the key may have a row emitted without state: place after it
                s.seq = 1;
                s.lsn = floor;
            }
        }
        if (s.held == 0
                && !pending.containsKey(e.table)
                && !paused.containsKey(e.table)
                && (!e.unmapped() || map(e, ctx.timerService().currentProcessingTime(), false))) {
            emit(e, s, keep, out);
            return;
        }
        e.decodeCopyText(); // state keeps events in their POJO form, which has no COPY text
        held.add(e);
        s.held++;
        state.update(s);
        long now = ctx.timerService().currentProcessingTime();
        ctx.timerService().registerProcessingTimeTimer(now - now % RETRY_MILLIS + RETRY_MILLIS);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ChangeEvent> out)
            throws Exception {
        RowState s = state.value();
        if (s == null || s.held == 0) {
            return;
        }
        // not the timer's own time: timers overdue after a restore then pace their tries from now
        long now = ctx.timerService().currentProcessingTime();
        List<ChangeEvent> waiting = new ArrayList<>();
        held.get().forEach(waiting::add);
        String table = waiting.isEmpty() ? null : waiting.get(0).table;
        if (table != null && paused.containsKey(table)) {
            long resumedAt = resumption(table, now);
            if (resumedAt == -1) {
                ctx.timerService().registerProcessingTimeTimer(now + 5 * RETRY_MILLIS);
                return;
            }
            paused.remove(table);
            resumed.put(table, resumedAt);
        }
        Long since = table == null ? null : resumed.get(table);
        if (since != null) {
            // resumed: rows from before it are superseded (a t row, then a new snapshot), for
            // every key that held some, not only the first whose timer saw the resumption
            waiting.removeIf(e -> e.lsn < since);
        }
        int done = 0;
        for (ChangeEvent e : waiting) {
            if (paused.containsKey(e.table) || !map(e, now, true)) {
                break;
            }
            emit(e, s, true, out);
            done++;
        }
        List<ChangeEvent> rest = waiting.subList(done, waiting.size());
        held.update(new ArrayList<>(rest));
        s.held = rest.size();
        if (rest.isEmpty() && Keys.keyless(ctx.getCurrentKey())) {
            state.clear(); // a table without a key keeps nothing per key
        } else {
            state.update(s);
        }
        if (!rest.isEmpty()) {
            // a key that waited once waits in steps of a second: a held table of many keys is not a
            // timer storm
            ctx.timerService().registerProcessingTimeTimer(now + 5 * RETRY_MILLIS);
        }
    }

    /**
     * Where a paused table was resumed (-1: still paused), asked at most once a second per table.
     */
    private long resumption(String table, long now) throws SQLException {
        Long asked = paused.get(table);
        if (asked != null && now - asked < 1_000) {
            return -1;
        }
        paused.put(table, now);
        return changes.resumedAt(table);
    }

    /**
     * Pauses {@code e}'s table after an error about it (not about the server: that one fails the
     * job, which restarts); its rows are held from now on.
     */
    private void pause(ChangeEvent e, Throwable error) throws Exception {
        if (error instanceof SQLException x && SqlErrors.isServerLevel(x)) {
            throw x;
        }
        String sqlstate = error instanceof SQLException x ? x.getSQLState() : null;
        String reason =
                error instanceof SQLException x
                        ? SqlErrors.describe(x)
                        : error instanceof IllegalStateException
                                ? error.getMessage() // flink-elt's own, naming objects only
                                : error.getClass().getSimpleName();
        changes.pause(e.table, e.lsn, sqlstate, reason);
        seen(e.table); // a restore pauses held tables again from a timer, before any new event
        paused.put(e.table, 0L);
        pending.remove(e.table);
        ddlRuns.remove(e.table);
        retypeAfter.remove(e.table);
        LOG.warn(
                "table {} is paused: its changes are not loaded from _lsn {} on ({}); the other tables go"
                        + " on. Fix the cause, then: flink-elt resnapshot --table '{}'",
                e.table,
                e.lsn,
                reason,
                e.table);
    }

    /**
     * Maps an unmapped event onto its raw table, making the DDL it needs; false while the DDL
     * cannot be made yet or the table is paused. {@code now} is the processing time, which paces
     * the tries.
     *
     * <p>{@code held}: the event waited in state and goes out later than its stream position, after
     * barriers another subtask's type change of its raw table waits for (retypeAfter covers only
     * rows in stream order), so its values could reach the sink after the column changed type again
     * and be parsed into the new type in one step, not converted through each as the source did. So
     * its table is pinned first, and its values are made for the raw columns as they stay while
     * pinned: mapped afresh, or, if mapped before it was held, converted through the types the
     * columns were given since. False also while the pin is not to be had.
     */
    private boolean map(ChangeEvent e, long now, boolean held) throws Exception {
        try {
            if (!e.unmapped()) {
                // only held events come here mapped
                if (pending.containsKey(e.table) || !pinned(e.table, now)) {
                    return false;
                }
                changes.reconvert(e);
            } else {
                // the DDL it may need first (a pin would keep that from the table), then the pin,
                // then the mapping as the columns stay
                Mapping m = mappingOrWait(e, now);
                if (m != null && held) {
                    m = pinned(e.table, now) ? mappingOrWait(e, now) : null;
                }
                if (m == null) {
                    return false;
                }
                m.apply(e);
                changes.finish(m, e);
            }
            if (held) {
                unpinAt = Math.max(unpinAt, snapshotted + 1);
            }
            return true;
        } catch (ExecutionException x) {
            pause(e, x.getCause());
            return false;
        } catch (SQLException | IllegalStateException x) {
            pause(e, x);
            return false;
        }
    }

    /**
     * Pins {@code table} unless it is; a new pin drops the table's mappings made before it. A pin
     * that was not to be had (DDL holds the table) is tried again a second later, not for every
     * held key: each try may wait for the lock timeout on the task thread.
     */
    private boolean pinned(String table, long now) throws SQLException {
        if (pinned.contains(table)) {
            return true;
        }
        Long retryAt = pinRetryAt.get(table);
        if (retryAt != null && now < retryAt) {
            return false;
        }
        if (!changes.pin(table)) {
            pinRetryAt.put(table, now + 5 * RETRY_MILLIS);
            return false;
        }
        pinRetryAt.remove(table);
        pinned.add(table);
        mappings.keySet().removeIf(id -> id.get(0).equals(table));
        return true;
    }

    private Mapping mappingOrWait(ChangeEvent e, long now) throws Exception {
        List<String> id = new ArrayList<>(2 * e.columns.length + 1);
        id.add(e.table);
        id.addAll(Arrays.asList(e.columns));
        id.addAll(e.types == null ? List.of() : Arrays.asList(e.types));
        id.add(
                Integer.toString(
                        e.layout)); // type names carry no modifiers; a new layout is a new row
        // schema
        Mapping m = mappings.get(id);
        if (m == null) {
            Long retryAt = pending.get(e.table);
            if (retryAt != null && now < retryAt) {
                return null;
            }
            m = changes.mapping(e.table, e.columns, e.types, e.lsn);
            if (m == null) {
                Long after = retypeAfter.get(e.table);
                if (after == null && changes.convertsRows(e.table, e.columns, e.types, e.lsn)) {
                    after = snapshotted;
                    retypeAfter.put(e.table, after);
                }
                if (after != null && completed <= after) {
                    pending.put(e.table, now + RETRY_MILLIS);
                    return null;
                }
                Future<Boolean> run = ddlRuns.get(e.table);
                if (run == null || run.isDone()) {
                    if (run != null
                            && !run.get()
                            && ++lockWaits % 25
                                    == 0) { // a DDL that failed (not a lock wait) fails the job
                        // here
                        LOG.info(
                                "raw DDL for {} still waits for its table lock ({} tries): sink transactions of a checkpoint"
                                        + " not yet completed, or another session, hold the raw table",
                                e.table,
                                lockWaits);
                    }
                    String[] columns = e.columns;
                    String[] types = e.types;
                    String table = e.table;
                    long lsn = e.lsn;
                    ddlRuns.put(
                            table, ddl.submit(() -> ddlChanges.apply(table, columns, types, lsn)));
                }
                pending.put(e.table, now + RETRY_MILLIS);
                return null;
            }
            pending.remove(e.table);
            retypeAfter.remove(e.table);
            mappings.put(id, m);
            fixedWidth.remove(e.table); // a new layout: columns may have been added or changed type
        }
        return m;
    }

    /**
     * What the state keeps of a row: the values a later change may leave out as unchanged TOAST.
     * Fixed-width columns are never TOASTed, so their values are left out (null), which keeps
     * RocksDB entries small.
     */
    private String[] toastable(ChangeEvent e) throws SQLException {
        if (e.op == ChangeEvent.TRUNCATE) {
            return e.values;
        }
        boolean[] fixed = fixedWidth.get(e.table);
        if (fixed == null || fixed.length < e.values.length) {
            // padded with "keep" so a row wider than the catalog says does not ask again for every
            // row
            fixed = padded(changes.fixedWidth(e.table), e.values.length);
            fixedWidth.put(e.table, fixed);
        }
        String[] kept = e.values.clone();
        for (int i = 0; i < kept.length && i < fixed.length; i++) {
            if (fixed[i]) {
                kept[i] = null;
            }
        }
        return kept;
    }

    private static boolean[] padded(boolean[] fixed, int length) {
        return fixed.length >= length ? fixed : Arrays.copyOf(fixed, length);
    }

    /**
     * Whether {@code e}, arriving for a key this stage holds nothing for, need not be kept: a
     * snapshot row with a floor (the first snapshot's, below every change the slot streams; a
     * captured or resumed table's, just after its capture) of a table whose rows hold no value out
     * of line ({@link ChangeEvent#toastFree}), so no later change can leave a value out as
     * unchanged TOAST that this row would have had to fill in. It is placed as a kept one would be,
     * at {@code (floor, 1)}; the table's floor is remembered, and a key's next event that finds no
     * state is placed after it ({@code _seq} 2 at least). A re-snapshot's rows (no floor) are kept:
     * their place comes from the key's state.
     */
    private static boolean firstVersion(ChangeEvent e) {
        return e.op == ChangeEvent.READ && e.toastFree && e.seq > 0 && !Keys.keyless(e.key);
    }

    /**
     * Places {@code e} after the key's last version {@code s}, fills its unchanged TOAST values and
     * sends it on; {@code keep}: {@code e} becomes the key's kept version (else only its table's
     * floor is remembered, see {@link #firstVersion}).
     */
    private void emit(ChangeEvent e, RowState s, boolean keep, Collector<ChangeEvent> out)
            throws Exception {
        if (Keys.keyless(e.key)) {
            // a table without a key: rows are a multiset in commit order (_lsn and _seq come from
            // the source tracker), nothing to keep per key once none waits
            if (s.held == 0) {
                state.clear();
            }
            out.collect(e);
            return;
        }
        if (e.hasUnchanged()) {
            for (int i = 0; i < e.unchanged.length; i++) {
                if (!e.unchanged[i]) {
                    continue;
                }
                if (s.values != null && i < s.values.length) {
                    e.values[i] = s.values[i];
                    toastFilled.inc();
                } else {
                    // cannot happen after a snapshot; written as NULL (never the placeholder) and
                    // counted
                    toastMissing.inc();
                    // the key is a row value: the log names the table and column only
                    LOG.warn(
                            "no earlier version of a row of {} to fill unchanged TOAST column #{} from; writing NULL",
                            e.table,
                            i);
                }
            }
            e.unchanged = null;
        }
        if (e.op == ChangeEvent.READ && (e.txId != ChangeEvent.NONE || e.seq > 0)) {
            // a snapshot row (see track.Snapshotter): it follows the key's last change and
            // precedes the next, which a
            // change LSN alone cannot say (a transaction can change the key before it and commit
            // after); it carries in
            // seq the lowest position it may take, and in lsn its high mark, used when the state
            // has no position (kept
            // since this version). Rows of Flink CDC's snapshot (a job restored from an earlier
            // version mid-snapshot)
            // carry neither a generation nor a floor and keep their position
            long lsn = Math.max(s.lsn, e.seq);
            e.lsn = s.seq > 0 && s.lsn == 0 ? Math.max(lsn, e.lsn) : lsn;
        }
        s.seq++;
        e.seq = s.seq;
        s.lsn = e.lsn;
        if (keep) {
            s.values = e.op == ChangeEvent.DELETE ? null : toastable(e);
            state.update(s);
        } else {
            unkeptFloors.merge(e.table, e.lsn, Math::max);
            unkept.inc();
        }
        out.collect(e);
    }
}
