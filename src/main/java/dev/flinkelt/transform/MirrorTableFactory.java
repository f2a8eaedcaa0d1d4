package dev.flinkelt.transform;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.raw.RawTable;
import dev.flinkelt.transform.mirror.MirrorSink;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code 'connector' = 'elt-mirror'}: the one sink of all mirror tables ({@link MirrorSink}),
 * declared by the transform job. A batch rebuild writes each mirror's staging copy instead ({@link
 * Rebuild}).
 */
public class MirrorTableFactory implements DynamicTableSinkFactory {
    public static final String IDENTIFIER = "elt-mirror";

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
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.createTableFactoryHelper(this, context).validate();
        WarehouseContext ctx = WarehouseContext.of(context);
        PipelineConfig cfg = ctx.config();
        String mirrorSchema = cfg.transform().mirrorSchema();
        Map<String, String> staging = new HashMap<>();
        Rebuild rebuild = ctx.rebuild();
        if (rebuild != null) {
            for (RawTable t : ctx.rawTables()) {
                String[] staged = rebuild.stage(new String[] {mirrorSchema, t.rawName()});
                staging.put(
                        t.rawName(),
                        Identifiers.quote(staged[0]) + "." + Identifiers.quote(staged[1]));
            }
        }
        return new Write(
                new MirrorSink(
                        cfg.target,
                        cfg.rawSchema,
                        mirrorSchema,
                        cfg.transform().softDeletes(),
                        staging));
    }

    private record Write(MirrorSink sink) implements DynamicTableSink {
        @Override
        public ChangelogMode getChangelogMode(ChangelogMode requested) {
            return ChangelogMode.insertOnly();
        }

        @Override
        public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
            return SinkV2Provider.of(sink);
        }

        @Override
        public DynamicTableSink copy() {
            return new Write(sink);
        }

        @Override
        public String asSummaryString() {
            return "elt-mirror";
        }
    }
}
