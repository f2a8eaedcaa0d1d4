package dev.flinkelt.extractload;

import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.ChangeEventType;
import dev.flinkelt.load.RowStateFunction;
import dev.flinkelt.monitor.SlotLag;
import dev.flinkelt.track.SourceTrackerFactory;
import dev.flinkelt.track.Tracking;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.function.UnaryOperator;

/**
 * The extract-load graph: CDC source → source tracker (row layouts onto raw columns, signals,
 * one-table snapshots, new tables) → keyBy(table, primary key) → row state (TOAST fill, {@code
 * _seq}, DDL on raw tables) → one exactly-once sink for every raw table. Source and sink come in as
 * arguments so tests can pass their own.
 */
public final class ExtractLoadJob {
    public static final String SOURCE_UID = "cdc-source";
    public static final String TRACKER_UID = "source-tracker";
    public static final String ROW_STATE_UID = "row-state";
    public static final String SINK_UID = "raw-sink";

    private ExtractLoadJob() {}

    /**
     * Adds the pipeline to {@code env}. {@code tap} sees the change stream before the keyed stage
     * (identity in production; tests use it to inject failures). {@code slotLag} (may be null)
     * becomes the metric slotLagBytes.
     */
    public static void build(
            StreamExecutionEnvironment env,
            Source<ChangeEvent, ?, ?> source,
            Sink<ChangeEvent> sink,
            UnaryOperator<DataStream<ChangeEvent>> tap,
            SlotLag slotLag,
            Tracking tracking) {
        DataStream<ChangeEvent> changes =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "PostgreSQL CDC source")
                        .uid(SOURCE_UID)
                        .transform(
                                "Source tracker (columns, signals, new tables)",
                                ChangeEventType.INSTANCE,
                                new SourceTrackerFactory(tracking))
                        .uid(TRACKER_UID);
        tap.apply(changes)
                .keyBy(e -> e.key, TypeInformation.of(String.class))
                .process(new RowStateFunction(slotLag, tracking.schema()), ChangeEventType.INSTANCE)
                .uid(ROW_STATE_UID)
                .name("Row state (TOAST fill, _seq, raw DDL)")
                .sinkTo(sink)
                .uid(SINK_UID)
                .name("Raw sink (COPY, PREPARE TRANSACTION)");
    }
}
