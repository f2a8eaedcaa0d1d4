package dev.flinkelt.config;

import java.io.Serializable;

/**
 * The {@code transform} section: where the SQL files are, the mirror schema, the mode and whether
 * deleted keys stay in the mirrors.
 */
public record TransformSettings(String sqlDir, String mirrorSchema, Mode mode, boolean softDeletes)
        implements Serializable {
    /** Where a batch run stages its outputs before it swaps them in (the role must own it). */
    public static final String REBUILD_SCHEMA = "flink_elt_rebuild";

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
}
