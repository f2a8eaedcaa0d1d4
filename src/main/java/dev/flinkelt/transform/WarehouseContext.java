package dev.flinkelt.transform;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.raw.RawTable;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.factories.DynamicTableFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the {@code warehouse}, {@code elt-raw} and {@code elt-mirror} connectors need that SQL files
 * must not carry: the warehouse's address and credentials, the raw tables, and a batch run's
 * rebuild ({@code null} when streaming). Flink makes table factories itself, so the transform job
 * registers its context under an id and puts only the id into the table environment's
 * configuration, where the factories find it: jobs planned in one process keep their own, and
 * credentials stay out of table options and compiled plans. The sources and sinks the factories
 * make carry their own copy to the TaskManagers.
 */
record WarehouseContext(PipelineConfig config, List<RawTable> rawTables, Rebuild rebuild) {
    static final ConfigOption<String> ID =
            ConfigOptions.key("flink-elt.warehouse-context")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("set by flink-elt transform for its connectors");

    /** One entry per planned transform job (a process plans one, tests and the demo a few). */
    private static final Map<String, WarehouseContext> PLANNED = new ConcurrentHashMap<>();

    WarehouseContext {
        rawTables = List.copyOf(rawTables);
    }

    /** Makes this context the one of the connectors that {@code tEnv} plans. */
    void register(TableEnvironment tEnv) {
        String id = UUID.randomUUID().toString();
        PLANNED.put(id, this);
        tEnv.getConfig().set(ID, id);
    }

    static WarehouseContext of(DynamicTableFactory.Context context) {
        WarehouseContext c =
                context.getConfiguration().getOptional(ID).map(PLANNED::get).orElse(null);
        if (c == null) {
            throw new ConfigException(
                    "the warehouse, elt-raw and elt-mirror connectors work only inside flink-elt transform");
        }
        return c;
    }
}
