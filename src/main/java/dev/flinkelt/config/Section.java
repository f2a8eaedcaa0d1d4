package dev.flinkelt.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.util.TimeUtils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of the YAML config, read key by key so every error names the full key path ({@code
 * pipeline.parallelism}) and unknown keys are rejected.
 */
final class Section {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String path;
    private final JsonNode node;
    private final Map<String, String> env;
    private final Set<String> read = new TreeSet<>();

    Section(String path, JsonNode node, Map<String, String> env) {
        this.path = path;
        this.node = node;
        this.env = env;
        if (node != null && !node.isObject()) {
            throw new ConfigException(name() + " must be a mapping of keys to values");
        }
    }

    private String name() {
        return path.isEmpty() ? "the config file" : path;
    }

    private String key(String k) {
        return path.isEmpty() ? k : path + "." + k;
    }

    private JsonNode get(String k) {
        read.add(k);
        JsonNode v = node == null ? null : node.get(k);
        return v == null || v.isNull() ? null : v;
    }

    Section section(String k, boolean required) {
        JsonNode v = get(k);
        if (v == null && required) {
            throw new ConfigException("missing key '" + key(k) + "'");
        }
        return new Section(key(k), v, env);
    }

    String string(String k, String defaultValue) {
        JsonNode v = get(k);
        if (v == null) {
            if (defaultValue == null) {
                throw new ConfigException("missing key '" + key(k) + "'");
            }
            return defaultValue;
        }
        if (!v.isValueNode()) {
            throw new ConfigException(key(k) + " must be a single value, not a list or mapping");
        }
        String s = interpolate(k, v.asText());
        if (s.isBlank()) {
            throw new ConfigException(key(k) + " must not be empty");
        }
        return s;
    }

    String optionalString(String k) {
        JsonNode v = get(k);
        return v == null ? null : string(k, null);
    }

    int positiveInt(String k, int defaultValue) {
        JsonNode v = get(k);
        return v == null ? defaultValue : positive(k, v, "a positive whole number");
    }

    /** A positive whole number, or {@code word} (returned as 0); {@code word} when absent. */
    int positiveIntOr(String k, String word) {
        JsonNode v = get(k);
        if (v == null || (v.isTextual() && v.asText().equals(word))) {
            return 0;
        }
        return positive(k, v, "a positive whole number or '" + word + "'");
    }

    /**
     * A TCP port up to {@code max}, or 0 when absent or {@code off} (which YAML reads as false).
     */
    int portOrOff(String k, int max) {
        JsonNode v = get(k);
        if (v == null || (v.isBoolean() && !v.asBoolean())) {
            return 0;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0 || v.asInt() > max) {
            throw new ConfigException(
                    key(k) + " must be a port up to " + max + " or off, got '" + v.asText() + "'");
        }
        return v.asInt();
    }

    private int positive(String k, JsonNode v, String expected) {
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
            throw new ConfigException(
                    key(k) + " must be " + expected + ", got '" + v.asText() + "'");
        }
        return v.asInt();
    }

    /** One of an enum's constants, written in lower case ({@code on-reject: quarantine}). */
    <E extends Enum<E>> E choice(String k, E defaultValue) {
        String v = string(k, defaultValue.name().toLowerCase());
        List<String> names = new ArrayList<>();
        for (E e : defaultValue.getDeclaringClass().getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
            names.add(e.name().toLowerCase());
        }
        throw new ConfigException(
                key(k) + " must be one of " + String.join(", ", names) + "; got '" + v + "'");
    }

    /** One of {@code allowed} words. */
    String oneOf(String k, String defaultValue, String... allowed) {
        String v = string(k, defaultValue);
        if (!List.of(allowed).contains(v)) {
            throw new ConfigException(
                    key(k) + " must be one of " + String.join(", ", allowed) + "; got '" + v + "'");
        }
        return v;
    }

    boolean bool(String k, boolean defaultValue) {
        JsonNode v = get(k);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw new ConfigException(key(k) + " must be true or false, got '" + v.asText() + "'");
        }
        return v.asBoolean();
    }

    Duration duration(String k, Duration defaultValue) {
        JsonNode v = get(k);
        if (v == null) {
            return defaultValue;
        }
        String text = v.asText().trim();
        // Flink's parser reads a bare number as milliseconds; "checkpoint-interval: 10" is far
        // likelier meant as seconds
        if (text.isEmpty() || !Character.isLetter(text.charAt(text.length() - 1))) {
            throw new ConfigException(
                    key(k) + ": '" + text + "' has no unit; write e.g. 500ms, 10s, 5min or 2h");
        }
        try {
            return TimeUtils.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    key(k)
                            + ": '"
                            + text
                            + "' is not a duration; write e.g. 500ms, 10s, 5min or 2h");
        }
    }

    List<String> stringList(String k, boolean required) {
        JsonNode v = get(k);
        if (v == null) {
            if (required) {
                throw new ConfigException("missing key '" + key(k) + "'");
            }
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v.isValueNode()) {
            out.add(interpolate(k, v.asText()));
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isValueNode() || e.isNull()) {
                    throw new ConfigException(key(k) + " must be a list of names");
                }
                out.add(interpolate(k, e.asText()));
            }
        } else {
            throw new ConfigException(key(k) + " must be a list of names");
        }
        if (required && out.isEmpty()) {
            throw new ConfigException(key(k) + " must name at least one entry");
        }
        return out;
    }

    Map<String, List<String>> stringListMap(String k) {
        Section s = section(k, false);
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (s.node == null) {
            return out;
        }
        Iterator<String> names = s.node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            out.put(n, s.stringList(n, true));
        }
        return out;
    }

    /** Fails on keys that were never asked for: a misspelt key must not be silently ignored. */
    /** Whether the key is present (without reading it). */
    boolean has(String k) {
        return node != null && node.has(k);
    }

    void rejectUnknown() {
        if (node == null) {
            return;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!read.contains(n)) {
                throw new ConfigException(
                        "unknown key '"
                                + key(n)
                                + "' (known keys here: "
                                + String.join(", ", read)
                                + ")");
            }
        }
    }

    private String interpolate(String k, String value) {
        Matcher m = ENV.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String var = m.group(1);
            String replacement = env.get(var);
            if (replacement == null) {
                throw new ConfigException(
                        key(k) + " refers to environment variable " + var + ", which is not set");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
