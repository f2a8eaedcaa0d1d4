package dev.flinkelt.runtime;

import dev.flinkelt.config.PipelineConfig;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * flink-conf/config.yaml (cluster defaults) and what a pipeline without overrides sets on its jobs
 * say the same.
 */
class FlinkConfDefaultsTest {
    static final String MINIMAL =
            String.join(
                    "\n",
                    "source: { url: 'jdbc:postgresql://db:5432/shop', username: elt, tables: [public.t] }",
                    "target: { url: 'jdbc:postgresql://wh:5432/warehouse', username: loader }");

    static final List<ConfigOption<?>> SHARED =
            List.of(
                    StateBackendOptions.STATE_BACKEND,
                    RocksDBConfigurableOptions.USE_BLOOM_FILTER,
                    CheckpointingOptions.INCREMENTAL_CHECKPOINTS,
                    CheckpointingOptions.LOCAL_BACKUP_ENABLED,
                    StateRecoveryOptions.LOCAL_RECOVERY,
                    CheckpointingOptions.CHECKPOINTING_INTERVAL,
                    CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    CheckpointingOptions.MAX_RETAINED_CHECKPOINTS,
                    CheckpointingOptions.CHECKPOINTING_TIMEOUT,
                    CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS,
                    CheckpointingOptions.TOLERABLE_FAILURE_NUMBER,
                    CheckpointingOptions.ENABLE_UNALIGNED,
                    RestartStrategyOptions.RESTART_STRATEGY,
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
                    RestartStrategyOptions
                            .RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR,
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS);

    @Test
    void clusterDefaultsAndPipelineDefaultsAgree() {
        Configuration file = GlobalConfiguration.loadConfiguration("flink-conf");
        Configuration job =
                JobEnvironment.flinkConfiguration(
                        PipelineConfig.parse(MINIMAL, Map.of()), JobEnvironment.EXTRACT_LOAD);
        for (ConfigOption<?> o : SHARED) {
            assertThat(file.contains(o)).as("flink-conf/config.yaml sets %s", o.key()).isTrue();
            assertThat(String.valueOf(job.get(o)))
                    .as(o.key())
                    .isEqualTo(String.valueOf(file.get(o)));
        }
    }

    @Test
    void pipelineSettingsOverrideTheDefaults() {
        PipelineConfig cfg =
                PipelineConfig.parse(
                        MINIMAL
                                + "\npipeline: { restart-attempts: 4, restart-delay: 2s, restart-max-delay: 30s,"
                                + " checkpoint-timeout: 3min, tolerable-checkpoint-failures: 7, unaligned-checkpoints: true, retained-checkpoints: 5 }",
                        Map.of());
        Configuration job = JobEnvironment.flinkConfiguration(cfg, JobEnvironment.TRANSFORM);
        assertThat(job.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(4);
        assertThat(
                        job.get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
                .hasSeconds(2);
        assertThat(job.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .hasSeconds(30);
        assertThat(job.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT)).hasMinutes(3);
        assertThat(job.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isEqualTo(7);
        assertThat(job.get(CheckpointingOptions.ENABLE_UNALIGNED)).isTrue();
        assertThat(job.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS)).isEqualTo(5);
        assertThat(job.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("file:///tmp/flink-elt/checkpoints/flink_elt/transform");
    }

    @Test
    void theTransformCheckpointsLessOftenAndPassesRowsWithoutCopies() {
        PipelineConfig defaults = PipelineConfig.parse(MINIMAL, Map.of());
        Configuration transform =
                JobEnvironment.flinkConfiguration(defaults, JobEnvironment.TRANSFORM);
        Configuration extractLoad =
                JobEnvironment.flinkConfiguration(defaults, JobEnvironment.EXTRACT_LOAD);
        assertThat(transform.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).hasMinutes(1);
        assertThat(transform.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(transform.get(PipelineOptions.OBJECT_REUSE)).isTrue();
        assertThat(transform.get(RocksDBConfigurableOptions.WRITE_BUFFER_SIZE).getMebiBytes())
                .as("small memtables: many stateful operators share one slot's write budget")
                .isEqualTo(8);
        assertThat(extractLoad.contains(RocksDBConfigurableOptions.WRITE_BUFFER_SIZE)).isFalse();
        assertThat(extractLoad.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).hasSeconds(10);
        assertThat(extractLoad.get(PipelineOptions.OBJECT_REUSE)).isFalse();

        PipelineConfig heap =
                PipelineConfig.parse(
                        MINIMAL
                                + "\ntransform: { state-backend: hashmap, checkpoint-interval: 5min }",
                        Map.of());
        Configuration onHeap = JobEnvironment.flinkConfiguration(heap, JobEnvironment.TRANSFORM);
        assertThat(onHeap.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(onHeap.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).hasMinutes(5);
        assertThat(
                        JobEnvironment.flinkConfiguration(heap, JobEnvironment.EXTRACT_LOAD)
                                .get(StateBackendOptions.STATE_BACKEND))
                .as("the extract-load keeps its row state on disk whatever the transform uses")
                .isEqualTo("rocksdb");
    }
}
