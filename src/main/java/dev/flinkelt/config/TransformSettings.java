package dev.flinkelt.config;

import java.io.Serializable;

/**
 * The {@code transform} section: where the SQL files are, the mirror schema, the mode, and the replication slot
 * prefix and publication the streaming transform reads the warehouse's raw tables with.
 */
public record TransformSettings(String sqlDir, String mirrorSchema, Mode mode, boolean softDeletes, String slot, String publication)
        implements Serializable {

    public enum Mode {
        STREAMING, BATCH;

        public static Mode parse(String text) {
            return switch (text.toLowerCase()) {
                case "streaming" -> STREAMING;
                case "batch" -> BATCH;
                default -> throw new ConfigException("transform.mode must be streaming or batch, got '" + text + "'");
            };
        }
    }
}
