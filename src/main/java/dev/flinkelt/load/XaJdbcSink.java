package dev.flinkelt.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriter;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterState;
import org.apache.flink.connector.jdbc.datasource.transactions.xa.domain.TransactionId;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The connector's exactly-once JDBC sink (3.3.0-1.20) with three fixes, found by flink-elt's fault tests:
 * <ul>
 *   <li>No commit at the barrier: {@link CheckpointBoundWriter}.</li>
 *   <li>Commit only up to the completed checkpoint. The connector's committer commits every transaction its
 *       writer has prepared so far; when the next checkpoint's barrier reaches the sink before the completion
 *       notice of the previous one, that includes the next checkpoint's transaction. A crash before that
 *       checkpoint completes then restores an older position, and the rows are written twice
 *       ({@code ProcessKillITCase} saw 301 duplicates). {@link CheckpointBoundCommitter} commits a committable's
 *       own transaction and older ones only.</li>
 *   <li>Restore with a lower parallelism. The writer accepts at most one state ("more than one state to
 *       recover"); a savepoint taken at parallelism 2 and restored at 1 hands one writer both. They are merged:
 *       the writer then commits every prepared transaction of the checkpoint and rolls back every hanging one,
 *       as each old subtask would have.</li>
 * </ul>
 */
public final class XaJdbcSink<IN> implements Sink<IN>, SupportsWriterState<IN, JdbcWriterState>, SupportsCommitter<JdbcCommitable> {
    private static final long serialVersionUID = 1L;
    private final JdbcSink<IN> delegate;

    public XaJdbcSink(JdbcSink<IN> delegate) {
        this.delegate = delegate;
    }

    static JdbcWriterState merge(Collection<JdbcWriterState> states) {
        List<TransactionId> prepared = new ArrayList<>();
        List<TransactionId> hanging = new ArrayList<>();
        for (JdbcWriterState s : states) {
            prepared.addAll(s.getPrepared());
            hanging.addAll(s.getHanging());
        }
        return JdbcWriterState.of(prepared, hanging);
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<IN> createWriter(InitContext context) throws IOException {
        throw new UnsupportedOperationException("Flink 1.20 creates sink writers with a WriterInitContext");
    }

    @Override
    public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<IN, JdbcWriterState> restoreWriter(WriterInitContext context, Collection<JdbcWriterState> recoveredState)
            throws IOException {
        return new CheckpointBoundWriter<>((JdbcWriter<IN>) delegate.restoreWriter(context,
                recoveredState.size() <= 1 ? recoveredState : List.of(merge(recoveredState))));
    }

    @Override
    public SimpleVersionedSerializer<JdbcWriterState> getWriterStateSerializer() {
        return delegate.getWriterStateSerializer();
    }

    @Override
    public Committer<JdbcCommitable> createCommitter(CommitterInitContext context) throws IOException {
        return new CheckpointBoundCommitter(delegate.createCommitter(context));
    }

    @Override
    public SimpleVersionedSerializer<JdbcCommitable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }
}
