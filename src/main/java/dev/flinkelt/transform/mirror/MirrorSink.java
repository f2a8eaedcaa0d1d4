package dev.flinkelt.transform.mirror;

import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.raw.RawTable;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.table.data.RowData;

import java.util.Map;

/**
 * The sink of every mirror table: raw rows of all tables in, guarded upserts out ({@link
 * MirrorTable}). It needs the rows of a table in read order, so it runs where the source reads them
 * (forward, no shuffle).
 */
public final class MirrorSink implements Sink<RowData> {
    private static final long serialVersionUID = 1L;

    final PgEndpoint warehouse;
    final String rawSchema;
    final String mirrorSchema;
    final boolean softDeletes;

    /**
     * Batch rebuild: raw table name to the quoted staging table written instead of its mirror;
     * empty when streaming.
     */
    private final Map<String, String> staging;

    public MirrorSink(
            PgEndpoint warehouse,
            String rawSchema,
            String mirrorSchema,
            boolean softDeletes,
            Map<String, String> staging) {
        this.warehouse = warehouse;
        this.rawSchema = rawSchema;
        this.mirrorSchema = mirrorSchema;
        this.softDeletes = softDeletes;
        this.staging = Map.copyOf(staging);
    }

    String target(RawTable raw) {
        String staged = staging.get(raw.rawName());
        return staged != null ? staged : MirrorTables.qualified(mirrorSchema, raw);
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<RowData> createWriter(InitContext context) {
        throw new UnsupportedOperationException(
                "Flink 1.20 creates sink writers with a WriterInitContext");
    }

    @Override
    public SinkWriter<RowData> createWriter(WriterInitContext context) {
        return new MirrorWriter(this, context.getProcessingTimeService(), context.metricGroup());
    }
}
