package dev.flinkelt.job;

import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extract.CdcSourceFactory;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.load.RawSinkFactory;
import dev.flinkelt.preflight.SourcePreparer;
import dev.flinkelt.preflight.TargetPreparer;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Wires a config to the job: checks and prepares both servers, then adds the real source and sinks to an environment. */
public final class ExtractLoadPipeline {
    private ExtractLoadPipeline() {}

    /** Runs every precondition check and creates publication and raw tables; fails with a {@code ConfigException}. */
    public static SourcePreparer.Result prepare(PipelineConfig config) {
        SourcePreparer.Result source = new SourcePreparer(config).prepare();
        new TargetPreparer(config).prepare(source);
        return source;
    }

    public static void addTo(StreamExecutionEnvironment env, PipelineConfig config, SourcePreparer.Result source,
                             UnaryOperator<DataStream<ChangeEvent>> tap) {
        List<TableSchema> tables = source.tables();
        ExtractLoadJob.build(env, CdcSourceFactory.create(config, tables, source.snapshotLsn()), tables,
                t -> RawSinkFactory.create(config, t), tap);
    }

    public static String jobName(PipelineConfig config) {
        return "flink-elt extract-load (" + config.slot + ")";
    }
}
