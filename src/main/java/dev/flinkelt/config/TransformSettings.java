package dev.flinkelt.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * The {@code transform} section: where the SQL files are, the mirror schema, the mode, whether
 * deleted keys stay in the mirrors, where the job's state lives and how often it is checkpointed.
 */
public record TransformSettings(
        String sqlDir,
        String mirrorSchema,
        Mode mode,
        boolean softDeletes,
        StateBackend stateBackend,
        Duration checkpointInterval)
        implements Serializable {
    /** Where a batch run stages its outputs before it swaps them in (the role must own it). */
    public static final String REBUILD_SCHEMA = "flink_elt_rebuild";

    /**
     * The transform's outputs are written as they change, not at checkpoints; a checkpoint only
     * bounds how much raw is read again after a failure. A heap checkpoint writes the whole state,
     * so the transform checkpoints less often than the extract-load, whose checkpoints make changes
     * visible.
     */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMinutes(1);

    public enum Mode {
        STREAMING,
        BATCH;

        public static Mode parse(String text) {
            return switch (text.toLowerCase()) {
                case "streaming" -> STREAMING;
                case "batch" -> BATCH;
                default ->
                        throw new ConfigException(
                                "transform.mode must be streaming or batch, got '" + text + "'");
            };
        }
    }

    /** Where the transform keeps the mirrors' rows and the joins' and aggregates' state. */
    public enum StateBackend {
        /** On disk (RocksDB): state of any size, in managed memory as far as it fits (default). */
        ROCKSDB,
        /**
         * On the JVM heap: faster (1.2× on the TPC-H bench's initial build, 1.8× less CPU per
         * change), but every row the queries read must fit in the TaskManager's heap (README:
         * sizing), and each checkpoint writes the whole state.
         */
        HASHMAP;

        /** Flink's name for it ({@code state.backend.type}). */
        public String flinkName() {
            return name().toLowerCase();
        }
    }
}
