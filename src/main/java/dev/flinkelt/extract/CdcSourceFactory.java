package dev.flinkelt.extract;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.TableSchema;

import org.apache.flink.cdc.connectors.base.options.StartupOptions;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder.PostgresIncrementalSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Builds the Flink CDC source: pgoutput streaming from the slot, from its confirmed position (made,
 * with the first snapshot's requests, by track.FirstSnapshot). Snapshots are read in the stream by
 * track.Snapshotter; a job restored from a checkpoint of an earlier version taken during Flink
 * CDC's own snapshot finishes that one first.
 */
public final class CdcSourceFactory {
    private CdcSourceFactory() {}

    /**
     * A {@code source.tables} name part ({@code *} = any characters) as a Java regex, as Debezium's
     * filters take it.
     */
    static String regex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                sb.append(".*");
            } else {
                if (".$|()[]{}^?+\\-".indexOf(c) >= 0) {
                    sb.append('\\');
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Debezium settings that keep every value exact (its defaults round decimals and intervals).
     */
    public static Properties debeziumProperties(String publication) {
        Properties p = new Properties();
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("binary.handling.mode", "bytes");
        // arrays as PostgreSQL's own text, with unchanged TOASTed arrays marked instead of turned
        // into NULL
        p.setProperty("converters", "pgarray");
        p.setProperty("pgarray.type", ArrayTextConverter.class.getName());
        p.setProperty("include.unknown.datatypes", "false");
        // each field names its source type, so a type change is seen in the rows that carry it, not
        // in the catalog
        // (which may be ahead of the stream)
        p.setProperty("column.propagate.source.type", ".*");
        // the publication is created by flink-elt for exactly the captured tables (see
        // SourcePreparer)
        p.setProperty("publication.name", publication);
        p.setProperty("publication.autocreate.mode", "disabled");
        // the stream is read without a pause of more than this after it ran dry (Debezium's
        // default: 500 ms, and as
        // long again in its queue): a snapshot window waits for its high mark to come through the
        // stream
        p.setProperty("poll.interval.ms", "50");
        // TRUNCATE reaches raw as a row with _op = 't' (Debezium 1.9 skips it by default)
        p.setProperty("truncate.handling.mode", "include");
        return p;
    }

    /**
     * {@code tables}: the captured tables and the signal table. The reader's table filter is built
     * from the {@code source.tables} patterns, so a table created later that matches streams as
     * soon as it joins the publication (see track.Discovery).
     */
    public static OneStreamSplitSource<ChangeEvent> create(
            PipelineConfig config, List<TableSchema> tables, long snapshotLsn, int chunkSize) {
        List<TableRef> patterns =
                new ArrayList<>(config.tables.stream().map(TableRef::parse).toList());
        patterns.add(config.signalTable);
        String[] schemas =
                patterns.stream().map(p -> regex(p.schema())).distinct().toArray(String[]::new);
        String[] tableList =
                patterns.stream()
                        .map(p -> regex(p.schema()) + "\\." + regex(p.table()))
                        .distinct()
                        .toArray(String[]::new);
        PostgresIncrementalSource<ChangeEvent> source =
                PostgresSourceBuilder.PostgresIncrementalSource.<ChangeEvent>builder()
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
                        // heartbeats carry the latest WAL position read, so the slot advances at
                        // checkpoints also while the
                        // captured tables are idle and other tables write WAL
                        .heartbeatInterval(config.heartbeatInterval)
                        .startupOptions(StartupOptions.committed())
                        .debeziumProperties(debeziumProperties(config.publication))
                        .deserializer(new ChangeEventDeserializer(tables, snapshotLsn))
                        .build();
        return new OneStreamSplitSource<>(source, ChangeEventType.INSTANCE);
    }
}
