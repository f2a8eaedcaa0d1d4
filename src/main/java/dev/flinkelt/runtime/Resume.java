package dev.flinkelt.runtime;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;

import org.apache.flink.configuration.StateRecoveryOptions;
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
            Resume r = new Resume(given, RetainedCheckpoints.checkpointId(given));
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
        if (job.equals(JobEnvironment.TRANSFORM)) {
            String wanted = cfg.transform().stateBackend().flinkName();
            Optional<String> wrote = RetainedCheckpoints.keyedStateBackend(latest.get());
            if (wrote.isPresent() && !wrote.get().equals(wanted)) {
                throw new ConfigException(
                        "the latest retained checkpoint "
                                + latest.get()
                                + " was written with transform.state-backend: "
                                + wrote.get()
                                + ", the config now says "
                                + wanted
                                + "; a checkpoint restores only into the backend that wrote it."
                                + " Fix: start the transform with --fresh (it reads raw again; the outputs"
                                + " converge), or set transform.state-backend back to "
                                + wrote.get());
            }
        }
        Resume r = new Resume(latest.get(), RetainedCheckpoints.checkpointId(latest.get()));
        out.println(
                "resuming from the latest retained checkpoint "
                        + latest.get()
                        + " (checkpoint "
                        + r.checkpointId.getAsLong()
                        + "); --fresh starts over");
        return r;
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
