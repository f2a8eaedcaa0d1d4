package dev.flinkelt.schema;

import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.TableSchema;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the stages that follow source schema changes need: both databases, the raw schema, the
 * captured tables and whether columns of types the warehouse lacks land as text.
 */
public record SchemaTarget(
        PgEndpoint source,
        PgEndpoint warehouse,
        String rawSchema,
        Map<String, TableRef> tables,
        boolean missingTypesAsText)
        implements Serializable {

    public static SchemaTarget of(PipelineConfig config, List<TableSchema> tables) {
        Map<String, TableRef> refs = new HashMap<>();
        tables.forEach(t -> refs.put(t.ref().dotted(), t.ref()));
        return new SchemaTarget(
                config.source, config.target, config.rawSchema, refs, config.missingTypesAsText);
    }
}
