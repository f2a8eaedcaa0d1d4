package dev.flinkelt.transform;

import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * {@code 'connector' = 'elt-raw'}: a raw table of the warehouse as an insert-only table of PostgreSQL text values
 * (plus typed {@code _lsn}, {@code _seq}, {@code _tx_id}). Streaming: Flink CDC on the raw table (append-only,
 * so inserts only); batch: one bounded scan. The transform job declares these tables; users query the typed
 * views on top of them.
 */
public class RawTextTableFactory implements DynamicTableSourceFactory {
    public static final String IDENTIFIER = "elt-raw";
    static final ConfigOption<String> RAW_TABLE = ConfigOptions.key("raw-table").stringType().noDefaultValue();

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(RAW_TABLE);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        boolean bounded = context.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
        return new RawTextTableSource(WarehouseContext.config(), WarehouseContext.raw(helper.getOptions().get(RAW_TABLE)),
                context.getPhysicalRowDataType(), bounded);
    }
}
