package dev.flinkelt.track;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.SignalChannel;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.schema.SchemaTarget;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link SourceTracker} needs: the pipeline's names and patterns, and the tables known when
 * the job was built.
 */
public record Tracking(
        SchemaTarget schema,
        String slot,
        String publication,
        SignalChannel signals,
        List<String> patterns,
        Map<String, List<String>> keyColumns,
        Map<String, TableSchema> tables,
        int chunkSize,
        int snapshotReaders)
        implements Serializable {

    public static Tracking of(PipelineConfig config, List<TableSchema> tables, int chunkSize) {
        Map<String, TableSchema> byName = new HashMap<>();
        tables.forEach(t -> byName.put(t.ref().dotted(), t));
        return new Tracking(
                SchemaTarget.of(config, tables),
                config.slot,
                config.publication,
                config.signals,
                List.copyOf(config.tables),
                Map.copyOf(config.keyColumns),
                byName,
                chunkSize,
                config.snapshotReaders);
    }

    List<String> keyColumnsFor(TableRef t) {
        return PipelineConfig.keyColumnsFor(keyColumns, t);
    }
}
