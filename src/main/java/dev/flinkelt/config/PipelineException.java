package dev.flinkelt.config;

/**
 * A failure while running that the user's input did not cause as far as flink-elt can tell: a
 * database or file operation that failed. The message names the operation and the server or path,
 * never a password or row values; the CLI prints it and exits 1 ({@link ConfigException}: exit 2,
 * the user must change something first).
 */
public class PipelineException extends RuntimeException {
    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
