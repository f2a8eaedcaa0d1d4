package dev.flinkelt.extract;

import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.PipelineConfig;
import java.util.List;
import java.util.Properties;
import org.apache.flink.cdc.connectors.base.options.StartupOptions;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder.PostgresIncrementalSource;

/** Builds the Flink CDC incremental source (parallel chunked snapshot, then pgoutput streaming from the slot). */
public final class CdcSourceFactory {
    private CdcSourceFactory() {}

    /** Debezium settings that keep every value exact (its defaults round decimals and intervals). */
    public static Properties debeziumProperties(String publication) {
        Properties p = new Properties();
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("binary.handling.mode", "bytes");
        // arrays as PostgreSQL's own text, with unchanged TOASTed arrays marked instead of turned into NULL
        p.setProperty("converters", "pgarray");
        p.setProperty("pgarray.type", ArrayTextConverter.class.getName());
        p.setProperty("include.unknown.datatypes", "false");
        // the publication is created by flink-elt for exactly the captured tables (see SourcePreparer)
        p.setProperty("publication.name", publication);
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("snapshot.mode", "initial");
        return p;
    }

    public static PostgresIncrementalSource<ChangeEvent> create(PipelineConfig config, List<TableSchema> tables, long snapshotLsn, int chunkSize) {
        String[] schemas = tables.stream().map(t -> t.ref().schema()).distinct().toArray(String[]::new);
        String[] tableList = tables.stream().map(t -> t.ref().dotted()).toArray(String[]::new);
        return PostgresSourceBuilder.PostgresIncrementalSource.<ChangeEvent>builder()
                .hostname(config.source.host())
                .port(config.source.port())
                .database(config.source.database())
                .username(config.source.username())
                .password(config.source.password() == null ? "" : config.source.password())
                .schemaList(schemas)
                .tableList(tableList)
                .slotName(config.slot)
                .decodingPluginName("pgoutput")
                .splitSize(chunkSize)
                // heartbeats carry the latest WAL position read, so the slot advances at checkpoints also while the
                // captured tables are idle and other tables write WAL
                .heartbeatInterval(config.heartbeatInterval)
                .startupOptions(StartupOptions.initial())
                .debeziumProperties(debeziumProperties(config.publication))
                .deserializer(new ChangeEventDeserializer(tables, snapshotLsn))
                .build();
    }
}
