package dev.flinkelt.job;

import dev.flinkelt.config.PipelineConfig;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Checkpointing, state backend and restart settings every extract-load run gets. */
public final class JobEnvironment {
    private JobEnvironment() {}

    /** Flink settings derived from the pipeline config; a cluster's own config fills in the rest. */
    public static Configuration flinkConfiguration(PipelineConfig config) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(10));
        conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMillis(Math.min(1000, config.checkpointInterval.toMillis() / 2)));
        conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 3);
        // the default restart strategy retries forever; a broken pipeline must stop and say why
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, config.restartAttempts);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, config.restartDelay);
        return conf;
    }

    /**
     * The environment for this process: the cluster's when submitted with {@code flink run}, otherwise a local
     * MiniCluster (with the Web UI on {@code webUiPort} when it is not negative).
     */
    public static StreamExecutionEnvironment create(PipelineConfig config, int webUiPort) {
        return create(config, webUiPort, null);
    }

    /** As above, restoring from {@code savepoint} (a savepoint or retained checkpoint path) when not null. */
    public static StreamExecutionEnvironment create(PipelineConfig config, int webUiPort, String savepoint) {
        Configuration conf = flinkConfiguration(config);
        if (savepoint != null) {
            conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (env instanceof LocalStreamEnvironment && webUiPort >= 0) {
            conf.setString("rest.port", String.valueOf(webUiPort));
            conf.setString("rest.bind-address", "127.0.0.1");
            conf.setString("rest.address", "127.0.0.1");
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        }
        env.setParallelism(config.parallelism);
        return env;
    }

    /** A free loopback port for the local Web UI. */
    public static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
