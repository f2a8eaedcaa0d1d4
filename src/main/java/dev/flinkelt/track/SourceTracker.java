package dev.flinkelt.track;

import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.ChangeEventDeserializer;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.schema.ColumnMapper;

import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private transient Connection warehouse;
    private transient String signalTable;
    private transient Map<String, Map<Integer, KeyPositions>> keyPositions;

    private record KeyPositions(TableSchema table, int[] keys) {}

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
        signalTable = tracking.signalTable().dotted();
        mapper = new ColumnMapper(tracking.schema(), "mapper " + subtask);
        tables = new SourceTables(tracking, this::source, this::warehouse);
        keyPositions = new HashMap<>();
        snapshotter =
                new Snapshotter(
                        tracking,
                        tables,
                        this::source,
                        new SnapshotMetrics(getMetricGroup(), tracking.chunkSize()));
        if (restored != null) {
            snapshotter.progress = restored;
        }
        if (subtask == 0) {
            discovery = new Discovery(tracking, this::source, this::warehouse);
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + DISCOVERY_MILLIS, this);
        }
    }

    @Override
    public void processElement(StreamRecord<ChangeEvent> record) throws Exception {
        ChangeEvent e = record.getValue();
        if (e.table.equals(signalTable)) {
            Signals.Signal s = Signals.of(e);
            if (s != null
                    && tracking.slot().equals(s.slot())
                    && Signals.CAPTURE.equals(s.kind())
                    && Signals.RECAPTURE.equals(s.arg())) {
                emit(truncate(s)); // the raw table holds rows of an earlier table of this name:
                // they end here
            }
            if (s != null) {
                snapshotter.onSignal(s, this::emit);
            }
            return; // signals are not data: no raw table
        }
        if (e.key == null && !completeKey(e)) {
            return;
        }
        if (e.op == ChangeEvent.TRUNCATE) {
            snapshotter.onTruncate(e.table);
        } else {
            snapshotter.onChange(e);
        }
        emit(e);
    }

    private static ChangeEvent truncate(Signals.Signal s) {
        ChangeEvent t = new ChangeEvent();
        t.table = s.table();
        t.op = ChangeEvent.TRUNCATE;
        t.values = new String[0];
        t.key = ChangeEventDeserializer.truncateKey(s.table());
        t.lsn = s.lsn();
        t.txId = s.txId();
        t.sourceTsMicros = s.sourceTsMicros();
        return t;
    }

    private void emit(ChangeEvent e) {
        try {
            mapper.map(e);
        } catch (SQLException x) {
            throw new IllegalStateException(
                    "cannot map the columns of a change of "
                            + e.table
                            + " onto its raw table: SQLSTATE "
                            + x.getSQLState(),
                    x);
        }
        output.collect(new StreamRecord<>(e));
    }

    /**
     * Keys a change of a table captured after the job was built (the reader knows only the tables
     * of the build); without full replica identity a delete keeps only its key values. False when
     * the table cannot be captured.
     */
    private boolean completeKey(ChangeEvent e) {
        TableSchema t = tables.get(e.table);
        if (t == null) {
            return false;
        }
        // per layout and table description, not per record: the reader numbers each table's row
        // layouts
        Map<Integer, KeyPositions> known =
                keyPositions.computeIfAbsent(e.table, k -> new HashMap<>());
        KeyPositions p = known.get(e.layout);
        if (p == null || p.table() != t) {
            p =
                    new KeyPositions(
                            t, ChangeEventDeserializer.keyPositions(e.columns, t.keyColumns()));
            known.put(e.layout, p);
        }
        int[] keys = p.keys();
        if (e.op == ChangeEvent.DELETE && !t.replicaIdentityFull()) {
            ChangeEventDeserializer.keepKeyOnly(keys, e.values);
        }
        e.key = ChangeEventDeserializer.key(e.table, keys, e.values, e.types);
        return true;
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        try {
            discovery.run();
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

    private Connection source() {
        if (source == null) {
            source = open(tracking.schema().source(), "source");
        }
        return source;
    }

    private Connection warehouse() {
        if (warehouse == null) {
            warehouse = open(tracking.schema().warehouse(), "target");
        }
        return warehouse;
    }

    private Connection open(PgEndpoint endpoint, String which) {
        Connection c = Connections.forJob(endpoint, which, "flink-elt tracker");
        try (Statement st = c.createStatement()) {
            // this runs on the thread that reads the change stream: a lock held long on a source
            // table fails the attempt
            // (the job restarts and tries again) instead of stalling every table; snapshot text as
            // the stream has it
            st.execute("SET lock_timeout = '10s'; " + Connections.TEXT_SESSION);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot set up a " + which + " connection (SQLSTATE " + e.getSQLState() + ")",
                    e);
        }
        return c;
    }

    private void closeConnections() {
        for (Connection c : new Connection[] {source, warehouse}) {
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
    }

    @Override
    public void close() throws Exception {
        closeConnections();
        if (mapper != null) {
            mapper.close();
        }
        super.close();
    }
}
