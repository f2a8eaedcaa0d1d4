package dev.flinkelt.transform.output;

import dev.flinkelt.config.PgEndpoint;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.table.data.RowData;

import java.io.Serializable;

/**
 * A user output of {@code 'connector' = 'warehouse'}: upserts and deletes by primary key (or plain
 * inserts without one), every identifier quoted, values as PostgreSQL text. Keyed writes are
 * idempotent, so a restart that replays rows from its checkpoint converges to the same table;
 * without a key a replay inserts rows again (at least once).
 */
public final class OutputSink implements Sink<RowData> {
    private static final long serialVersionUID = 1L;

    /** The SQL and the conversions a writer needs. */
    public record Spec(
            String table,
            String[] columns,
            int[] key,
            PgValues values,
            int flushRows,
            long flushMillis)
            implements Serializable {}

    final PgEndpoint warehouse;
    final Spec spec;

    public OutputSink(PgEndpoint warehouse, Spec spec) {
        this.warehouse = warehouse;
        this.spec = spec;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<RowData> createWriter(InitContext context) {
        throw new UnsupportedOperationException(
                "Flink 1.20 creates sink writers with a WriterInitContext");
    }

    @Override
    public SinkWriter<RowData> createWriter(WriterInitContext context) {
        return new OutputWriter(this, context.getProcessingTimeService());
    }
}
