package dev.flinkelt.load.sink;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.SqlErrors;

import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * One subtask's writer: one warehouse connection and one transaction per checkpoint holding the
 * rows of every raw table. Rows are buffered and loaded with COPY in batches ({@link BatchLoader});
 * at the checkpoint barrier the transaction is prepared ({@code PREPARE TRANSACTION}) and handed to
 * the committer, which commits it when the checkpoint completes. A checkpoint without rows prepares
 * nothing. The writer's state names its last transaction, which a restore finds in the warehouse
 * ({@link CommitLedger}, {@link RestoredTransactions}).
 */
final class RawSinkWriter
        implements StatefulSinkWriter<ChangeEvent, String>,
                CommittingSinkWriter<ChangeEvent, PreparedTransaction> {
    private static final Logger LOG = LoggerFactory.getLogger(RawSinkWriter.class);

    /**
     * A batch is loaded at this many buffered characters even below batch-size rows (wide or
     * TOASTed rows).
     */
    private static final long BATCH_CHARS = 8L << 20;

    private final RawSink sink;
    private final int subtask;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Connection conn;
    private final BatchLoader loader;
    private final Map<RawTarget, List<ChangeEvent>> batch = new LinkedHashMap<>();

    /** The raw table of each source table as last read from the warehouse. */
    private final Map<String, RawTarget> targets = new HashMap<>();

    /** What the open transaction holds, for the committer's metrics. */
    private LoadedRows loaded = new LoadedRows();

    private int batchRows;
    private long batchChars;

    /** True while the connection's transaction holds rows that are not yet prepared. */
    private boolean open;

    private long lastCheckpoint;

    private final CommitLedger ledger;

    /**
     * The transactions the writer state names: its own last one, or until it has one, those a
     * restore handed it.
     */
    private List<String> named = List.of();

    RawSinkWriter(RawSink sink, WriterInitContext context, Collection<String> restoredNames)
            throws IOException {
        this.sink = sink;
        this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
        int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
        OptionalLong restored = context.getRestoredCheckpointId();
        this.lastCheckpoint = restored.orElse(0L);
        this.ledger = new CommitLedger(sink.rawSchema, sink.pipeline);
        try {
            conn = Connections.forJob(sink.target, "target", "flink-elt sink " + subtask);
            try (Statement st = conn.createStatement()) {
                // values are loaded from the text the source printed under these settings
                st.execute(Connections.TEXT_SESSION);
            }
            // a failover restarts tasks without the client: strays of the failed run are rolled
            // back here. Each
            // writer takes the old subtasks congruent to its own index, so no two writers touch the
            // same ones and
            // none touches a transaction of the new run
            int n =
                    PreparedTransactions.rollBackStrays(
                            conn, sink.pipeline, restored, s -> s % parallelism == subtask);
            if (n > 0) {
                LOG.info(
                        "rolled back {} prepared transaction(s) of this pipeline made after checkpoint {}; their rows are read again",
                        n,
                        restored.isPresent() ? restored.getAsLong() : "(none: fresh start)");
            }
            if (restored.isPresent()) {
                named =
                        RestoredTransactions.settle(
                                conn,
                                sink,
                                ledger,
                                restored.getAsLong(),
                                s -> s % parallelism == subtask,
                                restoredNames,
                                context.metricGroup().counter("lostWarehouseTransactions"));
            }
            conn.setAutoCommit(false);
            loader =
                    new BatchLoader(
                            conn,
                            new Quarantine(sink.rawSchema),
                            sink.onReject,
                            context.metricGroup().counter("rejectedRows"));
        } catch (SQLException e) {
            throw SqlErrors.failure("the raw sink cannot open its warehouse connection", e);
        }
    }

    @Override
    public void write(ChangeEvent e, Context context) throws IOException {
        if (e.unmapped()) {
            throw new IOException(
                    "a change of "
                            + e.table
                            + " reached the raw sink before its columns were mapped (a bug in flink-elt)");
        }
        RawTarget t = targets.get(e.table);
        int width = e.width();
        if (t == null || width > t.width()) {
            t = loadTarget(e.table); // first row of the table, or the raw table gained columns
        }
        batch.computeIfAbsent(t, k -> new ArrayList<>()).add(e);
        batchRows++;
        if (e.values == null) {
            batchChars += e.copyText.length;
        } else {
            for (String v : e.values) {
                batchChars += v == null ? 2 : v.length() + 1;
            }
        }
        if (batchRows >= sink.batchSize || batchChars >= BATCH_CHARS) {
            loadBatch();
        }
    }

    private RawTarget loadTarget(String table) throws IOException {
        // a table captured after the build: names hold no dots (refused at capture), its key is in
        // the raw table's comment
        TableRef ref = sink.tables.getOrDefault(table, null);
        try {
            if (ref == null) {
                ref = TableRef.parse(table);
            }
            List<String> keys = sink.keys.get(table);
            if (keys == null) {
                keys = RawTarget.keyFromComment(conn, sink.rawSchema, ref);
            }
            RawTarget t = RawTarget.load(conn, sink.rawSchema, ref, keys);
            targets.put(table, t);
            return t;
        } catch (SQLException e) {
            throw SqlErrors.failure(
                    "the raw sink cannot read the columns of the raw table of " + table, e);
        }
    }

    private void loadBatch() throws IOException {
        if (batchRows == 0) {
            return;
        }
        loader.load(batch, loaded);
        open = true;
        batch.clear();
        batchRows = 0;
        batchChars = 0;
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        loadBatch();
    }

    @Override
    public Collection<PreparedTransaction> prepareCommit() throws IOException {
        loadBatch();
        if (!open) {
            return List.of();
        }
        TransactionName name = new TransactionName(sink.pipeline, subtask, lastCheckpoint + 1, run);
        String gid = name.gid();
        try (Statement st = conn.createStatement()) {
            ledger.record(conn, name, named);
            st.execute("PREPARE TRANSACTION " + Identifiers.literal(gid));
        } catch (SQLException e) {
            throw SqlErrors.failure("PREPARE TRANSACTION " + gid + " failed", e);
        }
        open = false;
        named = List.of(gid);
        PreparedTransaction prepared = new PreparedTransaction(gid, loaded);
        loaded = new LoadedRows();
        return List.of(prepared);
    }

    @Override
    public List<String> snapshotState(long checkpointId) {
        lastCheckpoint = checkpointId; // names the next transaction
        return named;
    }

    @Override
    public void close() throws Exception {
        // an open, unprepared transaction is rolled back with its connection: its rows are read
        // again after restore
        conn.close();
    }
}
