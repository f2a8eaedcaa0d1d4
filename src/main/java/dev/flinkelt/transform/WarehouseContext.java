package dev.flinkelt.transform;

import dev.flinkelt.raw.RawTable;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import java.util.List;

/**
 * What the {@code warehouse} and {@code elt-raw} connectors need that SQL files must not carry: the warehouse's
 * address and credentials, and the raw tables. Set by the transform job in the process that plans the job; the
 * sources and sinks it plans carry their own copy to the TaskManagers. Keeping credentials out of table options
 * also keeps them out of compiled plans.
 */
public final class WarehouseContext {
    private static volatile PipelineConfig config;
    private static volatile List<RawTable> raw = List.of();
    private static volatile Rebuild rebuild;

    private WarehouseContext() {}

    /** {@code batchRebuild} (null when streaming) redirects the warehouse sinks to its staging copies. */
    static void set(PipelineConfig cfg, List<RawTable> rawTables, Rebuild batchRebuild) {
        config = cfg;
        rebuild = batchRebuild;
        raw = List.copyOf(rawTables);
    }

    static PipelineConfig config() {
        if (config == null) {
            throw new ConfigException("the warehouse and elt-raw connectors work only inside flink-elt transform");
        }
        return config;
    }

    /** The batch run's rebuild, or null for a streaming job (which upserts into the outputs directly). */
    static Rebuild rebuild() {
        return rebuild;
    }

    /** The raw tables the job was planned with (a batch run reads these). */
    static List<RawTable> rawTables() {
        return raw;
    }
}
