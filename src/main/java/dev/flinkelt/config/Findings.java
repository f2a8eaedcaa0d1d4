package dev.flinkelt.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The findings of a pipeline's checks, in the order made: {@code check} prints them all, and a
 * start is refused with every failure at once rather than one per attempt.
 */
public final class Findings {
    private final List<Finding> all = new ArrayList<>();

    /** Where a finding of a level chosen by the caller goes: {@link #fail} or {@link #warn}. */
    @FunctionalInterface
    public interface Sink {
        void add(String server, String text);
    }

    public void ok(String server, String text) {
        all.add(new Finding(server, Finding.Level.OK, text));
    }

    public void warn(String server, String text) {
        all.add(new Finding(server, Finding.Level.WARN, text));
    }

    public void fail(String server, String text) {
        all.add(new Finding(server, Finding.Level.FAIL, text));
    }

    public void addAll(Findings other) {
        all.addAll(other.all);
    }

    public List<Finding> all() {
        return List.copyOf(all);
    }

    public List<Finding> of(Finding.Level level) {
        return all.stream().filter(f -> f.level() == level).toList();
    }

    public boolean failed() {
        return !of(Finding.Level.FAIL).isEmpty();
    }

    /** The refusal of a start: the one failure's text, or every failure on its own line. */
    public ConfigException refusal() {
        List<Finding> failures = of(Finding.Level.FAIL);
        if (failures.size() == 1) {
            return new ConfigException(failures.get(0).text());
        }
        StringBuilder sb =
                new StringBuilder(failures.size() + " problems stop the pipeline from starting:");
        for (Finding f : failures) {
            sb.append("\n  - ").append(f.server()).append(": ").append(f.text());
        }
        return new ConfigException(sb.toString());
    }
}
