package dev.flinkelt.transform;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.PipelineException;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.Schemas;
import dev.flinkelt.transform.output.OutputSink;
import dev.flinkelt.transform.output.PgValues;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.TimeUtils;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code 'connector' = 'warehouse'}: an upsert sink into the pipeline's warehouse ({@link
 * OutputSink}), without connection settings or passwords in the SQL. Every name is quoted, so any
 * column name works; values go in as text the warehouse parses into each column's type. With {@code
 * 'create' = 'true'} (default) a missing table is created from the Flink schema. A batch run writes
 * to a staging copy ({@link Rebuild}).
 */
public class WarehouseTableFactory implements DynamicTableSinkFactory {
    public static final String IDENTIFIER = "warehouse";
    static final ConfigOption<String> TABLE =
            ConfigOptions.key("table-name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("schema.table in the warehouse");
    static final ConfigOption<Boolean> CREATE =
            ConfigOptions.key("create").booleanType().defaultValue(true);
    static final ConfigOption<Integer> FLUSH_ROWS =
            ConfigOptions.key("sink.buffer-flush.max-rows").intType().defaultValue(1000);
    static final ConfigOption<String> FLUSH_INTERVAL =
            ConfigOptions.key("sink.buffer-flush.interval").stringType().defaultValue("1s");

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(TABLE);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(CREATE, FLUSH_ROWS, FLUSH_INTERVAL);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        WarehouseContext ctx = WarehouseContext.of(context);
        PipelineConfig cfg = ctx.config();
        String what = context.getObjectIdentifier().asSummaryString();
        String[] name = Identifiers.splitQualified(helper.getOptions().get(TABLE));
        if (name.length != 2) {
            throw new ConfigException(
                    "table "
                            + what
                            + ": 'table-name' must be schema.table, got '"
                            + helper.getOptions().get(TABLE)
                            + "'");
        }
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        if (helper.getOptions().get(CREATE)) {
            createIfMissing(cfg, name, schema);
        }
        Rebuild rebuild = ctx.rebuild();
        String[] writeTo = rebuild == null ? name : rebuild.stage(name);
        List<Column> cols = schema.getColumns().stream().filter(Column::isPhysical).toList();
        String[] names = cols.stream().map(Column::getName).toArray(String[]::new);
        LogicalType[] types =
                cols.stream()
                        .map(c -> c.getDataType().getLogicalType())
                        .toArray(LogicalType[]::new);
        List<String> pk = schema.getPrimaryKey().map(k -> k.getColumns()).orElse(List.of());
        int[] key = pk.stream().mapToInt(k -> List.of(names).indexOf(k)).toArray();
        OutputSink.Spec spec =
                new OutputSink.Spec(
                        Identifiers.quote(writeTo[0]) + "." + Identifiers.quote(writeTo[1]),
                        names,
                        key,
                        new PgValues(types, names, what),
                        helper.getOptions().get(FLUSH_ROWS),
                        TimeUtils.parseDuration(helper.getOptions().get(FLUSH_INTERVAL))
                                .toMillis());
        return new Output(new OutputSink(cfg.target, spec), what, key.length > 0);
    }

    /**
     * Upserts by primary key; without one, a table that receives updates is refused, naming the
     * fix.
     */
    private record Output(OutputSink sink, String table, boolean keyed)
            implements DynamicTableSink {
        @Override
        public ChangelogMode getChangelogMode(ChangelogMode requested) {
            if (keyed) {
                return ChangelogMode.upsert();
            }
            if (!requested.containsOnly(RowKind.INSERT)) {
                throw new ConfigException(
                        "table "
                                + table
                                + " receives updates or deletes (from an aggregation, a join or a mirror view)"
                                + " but has no primary key; declare PRIMARY KEY (...) NOT ENFORCED on the columns that identify a row");
            }
            return ChangelogMode.insertOnly();
        }

        @Override
        public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
            return SinkV2Provider.of(sink);
        }

        @Override
        public DynamicTableSink copy() {
            return new Output(sink, table, keyed);
        }

        @Override
        public String asSummaryString() {
            return "warehouse " + table;
        }
    }

    private static void createIfMissing(PipelineConfig cfg, String[] name, ResolvedSchema schema) {
        String cols =
                schema.getColumns().stream()
                        .map(
                                c ->
                                        Identifiers.quote(c.getName())
                                                + " "
                                                + PgTypes.of(c.getDataType().getLogicalType()))
                        .collect(Collectors.joining(", "));
        String pk =
                schema.getPrimaryKey()
                        .map(
                                k ->
                                        ", PRIMARY KEY ("
                                                + k.getColumns().stream()
                                                        .map(Identifiers::quote)
                                                        .collect(Collectors.joining(", "))
                                                + ")")
                        .orElse("");
        try (Connection c = Connections.open(cfg.target, "target");
                Statement st = c.createStatement()) {
            Schemas.ensure(c, name[0]);
            st.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + Identifiers.quote(name[0])
                            + "."
                            + Identifiers.quote(name[1])
                            + " ("
                            + cols
                            + pk
                            + ")");
        } catch (SQLException e) {
            throw new PipelineException(
                    "cannot create warehouse table "
                            + name[0]
                            + "."
                            + name[1]
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
