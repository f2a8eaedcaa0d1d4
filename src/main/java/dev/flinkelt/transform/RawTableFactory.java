package dev.flinkelt.transform;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.raw.RawTable;
import dev.flinkelt.transform.read.RawRowsSource;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'elt-raw'}: every raw table of the warehouse as one insert-only table of
 * {@link dev.flinkelt.transform.read.RawRowType} rows, read by {@link RawRowsSource}. The transform
 * job declares it once; the typed {@code raw.*} and {@code mirror.*} views filter it by table, so
 * all of them share one source.
 */
public class RawTableFactory implements DynamicTableSourceFactory {
    public static final String IDENTIFIER = "elt-raw";

    /**
     * How often a reader asks for the horizon when it has caught up, and how often new raw tables
     * are looked for.
     */
    static final long POLL_MILLIS = 200;

    static final long DISCOVERY_MILLIS = 2_000;

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.createTableFactoryHelper(this, context).validate();
        boolean bounded =
                context.getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                        == RuntimeExecutionMode.BATCH;
        WarehouseContext ctx = WarehouseContext.of(context);
        PipelineConfig cfg = ctx.config();
        List<String> batchTables =
                bounded ? ctx.rawTables().stream().map(RawTable::rawName).toList() : null;
        return new Scan(
                new RawRowsSource(
                        cfg.target, cfg.rawSchema, batchTables, POLL_MILLIS, DISCOVERY_MILLIS));
    }

    private record Scan(RawRowsSource source) implements ScanTableSource {
        @Override
        public ChangelogMode getChangelogMode() {
            return ChangelogMode.insertOnly();
        }

        @Override
        public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
            return SourceProvider.of(source);
        }

        @Override
        public DynamicTableSource copy() {
            return new Scan(source);
        }

        @Override
        public String asSummaryString() {
            return "elt-raw";
        }
    }
}
