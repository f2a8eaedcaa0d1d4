package dev.flinkelt.track;

import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.Keys;
import dev.flinkelt.pg.ColumnType;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.SqlErrors;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.raw.PausedTables;
import dev.flinkelt.raw.RawTables;
import dev.flinkelt.schema.ColumnMapper;

import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.operators.coordination.OperatorEventGateway;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Right after the source, in stream order: follows what happens to the source's tables. It maps
 * each row layout onto its raw table ({@link ColumnMapper}), keys the changes of tables captured
 * after the build, acts on signals (re-snapshot requests, captures of new tables, chunk windows:
 * {@link Snapshotter}) and, in its first subtask, looks for new and dropped tables every {@value
 * #DISCOVERY_MILLIS} ms ({@link Discovery}).
 */
public class SourceTracker extends AbstractStreamOperator<ChangeEvent>
        implements OneInputStreamOperator<ChangeEvent, ChangeEvent>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SourceTracker.class);
    static final long DISCOVERY_MILLIS = 5_000;

    private final Tracking tracking;
    private transient ColumnMapper mapper;
    private transient SourceTables tables;
    private transient Snapshotter snapshotter;
    private transient Discovery discovery;
    private transient ListState<byte[]> progressState;
    private transient SnapshotProgress restored;
    private transient Connection source;

    /** Range readers' source connections, opened at their first window (see Snapshotter). */
    private transient Connection[] rangeSources;

    private transient Connection warehouse;
    private transient String signalTable;
    private transient Map<String, Map<Integer, KeyPositions>> keyPositions;

    /**
     * To the coordinator that checkpoints when snapshots are read (set by {@link
     * SourceTrackerFactory}); null when built without it.
     */
    transient OperatorEventGateway toCoordinator;

    private transient volatile boolean closed;

    /** The old row of the UPDATE that comes next (see ChangeEvent.BEFORE). */
    private transient ChangeEvent before;

    /** The transaction the last change of a table without a key came in, and its place there. */
    private transient long placedTx;

    private transient long placed;

    private record KeyPositions(TableSchema table, int[] keys, String[] typeNames) {}

    /**
     * Tables paused (see raw.PausedTables): their changes are left out until a resnapshot resumes
     * them. Read from the warehouse every round: the keyed stage pauses tables too.
     */
    private transient Set<String> paused;

    public SourceTracker(Tracking tracking) {
        this.tracking = tracking;
        // in the source's task: the change stream reaches it without being serialized once more
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        // union: after a rescale the stream may be read by another subtask; every copy goes
        // everywhere, the newest wins
        progressState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        "table-snapshots",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        for (byte[] b : progressState.get()) {
            SnapshotProgress p = SnapshotProgress.decode(b);
            if (restored == null || p.step > restored.step) {
                restored = p;
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        signalTable = tracking.signals().messages() ? null : tracking.signals().table().dotted();
        mapper = new ColumnMapper(tracking.schema(), "mapper " + subtask);
        tables = new SourceTables(tracking, this::source, this::warehouse);
        keyPositions = new HashMap<>();
        snapshotter =
                new Snapshotter(
                        tracking,
                        tables,
                        this::source,
                        this::rangeSource,
                        new SnapshotMetrics(getMetricGroup(), tracking.chunkSize()));
        snapshotter.pauser = this::pause;
        if (toCoordinator != null) {
            snapshotter.whenRead = () -> toCoordinator.sendEventToCoordinator(new SnapshotsRead());
        }
        if (restored != null) {
            snapshotter.progress = restored;
        }
        paused = new HashSet<>();
        getMetricGroup().gauge("pausedTables", () -> paused.size());
        if (subtask == 0) {
            discovery = new Discovery(tracking, this::source, this::warehouse);
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(now + DISCOVERY_MILLIS, this);
    }

    @Override
    public void processElement(StreamRecord<ChangeEvent> record) throws Exception {
        ChangeEvent e = record.getValue();
        if (e.op == ChangeEvent.MESSAGE || e.table.equals(signalTable)) {
            // the signal table's rows count only on its route: with messages, it is a table
            onSignal(Signals.of(e));
            return; // signals are not data: no raw table
        }
        if (paused.contains(e.table)) {
            return; // until a resnapshot resumes the table
        }
        if (e.op == ChangeEvent.BEFORE) {
            before = e;
            return;
        }
        ChangeEvent old = before;
        before = null;
        if (old != null && old.table.equals(e.table) && e.op == ChangeEvent.UPDATE) {
            if (!completeKey(old) || !completeKey(e)) {
                return;
            }
            if (Keys.keyless(e.key) || !old.key.equals(e.key)) {
                // the key changed (or there is none): the old row is gone and the new one is new,
                // as Debezium emitted a key change; a multiset loses the old row and gains the new
                old.op = ChangeEvent.DELETE;
                e.op = ChangeEvent.INSERT;
                change(old);
            }
            change(e);
            return;
        }
        if (completeKey(e)) {
            change(e);
        }
    }

    private void onSignal(Signals.Signal s) throws SQLException {
        if (s == null) {
            return;
        }
        if (tracking.slot().equals(s.slot()) && Signals.RESNAPSHOT.equals(s.kind()) && resume(s)) {
            // read like a capture: its rows come after the t row that ended the earlier ones
            snapshotter.onSignal(asCapture(s), this::emit);
            return;
        }
        if (tracking.slot().equals(s.slot()) && Signals.CAPTURE.equals(s.kind())) {
            // captured anew, or moved to the publication of every operation: as the table is now
            tables.refresh(s.table());
            keyPositions.remove(s.table());
        }
        if (tracking.slot().equals(s.slot())
                && Signals.CAPTURE.equals(s.kind())
                && Signals.RECAPTURE.equals(s.arg())) {
            // the raw table holds rows of an earlier table of this name: they end here
            emit(truncate(s));
        }
        snapshotter.onSignal(s, this::emit);
    }

    private void change(ChangeEvent e) {
        if (e.op == ChangeEvent.TRUNCATE) {
            snapshotter.onTruncate(e);
        } else {
            snapshotter.onChange(e);
        }
        emit(e);
    }

    private ChangeEvent truncate(Signals.Signal s) {
        TableSchema table = tables.get(s.table());
        if (table != null && table.keyless()) {
            // before every row of its transaction
            return truncation(
                    s.table(),
                    Keys.keylessTruncate(s.table()),
                    s.commitLsn(),
                    s.txId(),
                    s.sourceTsMicros());
        }
        return truncation(
                s.table(), Keys.truncate(s.table()), s.lsn(), s.txId(), s.sourceTsMicros());
    }

    /** A {@code t} row: the table's raw rows before it are history. */
    private static ChangeEvent truncation(
            String table, String key, long lsn, long txId, long sourceTsMicros) {
        ChangeEvent t = new ChangeEvent();
        t.table = table;
        t.op = ChangeEvent.TRUNCATE;
        t.values = new String[0];
        t.key = key;
        t.lsn = lsn;
        t.seq = 0;
        t.txId = txId;
        t.sourceTsMicros = sourceTsMicros;
        return t;
    }

    private void emit(ChangeEvent e) {
        if (paused.contains(e.table)) {
            return;
        }
        try {
            mapper.map(e);
        } catch (SQLException | IllegalStateException x) {
            pause(e.table, e.lsn, x);
            return;
        }
        output.collect(new StreamRecord<>(e));
    }

    /**
     * Pauses {@code table} after an error about it (about the server or a connection: the job fails
     * and restarts instead).
     */
    private void pause(String table, long lsn, Exception error) {
        if (error instanceof SQLException x && SqlErrors.isServerLevel(x)) {
            throw new IllegalStateException(
                    "cannot follow the source's table "
                            + table
                            + " ("
                            + SqlErrors.describe(x)
                            + ")",
                    x);
        }
        String reason =
                error instanceof SQLException x ? SqlErrors.describe(x) : error.getMessage();
        try {
            PausedTables.pause(
                    warehouse(),
                    tracking.schema().rawSchema(),
                    TableRef.parse(table),
                    lsn,
                    error instanceof SQLException x ? x.getSQLState() : null,
                    reason);
        } catch (SQLException x) {
            throw new IllegalStateException(
                    "cannot record that table "
                            + table
                            + " is paused ("
                            + SqlErrors.describe(x)
                            + ")",
                    x);
        }
        paused.add(table);
        LOG.warn(
                "table {} is paused: its changes are not loaded from _lsn {} on ({}); the other tables go"
                        + " on. Fix the cause, then: flink-elt resnapshot --table '{}'",
                table,
                lsn,
                reason,
                table);
    }

    /**
     * A resnapshot of a paused table resumes it: its raw rows end here (a {@code t} row) and the
     * snapshot the request starts follows; the keyed stage drops what it held of it from before.
     */
    private boolean resume(Signals.Signal s) throws SQLException {
        refreshPaused();
        if (!paused.remove(s.table())) {
            return false;
        }
        PausedTables.resume(
                warehouse(), tracking.schema().rawSchema(), TableRef.parse(s.table()), s.lsn());
        LOG.info("table {} resumes at _lsn {} with a new snapshot", s.table(), s.lsn());
        emit(truncate(s));
        return true;
    }

    /** A request that reads {@code s}'s table as a capture at its position. */
    private static Signals.Signal asCapture(Signals.Signal s) {
        return new Signals.Signal(
                s.slot(),
                Signals.CAPTURE,
                s.table(),
                null,
                s.lsn(),
                s.txId(),
                s.sourceTsMicros(),
                s.commitLsn());
    }

    private void refreshPaused() throws SQLException {
        Set<String> now = new HashSet<>();
        PausedTables.read(warehouse(), tracking.schema().rawSchema())
                .forEach(
                        (table, p) -> {
                            if (p.paused()) {
                                now.add(table);
                            }
                        });
        paused = now;
    }

    /**
     * Keys a change by its table's key (read from the catalog for tables met after the build);
     * without full replica identity a delete keeps only its key values. False when the table cannot
     * be captured.
     */
    private boolean completeKey(ChangeEvent e) {
        TableSchema t = tables.get(e.table);
        if (e.op == ChangeEvent.TRUNCATE) {
            if (t != null && t.keyless()) {
                e.key = Keys.keylessTruncate(e.table);
                place(e);
            } else {
                e.key = Keys.truncate(e.table);
            }
            return true;
        }
        if (t == null) {
            return false;
        }
        if (t.keyless()) {
            e.key = Keys.keyless(e.table, e.values);
            place(e);
            return true;
        }
        // per layout and table description, not per record: the reader numbers each table's row
        // layouts
        Map<Integer, KeyPositions> known =
                keyPositions.computeIfAbsent(e.table, k -> new HashMap<>());
        KeyPositions p = known.get(e.layout);
        if (p == null) {
            List<String> flagged = identityColumns(e);
            if (flagged != null && !new HashSet<>(flagged).equals(new HashSet<>(t.keyColumns()))) {
                t = keyChanged(e, t, flagged);
                known = keyPositions.computeIfAbsent(e.table, k -> new HashMap<>());
            }
        }
        if (p == null || p.table() != t) {
            p =
                    new KeyPositions(
                            t, Keys.positions(e.columns, t.keyColumns()), Keys.typeNames(e.types));
            known.put(e.layout, p);
        }
        int[] keys = p.keys();
        if (e.op == ChangeEvent.DELETE && !t.replicaIdentityFull()) {
            Keys.keepKeyOnly(keys, e.values);
        }
        e.key = Keys.of(e.table, keys, e.values, p.typeNames());
        return true;
    }

    /**
     * The replica identity's columns a streamed layout names (its Relation's key flags), or null
     * when they do not tell the key: none (no identity), all (REPLICA IDENTITY FULL), or a snapshot
     * row's layout (no flags).
     */
    private static List<String> identityColumns(ChangeEvent e) {
        if (e.types == null || e.columns == null || e.layout <= 0) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < e.types.length; i++) {
            if (ColumnType.key(e.types[i])) {
                out.add(e.columns[i]);
            }
        }
        return out.isEmpty() || out.size() == e.types.length ? null : out;
    }

    /**
     * The table's key changed (a new primary key, as the stream's own layout says): its raw rows
     * end just before this change (a {@code t} row: no writer spans the DDL, which locks the table)
     * and a new snapshot follows, keyed by the new key, which the raw table's comment names from
     * now on.
     */
    private TableSchema keyChanged(ChangeEvent e, TableSchema was, List<String> flagged) {
        TableSchema now = tables.refresh(e.table);
        List<String> key =
                now != null && new HashSet<>(now.keyColumns()).equals(new HashSet<>(flagged))
                        ? now.keyColumns() // the catalog's order, as snapshot rows are keyed
                        : flagged;
        TableSchema t =
                new TableSchema(
                        was.ref(),
                        now == null ? was.columns() : now.columns(),
                        key,
                        was.replicaIdentityFull(),
                        was.insertOnly());
        tables.put(t);
        keyPositions.remove(e.table);
        try {
            RawTables.comment(warehouse(), tracking.schema().rawSchema(), t);
        } catch (SQLException x) {
            throw new IllegalStateException(
                    "cannot note the new key of table "
                            + e.table
                            + " on its raw table ("
                            + SqlErrors.describe(x)
                            + ")",
                    x);
        }
        LOG.info(
                "the key of table {} changed from {} to {}: its raw rows end here, a new snapshot follows",
                e.table,
                was.keyColumns(),
                key);
        emit(truncation(e.table, Keys.truncate(e.table), e.lsn - 1, e.txId, e.sourceTsMicros));
        try {
            snapshotter.onSignal(
                    new Signals.Signal(
                            tracking.slot(),
                            Signals.CAPTURE, // its rows follow the t row
                            e.table,
                            null,
                            e.lsn - 1,
                            e.txId,
                            e.sourceTsMicros,
                            e.seq),
                    this::emit);
        } catch (SQLException x) {
            throw new IllegalStateException(
                    "cannot start the snapshot of table "
                            + e.table
                            + " ("
                            + SqlErrors.describe(x)
                            + ")",
                    x);
        }
        return t;
    }

    /**
     * Gives a change of a table without a key its transaction's commit LSN as {@code _lsn} and its
     * place in the transaction as {@code _seq}: the raw rows then sort as the source committed
     * them, which is what a multiset needs (see verify), and no keyed state is kept for them.
     */
    private void place(ChangeEvent e) {
        long commit = e.seq;
        if (commit != placedTx) {
            placedTx = commit;
            placed = 0;
        }
        e.lsn = commit;
        e.seq = ++placed;
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        try {
            refreshPaused();
            if (discovery != null) {
                discovery.run();
            }
        } catch (SQLException | RuntimeException e) {
            // the next round tries again; a source or warehouse that stays away fails the job
            // through the other stages
            LOG.warn(
                    "looking for new and dropped tables failed ({}); trying again in {} ms",
                    e.getMessage(),
                    DISCOVERY_MILLIS);
            closeConnections();
        }
        getProcessingTimeService().registerTimer(time + DISCOVERY_MILLIS, this);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        progressState.update(List.of(snapshotter.progress.encode()));
    }

    // synchronized: the snapshot window reader opens them too (see Snapshotter#openNextWindow)
    private synchronized Connection source() {
        checkOpen();
        if (source == null) {
            source = open(tracking.schema().source(), "source", "flink-elt tracker");
        }
        return source;
    }

    /** The source connection of a snapshot window's range reader {@code i} (1 and up). */
    private synchronized Connection rangeSource(int i) {
        checkOpen();
        if (rangeSources == null) {
            rangeSources = new Connection[tracking.snapshotReaders()];
        }
        if (rangeSources[i] == null) {
            rangeSources[i] =
                    open(tracking.schema().source(), "source", "flink-elt snapshot reader");
        }
        return rangeSources[i];
    }

    private synchronized Connection warehouse() {
        checkOpen();
        if (warehouse == null) {
            warehouse = open(tracking.schema().warehouse(), "target", "flink-elt tracker");
        }
        return warehouse;
    }

    private Connection open(PgEndpoint endpoint, String which, String applicationName) {
        Connection c = Connections.forJob(endpoint, which, applicationName);
        try (Statement st = c.createStatement()) {
            // this runs on the threads that read the change stream and its snapshot windows: a
            // lock held long on a source table fails the attempt (the job restarts and tries
            // again) instead of stalling every table; snapshot text as the stream has it
            st.execute("SET lock_timeout = '10s'; " + Connections.TEXT_SESSION);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot set up a " + which + " connection (SQLSTATE " + e.getSQLState() + ")",
                    e);
        }
        return c;
    }

    /** A snapshot reader still running after the task closed opens no connection. */
    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the source tracker is closed");
        }
    }

    private synchronized void closeConnections() {
        List<Connection> all = new ArrayList<>(Arrays.asList(source, warehouse));
        if (rangeSources != null) {
            all.addAll(Arrays.asList(rangeSources));
        }
        for (Connection c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (SQLException ignored) {
                // already broken
            }
        }
        source = null;
        warehouse = null;
        rangeSources = null;
    }

    @Override
    public void close() throws Exception {
        closed = true;
        if (snapshotter != null) {
            snapshotter.stop(); // its reader may use the connections: closing them ends its reads
        }
        closeConnections();
        if (snapshotter != null) {
            snapshotter.awaitStop();
        }
        if (mapper != null) {
            mapper.close();
        }
        super.close();
    }
}
