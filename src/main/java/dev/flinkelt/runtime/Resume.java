package dev.flinkelt.runtime;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;

import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.PrintStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a run starts: the savepoint given ({@code --from-savepoint}, or {@code flink run -s} / the
 * Kubernetes operator), else the newest retained checkpoint of this pipeline's job (so the same
 * command started again after a crash resumes), else nothing. {@code --fresh} ignores retained
 * checkpoints, and says so.
 */
public record Resume(String pointer, OptionalLong checkpointId) {
    public static final Resume FRESH = new Resume(null, OptionalLong.empty());

    public boolean isFresh() {
        return pointer == null;
    }

    public static Resume choose(
            PipelineConfig cfg, String job, String fromSavepoint, boolean fresh, PrintStream out) {
        if (fresh && fromSavepoint != null) {
            throw new ConfigException("--fresh and --from-savepoint exclude each other: pick one");
        }
        String given = fromSavepoint != null ? fromSavepoint : clusterSavepoint();
        if (given != null) {
            Resume r = restoring(cfg, job, given);
            out.println(
                    "restoring from " + given + " (checkpoint " + r.checkpointId.getAsLong() + ")");
            return r;
        }
        String dir = JobEnvironment.checkpointDir(cfg, job);
        Optional<String> latest = RetainedCheckpoints.latest(dir);
        if (fresh) {
            if (latest.isPresent()) {
                out.println(
                        "WARNING --fresh: ignoring the retained checkpoint "
                                + latest.get()
                                + " of a previous run;"
                                + " this run starts from scratch"
                                + (job.equals(JobEnvironment.EXTRACT_LOAD)
                                        ? " and snapshots the tables again: raw tables get every row again"
                                        : ""));
            }
            return FRESH;
        }
        if (latest.isEmpty()) {
            return FRESH;
        }
        Resume r = restoring(cfg, job, latest.get());
        out.println(
                "resuming from the latest retained checkpoint "
                        + latest.get()
                        + " (checkpoint "
                        + r.checkpointId.getAsLong()
                        + "); --fresh starts over");
        return r;
    }

    /**
     * A start from {@code pointer}, refused up front when it is a native checkpoint of another
     * state backend than the job's (Flink would fail every restart on it); its metadata is read
     * once for both.
     */
    private static Resume restoring(PipelineConfig cfg, String job, String pointer) {
        CheckpointMetadata metadata = RetainedCheckpoints.metadata(pointer);
        String wanted = JobEnvironment.stateBackend(cfg, job);
        Optional<String> wrote = RetainedCheckpoints.keyedStateBackend(metadata);
        if (wrote.isPresent() && !wrote.get().equals(wanted)) {
            throw new ConfigException(
                    "the checkpoint "
                            + pointer
                            + " was written with state backend "
                            + wrote.get()
                            + ", the config now says "
                            + wanted
                            + " (transform.state-backend); a checkpoint restores only into the backend"
                            + " that wrote it. Fix: start with --fresh (the transform reads raw again;"
                            + " the outputs converge), or set transform.state-backend back to "
                            + wrote.get());
        }
        return new Resume(pointer, OptionalLong.of(metadata.getCheckpointId()));
    }

    /**
     * A savepoint path the cluster set for this submission ({@code flink run -s}, the operator's
     * upgrade).
     */
    private static String clusterSavepoint() {
        return StreamExecutionEnvironment.getExecutionEnvironment()
                .getConfiguration()
                .get(StateRecoveryOptions.SAVEPOINT_PATH);
    }
}
