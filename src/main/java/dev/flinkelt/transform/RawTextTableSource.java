package dev.flinkelt.transform;

import dev.flinkelt.catalog.ColumnSpec;
import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.CdcSourceFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.connectors.postgres.PostgreSQLSource;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.InputFormatProvider;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceFunctionProvider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

/** The scan of one raw table: Debezium snapshot then logical replication when streaming, one bounded JDBC query in batch mode. */
final class RawTextTableSource implements ScanTableSource {
    /** Metadata columns after the source's columns, in this order (typed in the row: see {@link RawRows}). */
    static final List<ColumnSpec> METADATA = List.of(new ColumnSpec("_op", "character(1)", false), new ColumnSpec("_lsn", "bigint", false),
            new ColumnSpec("_seq", "bigint", false), new ColumnSpec("_tx_id", "bigint", false),
            new ColumnSpec("_source_ts", "timestamp with time zone", false), new ColumnSpec("_loaded_at", "timestamp with time zone", false));

    private final PipelineConfig config;
    private final RawTable table;
    private final DataType rowType;
    private final boolean bounded;

    RawTextTableSource(PipelineConfig config, RawTable table, DataType rowType, boolean bounded) {
        this.config = config;
        this.table = table;
        this.rowType = rowType;
        this.bounded = bounded;
    }

    /** The raw table with every column, metadata included, for reading it back. */
    static TableSchema fullSchema(RawTable t) {
        List<ColumnSpec> cols = new ArrayList<>(t.source().columns());
        cols.addAll(METADATA);
        return new TableSchema(new TableRef(t.rawSchema(), t.rawName()), cols, List.of(), false);
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
    }

    /** The warehouse replication slot the streaming transform reads one raw table from. */
    static String slotName(PipelineConfig config, RawTable table) {
        return config.transform().slot() + "_" + String.format("%08x", table.rawName().hashCode());
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        TypeInformation<RowData> type = context.createTypeInformation(rowType);
        TableSchema full = fullSchema(table);
        if (bounded) {
            return InputFormatProvider.of(new RawTextInputFormat(config.target, full, type));
        }
        // Debezium's own snapshot (one exported snapshot, then the slot), not Flink CDC's incremental one: that
        // one merges snapshot rows by primary key, and raw tables have none (it would keep one row per chunk).
        // It also reads time, NaN and 24:00:00 exactly.
        String slot = slotName(config, table);
        return SourceFunctionProvider.of(PostgreSQLSource.<RowData>builder()
                .hostname(config.target.host())
                .port(config.target.port())
                .database(config.target.database())
                .username(config.target.username())
                .password(config.target.password() == null ? "" : config.target.password())
                .schemaList(table.rawSchema())
                .tableList(table.rawSchema() + "." + table.rawName())
                .slotName(slot)
                .decodingPluginName("pgoutput")
                .debeziumProperties(CdcSourceFactory.debeziumProperties(config.transform().publication()))
                .deserializer(new RawRowDeserializer(full, type))
                .build(), false);
    }

    @Override
    public DynamicTableSource copy() {
        return new RawTextTableSource(config, table, rowType, bounded);
    }

    @Override
    public String asSummaryString() {
        return "elt-raw " + table.rawSchema() + "." + table.rawName() + (bounded ? " (bounded scan)" : " (CDC)");
    }
}
