package dev.flinkelt.config;

/**
 * One precondition of a pipeline as found on one of its servers: it holds ({@code OK}), it holds
 * with a risk the user should know ({@code WARN}), or the pipeline cannot run ({@code FAIL}). The
 * text of a warning or failure names the fix.
 */
public record Finding(String server, Level level, String text) {
    public enum Level {
        OK,
        WARN,
        FAIL
    }

    /** One line of a report: {@code source FAIL text}. */
    public String line() {
        return String.format("%-6s  %-4s  %s", server, level == Level.OK ? "ok" : level, text);
    }
}
