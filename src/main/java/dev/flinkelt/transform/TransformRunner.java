package dev.flinkelt.transform;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TransformSettings.Mode;
import dev.flinkelt.runtime.JobEnvironment;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import java.nio.file.Path;
import java.util.List;

/**
 * Sets up the environment for a transform run and submits it (the CLI, the demo and tests share
 * this).
 */
public final class TransformRunner {
    private TransformRunner() {}

    /**
     * The table environment of a transform run; {@code savepoint} (may be null) is the savepoint or
     * retained checkpoint to restore from.
     */
    public static StreamTableEnvironment tableEnvironment(
            PipelineConfig cfg, Mode mode, int webUiPort, String jobName, String savepoint) {
        StreamExecutionEnvironment env;
        if (mode == Mode.BATCH) {
            Configuration conf = JobEnvironment.flinkConfiguration(cfg, JobEnvironment.TRANSFORM);
            conf.removeConfig(
                    CheckpointingOptions
                            .CHECKPOINTING_INTERVAL); // a bounded job needs no checkpoints
            env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(cfg.parallelism);
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        } else {
            env = JobEnvironment.create(cfg, JobEnvironment.TRANSFORM, webUiPort, savepoint);
        }
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set(PipelineOptions.NAME, jobName);
        return tEnv;
    }

    /**
     * Prepares, plans and submits; returns the running (streaming) or the finished (batch) job's
     * result.
     */
    public static TableResult submit(PipelineConfig cfg, Mode mode, int webUiPort)
            throws Exception {
        return submit(cfg, mode, webUiPort, null);
    }

    /**
     * As above, restoring from {@code savepoint} when not null. A streaming job runs from its
     * compiled plan ({@link CompiledPlans}): its operator ids come from the plan, so a compatible
     * SQL change keeps its state. A batch run is a full rebuild and returns when it has finished
     * and its outputs are replaced.
     */
    public static TableResult submit(PipelineConfig cfg, Mode mode, int webUiPort, String savepoint)
            throws Exception {
        TransformJob job = TransformJob.prepare(cfg, mode);
        Path sqlDir = Path.of(cfg.transform().sqlDir());
        List<SqlScript.Statement> sql = SqlScript.load(sqlDir);
        StreamTableEnvironment tEnv =
                tableEnvironment(cfg, mode, webUiPort, job.jobName(), savepoint);
        if (mode == Mode.BATCH) {
            return job.rebuild(tEnv, sql); // waits for the end: the outputs are swapped in after it
        }
        return CompiledPlans.execute(tEnv, job.plan(tEnv, sql), sqlDir);
    }
}
