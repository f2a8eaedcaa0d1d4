package dev.flinkelt.transform.read;

import dev.flinkelt.config.PgEndpoint;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.table.data.RowData;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every raw table of the warehouse as one source of {@link RawRowType} rows, with plain queries: no
 * replication slot, no publication, no {@code wal_level} on the warehouse. Streaming picks up raw
 * tables made later; a batch read ({@code batchTables} not null) reads those tables once, up to one
 * horizon, and ends.
 */
public final class RawRowsSource implements Source<RowData, RawSplit, Set<String>> {
    private static final long serialVersionUID = 1L;

    private final PgEndpoint warehouse;
    private final String rawSchema;
    private final List<String> batchTables;
    private final long pollMillis;
    private final long discoveryMillis;

    public RawRowsSource(
            PgEndpoint warehouse,
            String rawSchema,
            List<String> batchTables,
            long pollMillis,
            long discoveryMillis) {
        this.warehouse = warehouse;
        this.rawSchema = rawSchema;
        this.batchTables = batchTables == null ? null : List.copyOf(batchTables);
        this.pollMillis = pollMillis;
        this.discoveryMillis = discoveryMillis;
    }

    @Override
    public Boundedness getBoundedness() {
        return batchTables == null ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<RawSplit, Set<String>> createEnumerator(
            SplitEnumeratorContext<RawSplit> context) {
        return new RawEnumerator(
                context, warehouse, rawSchema, batchTables, discoveryMillis, new TreeSet<>());
    }

    @Override
    public SplitEnumerator<RawSplit, Set<String>> restoreEnumerator(
            SplitEnumeratorContext<RawSplit> context, Set<String> checkpoint) {
        return new RawEnumerator(
                context, warehouse, rawSchema, batchTables, discoveryMillis, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<RawSplit> getSplitSerializer() {
        return RawSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<Set<String>> getEnumeratorCheckpointSerializer() {
        return AssignedTables.SERIALIZER;
    }

    @Override
    public SourceReader<RowData, RawSplit> createReader(SourceReaderContext context) {
        return new RawReader(
                warehouse, rawSchema, pollMillis, batchTables != null, context.metricGroup());
    }
}
