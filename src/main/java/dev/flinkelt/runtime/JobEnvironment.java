package dev.flinkelt.runtime;

import dev.flinkelt.config.PipelineConfig;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * Checkpointing, state backend and restart settings every flink-elt job gets (defaults as in
 * flink-conf/).
 */
public final class JobEnvironment {
    public static final String EXTRACT_LOAD = "extract-load";
    public static final String TRANSFORM = "transform";

    private JobEnvironment() {}

    /** Managed (RocksDB) memory of a local MiniCluster, shared by its slots. */
    static final MemorySize LOCAL_MANAGED_MEMORY = MemorySize.parse("512m");

    /**
     * Where the retained checkpoints of one job of this pipeline go: {@code
     * <checkpoint-dir>/<slot>/<job>}.
     */
    public static String checkpointDir(PipelineConfig config, String job) {
        String base =
                config.checkpointDir.endsWith("/")
                        ? config.checkpointDir
                        : config.checkpointDir + "/";
        return base + config.slot + "/" + job;
    }

    /**
     * Flink's name of the state backend of {@code job}: the extract-load's row state is always in
     * RocksDB; the transform's is {@code transform.state-backend}.
     */
    public static String stateBackend(PipelineConfig config, String job) {
        return TRANSFORM.equals(job) ? config.transform().stateBackend().flinkName() : "rocksdb";
    }

    /** How often {@code job} checkpoints (the transform has its own interval). */
    public static Duration checkpointInterval(PipelineConfig config, String job) {
        return TRANSFORM.equals(job)
                ? config.transform().checkpointInterval()
                : config.checkpointInterval;
    }

    /**
     * Flink settings derived from the pipeline config; a cluster's own config fills in the rest.
     */
    public static Configuration flinkConfiguration(PipelineConfig config, String job) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, stateBackend(config, job));
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // the row state is looked up for every change, most often for a key it does not hold yet
        // (every snapshot
        // row): a bloom filter answers such a miss without reading the SST files (bench, 1M-row
        // snapshot: RocksDB.get
        // was the hottest frame and runs varied 2.3k-15k rows/s; with this and the managed memory
        // below 16k-18k)
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        // a local copy of the state next to each task: a restart on the same TaskManager need not
        // download it
        conf.set(CheckpointingOptions.LOCAL_BACKUP_ENABLED, true);
        conf.set(StateRecoveryOptions.LOCAL_RECOVERY, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir(config, job));
        Duration interval = checkpointInterval(config, job);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, config.retainedCheckpoints);
        conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, config.checkpointTimeout);
        conf.set(
                CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS,
                Duration.ofMillis(Math.min(1000, interval.toMillis() / 2)));
        if (TRANSFORM.equals(job)) {
            // dozens of stateful SQL operators share a slot's RocksDB memory, and each memtable
            // takes arena blocks of 1/8 of the write buffer: with the default 64 MB buffers, the
            // blocks alone filled the slot's write budget, so RocksDB flushed tiny memtables
            // without pause and writes stalled (TPC-H bench: 160 s to all outputs; 56 s with
            // 8 MB buffers, managed memory unchanged)
            conf.set(RocksDBConfigurableOptions.WRITE_BUFFER_SIZE, MemorySize.parse("8mb"));
            // the source hands each raw row to the mirror sink and to one filter per mirror view
            // chained behind it; without reuse each of them got its own deep copy of the row (half
            // of the reading thread's CPU in the TPC-H bench). Flink's SQL operators and
            // this job's sinks do not keep or change the rows they are handed.
            conf.set(PipelineOptions.OBJECT_REUSE, true);
        }
        conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, config.tolerableCheckpointFailures);
        conf.set(CheckpointingOptions.ENABLE_UNALIGNED, config.unalignedCheckpoints);
        // Flink's default retries forever; a broken pipeline must stop and say why. Exponential: a
        // warehouse that is
        // down for a minute is waited for without hammering it.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                config.restartDelay);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                config.restartMaxDelay);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                Duration.ofMinutes(10));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                config.restartAttempts);
        return conf;
    }

    /**
     * Flink's Prometheus reporter on {@code ports} (a port or a range), as k8s/ configures it on a
     * cluster ({@code ManifestsTest} keeps them equal): label values unfiltered, so table names
     * keep their dots, quotes and letters; the JSON text gauges the {@code status} command reads
     * left out (Prometheus would show them as 0).
     */
    public static Configuration prometheus(Configuration conf, String ports) {
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", ports);
        conf.setString("metrics.reporter.prom.filterLabelValueCharacters", "false");
        conf.setString("metrics.reporter.prom.filter.excludes", "*:snapshotTables,tableFreshness");
        return conf;
    }

    /**
     * The environment for this process: the cluster's when submitted with {@code flink run},
     * otherwise a local MiniCluster (with the Web UI on {@code webUiPort} when it is not negative).
     * {@code restoreFrom} (may be null) is a savepoint or retained checkpoint.
     */
    public static StreamExecutionEnvironment create(
            PipelineConfig config, String job, int webUiPort, String restoreFrom) {
        return create(config, job, webUiPort, restoreFrom, false);
    }

    /**
     * As above; {@code allowNonRestoredState} drops state of operators the job no longer has
     * instead of refusing it.
     */
    public static StreamExecutionEnvironment create(
            PipelineConfig config,
            String job,
            int webUiPort,
            String restoreFrom,
            boolean allowNonRestoredState) {
        Configuration conf = flinkConfiguration(config, job);
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, allowNonRestoredState);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (env instanceof LocalStreamEnvironment) {
            // a MiniCluster gives RocksDB 128 MB of managed memory for all slots; with that little,
            // memtables
            // flush into many small files and state lookups read several of them (see the bloom
            // filter above). A
            // cluster sizes it from taskmanager.memory.managed.* instead.
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, LOCAL_MANAGED_MEMORY);
            if (config.metricsPort > 0) {
                prometheus(conf, config.metricsPort + "-" + (config.metricsPort + 9));
            }
            if (webUiPort >= 0) {
                conf.setString("rest.port", String.valueOf(webUiPort));
                conf.setString("rest.bind-address", "127.0.0.1");
                conf.setString("rest.address", "127.0.0.1");
                env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            } else {
                env = StreamExecutionEnvironment.createLocalEnvironment(conf);
            }
        }
        env.setParallelism(config.parallelism);
        return env;
    }

    /** A free loopback port for the local Web UI. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
