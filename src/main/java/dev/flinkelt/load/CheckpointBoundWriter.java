package dev.flinkelt.load;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriter;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterState;
import org.apache.flink.connector.jdbc.internal.JdbcOutputFormat;

/**
 * The connector's XA writer, kept from committing at the checkpoint barrier. {@code JdbcWriter.prepareCommit}
 * prepares the checkpoint's transaction and clears its "pending records" flag; {@code snapshotState}, called right
 * after it for the same checkpoint, then takes the cleared flag for "nothing written" and commits every prepared
 * transaction up to the previous checkpoint id, which includes the one just prepared. The rows became visible
 * before the checkpoint completed: a failure in between restored the previous checkpoint and wrote them again.
 * Holding the flag up while the two run leaves every commit to the committer, after the checkpoint completes
 * ({@link CheckpointBoundCommitter}).
 *
 * <p>The early commit also hid a second fault: the writer's output keeps the statements of its first connection,
 * and only because that connection went back to the pool before the next transaction started did the rows land in
 * the right one. With the commit deferred, the next transaction starts on another connection, so the output is
 * pointed at it after every new transaction.
 */
final class CheckpointBoundWriter<IN> implements StatefulSinkWriter<IN, JdbcWriterState>, CommittingSinkWriter<IN, JdbcCommitable> {
    private static final Field PENDING = field("pendingRecords");
    private static final Field OUTPUT = field("jdbcOutput");
    private final JdbcWriter<IN> delegate;

    CheckpointBoundWriter(JdbcWriter<IN> delegate) {
        this.delegate = delegate;
    }

    private static Field field(String name) {
        try {
            Field f = JdbcWriter.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("flink-connector-jdbc changed: JdbcWriter." + name + " is gone; review CheckpointBoundWriter", e);
        }
    }

    /** Points the writer's statements at the connection of its current transaction. */
    private void followTransaction() throws IOException {
        try {
            ((JdbcOutputFormat<?, ?, ?>) OUTPUT.get(delegate)).updateExecutor(false);
        } catch (IllegalAccessException | java.sql.SQLException | ClassNotFoundException e) {
            throw new IOException("cannot move the JDBC writer to its new transaction's connection", e);
        }
    }

    private void holdPending(boolean value) {
        try {
            PENDING.setBoolean(delegate, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Collection<JdbcCommitable> prepareCommit() throws IOException, InterruptedException {
        holdPending(true); // always hand the committer a committable: it commits what this checkpoint covers
        return delegate.prepareCommit();
    }

    @Override
    public List<JdbcWriterState> snapshotState(long checkpointId) throws IOException {
        holdPending(true);
        try {
            List<JdbcWriterState> state = delegate.snapshotState(checkpointId);
            followTransaction();
            return state;
        } finally {
            holdPending(false); // the new transaction has no rows yet
        }
    }

    @Override
    public void write(IN element, Context context) throws IOException, InterruptedException {
        delegate.write(element, context);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        delegate.flush(endOfInput);
    }

    @Override
    public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
        delegate.writeWatermark(watermark);
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }
}
