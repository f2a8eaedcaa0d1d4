package dev.flinkelt.transform;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.preflight.Connections;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.connector.jdbc.core.table.JdbcDynamicTableFactory;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * {@code 'connector' = 'warehouse'}: a JDBC upsert sink into the pipeline's warehouse, without connection
 * settings or passwords in the SQL. The table name is quoted; values go in as text the warehouse parses into each column's type. With {@code 'create' = 'true'} (default)
 * a missing table is created from the Flink schema. A batch run writes to a staging copy ({@link Rebuild}).
 */
public class WarehouseTableFactory implements DynamicTableSinkFactory {
    private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile("[a-z_][a-z0-9_]*");
    public static final String IDENTIFIER = "warehouse";
    static final ConfigOption<String> TABLE = ConfigOptions.key("table-name").stringType().noDefaultValue()
            .withDescription("schema.table in the warehouse");
    static final ConfigOption<Boolean> CREATE = ConfigOptions.key("create").booleanType().defaultValue(true);
    static final ConfigOption<Integer> FLUSH_ROWS = ConfigOptions.key("sink.buffer-flush.max-rows").intType().defaultValue(1000);
    static final ConfigOption<String> FLUSH_INTERVAL = ConfigOptions.key("sink.buffer-flush.interval").stringType().defaultValue("1s");

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
        PipelineConfig cfg = WarehouseContext.config();
        String[] name = Identifiers.splitQualified(helper.getOptions().get(TABLE));
        if (name.length != 2) {
            throw new ConfigException("table " + context.getObjectIdentifier().asSummaryString()
                    + ": 'table-name' must be schema.table, got '" + helper.getOptions().get(TABLE) + "'");
        }
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        if (helper.getOptions().get(CREATE)) {
            createIfMissing(cfg, name, schema);
        }
        Rebuild rebuild = WarehouseContext.rebuild();
        String[] writeTo = rebuild == null ? name : rebuild.stage(name);
        Map<String, String> jdbc = new HashMap<>();
        jdbc.put("connector", "jdbc");
        // text parameters typed by the server; sessions in UTC so timestamps mean the same everywhere
        jdbc.put("url", cfg.target.urlWith("stringtype=unspecified&options=-c%20TimeZone%3DUTC"));
        jdbc.put("username", cfg.target.username());
        jdbc.put("password", cfg.target.password() == null ? "" : cfg.target.password()); // it wants both or neither
        jdbc.put("table-name", Identifiers.quote(writeTo[0]) + "." + Identifiers.quote(writeTo[1]));
        jdbc.put("sink.buffer-flush.max-rows", String.valueOf(helper.getOptions().get(FLUSH_ROWS)));
        jdbc.put("sink.buffer-flush.interval", helper.getOptions().get(FLUSH_INTERVAL));
        jdbc.put("sink.max-retries", "3");
        checkColumnNames(context.getObjectIdentifier().asSummaryString(), schema);
        ResolvedCatalogTable table = context.getCatalogTable().copy(jdbc);
        return new JdbcDynamicTableFactory().createDynamicTableSink(new FactoryUtil.DefaultDynamicTableContext(
                context.getObjectIdentifier(), table, Map.of(), context.getConfiguration(), context.getClassLoader(), context.isTemporary()));
    }

    /**
     * The JDBC connector writes column names into its SQL unquoted (and cannot take quoted ones: it parses them as
     * named parameters), so a name PostgreSQL would fold or reject is refused here, naming it.
     */
    static void checkColumnNames(String table, ResolvedSchema schema) {
        for (Column c : schema.getColumns()) {
            if (!PLAIN.matcher(c.getName()).matches()) {
                throw new ConfigException("table " + table + ": column '" + c.getName() + "' is not a plain lower-case name;"
                        + " the warehouse connector writes names unquoted, so rename it (letters a-z, digits, _)");
            }
        }
    }

    private static void createIfMissing(PipelineConfig cfg, String[] name, ResolvedSchema schema) {
        String cols = schema.getColumns().stream()
                .map(c -> Identifiers.quote(c.getName()) + " " + PgTypes.of(c.getDataType().getLogicalType()))
                .collect(Collectors.joining(", "));
        String pk = schema.getPrimaryKey().map(k -> ", PRIMARY KEY (" + k.getColumns().stream().map(Identifiers::quote)
                .collect(Collectors.joining(", ")) + ")").orElse("");
        try (Connection c = Connections.open(cfg.target, "target"); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(name[0]));
            st.execute("CREATE TABLE IF NOT EXISTS " + Identifiers.quote(name[0]) + "." + Identifiers.quote(name[1]) + " (" + cols + pk + ")");
        } catch (SQLException e) {
            throw new ConfigException("cannot create warehouse table " + name[0] + "." + name[1] + ": " + e.getMessage(), e);
        }
    }
}
