package dev.flinkelt.bench.tpch;

import dev.flinkelt.monitor.FlinkRest;

import java.io.IOException;

/** The transform's state size, from the latest completed checkpoint of its job (local Web UI). */
public final class FlinkCheckpoints {
    private FlinkCheckpoints() {}

    /**
     * Full state size and the bytes the checkpoint itself wrote (incremental with RocksDB), in
     * bytes, and how many checkpoints completed so far.
     */
    public record Size(long stateBytes, long checkpointedBytes, long completed) {}

    /**
     * The latest completed checkpoint of the running job {@code jobName} on the Web UI at {@code
     * port}, or null if the REST API, the job or a checkpoint is absent.
     */
    public static Size latest(int port, String jobName) {
        try {
            FlinkRest rest = new FlinkRest("http://127.0.0.1:" + port);
            FlinkRest.Job job = rest.job(jobName);
            if (job == null || !job.state().equals("RUNNING")) {
                return null;
            }
            FlinkRest.Checkpoint c = rest.lastCheckpoint(job.id());
            return c == null ? null : new Size(c.stateBytes(), c.bytes(), c.completedCount());
        } catch (IOException e) {
            return null; // the figure is optional: an unreachable Web UI only leaves it out
        }
    }
}
