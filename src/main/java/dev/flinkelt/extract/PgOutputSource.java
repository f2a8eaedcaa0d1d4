package dev.flinkelt.extract;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TablePatterns;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.cdc.connectors.base.config.JdbcSourceConfig;
import org.apache.flink.cdc.connectors.base.config.SourceConfig;
import org.apache.flink.cdc.connectors.base.options.StartupOptions;
import org.apache.flink.cdc.connectors.base.source.assigner.StreamSplitAssigner;
import org.apache.flink.cdc.connectors.base.source.assigner.state.PendingSplitsState;
import org.apache.flink.cdc.connectors.base.source.assigner.state.StreamPendingSplitsState;
import org.apache.flink.cdc.connectors.base.source.enumerator.IncrementalSourceEnumerator;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceRecords;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitBase;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitState;
import org.apache.flink.cdc.connectors.base.source.metrics.SourceReaderMetrics;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder.PostgresIncrementalSource;
import org.apache.flink.cdc.connectors.postgres.source.config.PostgresSourceConfigFactory;
import org.apache.flink.cdc.connectors.postgres.source.offset.PostgresOffsetFactory;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.util.Collector;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The change stream: Flink CDC's PostgreSQL source (stream split, offsets in checkpoints, positions
 * confirmed to the slot a few checkpoints behind) streaming from the slot's confirmed position,
 * with pgoutput decoded by {@link PgOutputStreamTask}. Snapshots are read in the stream by
 * track.Snapshotter.
 */
public final class PgOutputSource extends PostgresIncrementalSource<ChangeEvent> {
    private static final long serialVersionUID = 1L;

    /** Prefix of the logical decoding messages flink-elt writes and reads. */
    public static final String MESSAGE_PREFIX = "flink-elt";

    private PgOutputSource(PostgresSourceConfigFactory configs, PgOutputDialect dialect) {
        super(configs, new NotDecodedByDebezium(), new PostgresOffsetFactory(), dialect);
    }

    /**
     * The source of {@code config}'s pipeline, reading {@code publications}. The table filter comes
     * from the {@code source.tables} patterns plus the signal table, so a table created later that
     * matches streams as soon as it joins the publication (see track.Discovery).
     */
    public static OneStreamSplitSource<ChangeEvent> create(
            PipelineConfig config, List<String> publications) {
        List<String> captured = new ArrayList<>(config.tables);
        captured.add(config.signalTable.dotted());
        StreamSettings settings =
                new StreamSettings(
                        config.source,
                        config.slot,
                        List.copyOf(publications),
                        new TablePatterns(captured),
                        MESSAGE_PREFIX,
                        config.signalTable.dotted(),
                        config.heartbeatInterval.toMillis());
        PostgresSourceConfigFactory configs =
                PostgresSourceBuilder.PostgresIncrementalSource.<ChangeEvent>builder()
                        .hostname(config.source.host())
                        .port(config.source.port())
                        .database(config.source.database())
                        .username(config.source.username())
                        .password(config.source.password() == null ? "" : config.source.password())
                        .slotName(config.slot)
                        .decodingPluginName("pgoutput")
                        .schemaList(".*")
                        .tableList(".*")
                        .startupOptions(StartupOptions.committed())
                        .getConfigFactory();
        PgOutputDialect dialect = new PgOutputDialect(configs.create(0), settings);
        PgOutputSource source = new PgOutputSource(configs, dialect);
        return new OneStreamSplitSource<>(
                source, source::streamEnumerator, ChangeEventType.INSTANCE);
    }

    /**
     * The base framework's enumerator with the stream split assigner. Not Flink CDC's Postgres
     * enumerator: at every start it makes the slot when it is missing, at the current position (a
     * gap no one would see), over a connection to the first host of the URL only, which is the dead
     * one after a failover. The slot is made at a fresh start (track.FirstSnapshot); a missing one
     * fails the stream.
     */
    SplitEnumerator<SourceSplitBase, PendingSplitsState> streamEnumerator(
            SplitEnumeratorContext<SourceSplitBase> context, PendingSplitsState restored)
            throws Exception {
        if (restored != null && !(restored instanceof StreamPendingSplitsState)) {
            // a checkpoint of the Flink-CDC-snapshot era: its own enumerator, as before (it may
            // make
            // a missing slot; the stream task then refuses the slot confirmed past its position)
            return restoreEnumerator(context, restored);
        }
        JdbcSourceConfig config = (JdbcSourceConfig) configFactory.create(0);
        StreamSplitAssigner assigner =
                restored == null
                        ? new StreamSplitAssigner(config, dataSourceDialect, offsetFactory, context)
                        : new StreamSplitAssigner(
                                config,
                                (StreamPendingSplitsState) restored,
                                dataSourceDialect,
                                offsetFactory,
                                context);
        return new IncrementalSourceEnumerator(context, config, assigner, getBoundedness());
    }

    @Override
    protected RecordEmitter<SourceRecords, ChangeEvent, SourceSplitState> createRecordEmitter(
            SourceConfig config, SourceReaderMetrics metrics) {
        return new DecodedRecordEmitter(deserializationSchema, metrics, offsetFactory);
    }

    /** Every record of this source is decoded already; Debezium's deserializer never runs. */
    private static final class NotDecodedByDebezium
            implements DebeziumDeserializationSchema<ChangeEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(SourceRecord record, Collector<ChangeEvent> out) {
            // heartbeats or watermarks of Debezium's own: none are made here, and none carry data
        }

        @Override
        public TypeInformation<ChangeEvent> getProducedType() {
            return ChangeEventType.INSTANCE;
        }
    }
}
