package dev.flinkelt.load.sink;

import dev.flinkelt.config.OnReject;
import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.pg.TableSchema;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exactly-once sink of every raw table, on Flink's two-phase-commit Sink V2 API with
 * PostgreSQL's own {@code PREPARE TRANSACTION}: per subtask one writing connection and one
 * transaction per checkpoint for all tables ({@link RawSinkWriter}), committed by {@link
 * RawSinkCommitter} when the checkpoint completes. The warehouse needs two connections and at most
 * two prepared transactions per subtask, whatever the number of tables.
 */
public final class RawSink
        implements Sink<ChangeEvent>,
                SupportsWriterState<ChangeEvent, String>,
                SupportsCommitter<PreparedTransaction> {
    private static final long serialVersionUID = 1L;

    final PgEndpoint target;
    final String rawSchema;
    final String pipeline;
    final int batchSize;
    final OnReject onReject;
    final LostCommitRepair repair;

    /**
     * Source table ({@code schema.table}) to its name and key columns; the raw columns are read by
     * the writer.
     */
    final Map<String, TableRef> tables = new HashMap<>();

    final Map<String, List<String>> keys = new HashMap<>();

    public RawSink(PipelineConfig config, List<TableSchema> tables, LostCommitRepair repair) {
        this.repair = repair;
        this.target = config.target;
        this.rawSchema = config.rawSchema;
        this.pipeline = TransactionName.pipelineOf(config);
        this.batchSize = config.batchSize;
        this.onReject = config.onReject;
        for (TableSchema t : tables) {
            this.tables.put(t.ref().dotted(), t.ref());
            this.keys.put(t.ref().dotted(), t.keyColumns());
        }
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<ChangeEvent> createWriter(InitContext context) {
        throw new UnsupportedOperationException(
                "Flink 1.20 creates sink writers with a WriterInitContext");
    }

    @Override
    public StatefulSinkWriter<ChangeEvent, String> createWriter(WriterInitContext context)
            throws IOException {
        return new RawSinkWriter(this, context, List.of());
    }

    @Override
    public StatefulSinkWriter<ChangeEvent, String> restoreWriter(
            WriterInitContext context, Collection<String> recoveredState) throws IOException {
        return new RawSinkWriter(this, context, recoveredState);
    }

    /**
     * Version 2: the gid of a transaction the checkpoint names (see {@link CommitLedger}). Version
     * 1 (a {@code Long}) was declared but never written: states of earlier builds are empty.
     */
    @Override
    public SimpleVersionedSerializer<String> getWriterStateSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 2;
            }

            @Override
            public byte[] serialize(String gid) {
                return gid.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String deserialize(int version, byte[] bytes) throws IOException {
                if (version != 2) {
                    throw new IOException(
                            "unknown version " + version + " of a flink-elt sink writer state");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }

    @Override
    public Committer<PreparedTransaction> createCommitter(CommitterInitContext context) {
        PreparedAge prepared = null;
        if (context.getTaskInfo().getIndexOfThisSubtask() == 0) { // one per pipeline is enough
            prepared = new PreparedAge(target, pipeline);
            prepared.register(context.metricGroup());
        }
        return new RawSinkCommitter(
                target, new LoadMetrics(context.metricGroup(), tables.keySet()), prepared);
    }

    @Override
    public SimpleVersionedSerializer<PreparedTransaction> getCommittableSerializer() {
        return PreparedTransaction.SERIALIZER;
    }
}
