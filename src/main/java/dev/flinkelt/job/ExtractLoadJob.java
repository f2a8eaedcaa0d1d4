package dev.flinkelt.job;

import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.load.RowStateFunction;
import dev.flinkelt.monitor.SlotLag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * The extract-load graph: CDC source → keyBy(table, primary key) → row state (TOAST fill, {@code _seq}) →
 * one exactly-once sink per raw table. Source and sinks come in as arguments so tests can pass their own.
 */
public final class ExtractLoadJob {
    public static final String SOURCE_UID = "cdc-source";
    public static final String ROW_STATE_UID = "row-state";

    private ExtractLoadJob() {}

    public static String sinkUid(TableSchema t) {
        return "raw-sink:" + t.ref().rawTableName();
    }

    /**
     * Adds the pipeline to {@code env}. {@code tap} sees the change stream before the keyed stage (identity in
     * production; tests use it to inject failures). {@code slotLag} (may be null) becomes the metric slotLagBytes.
     */
    public static void build(StreamExecutionEnvironment env, Source<ChangeEvent, ?, ?> source, List<TableSchema> tables,
                             Function<TableSchema, Sink<ChangeEvent>> sinks, UnaryOperator<DataStream<ChangeEvent>> tap, SlotLag slotLag) {
        DataStream<ChangeEvent> changes = env.fromSource(source, WatermarkStrategy.noWatermarks(), "PostgreSQL CDC source")
                .uid(SOURCE_UID);
        Map<String, OutputTag<ChangeEvent>> outputs = new LinkedHashMap<>();
        for (TableSchema t : tables) {
            outputs.put(t.ref().dotted(), new OutputTag<>(t.ref().rawTableName(), TypeInformation.of(ChangeEvent.class)));
        }
        SingleOutputStreamOperator<ChangeEvent> keyed = tap.apply(changes)
                .keyBy(e -> e.key, TypeInformation.of(String.class))
                .process(new RowStateFunction(outputs, slotLag), TypeInformation.of(ChangeEvent.class))
                .uid(ROW_STATE_UID)
                .name("Row state (TOAST fill, _seq)");
        for (TableSchema t : tables) {
            keyed.getSideOutput(outputs.get(t.ref().dotted()))
                    .sinkTo(sinks.apply(t))
                    .uid(sinkUid(t))
                    .name("Raw sink " + t.ref().rawTableName());
        }
    }
}
