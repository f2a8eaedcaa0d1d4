package dev.flinkelt.schema;

import dev.flinkelt.pg.LiveColumn;

import java.util.Map;
import java.util.Set;

/**
 * Which source type changes the raw column can follow with {@code ALTER COLUMN … TYPE} because
 * every value of the old type keeps its exact text in the new one. Anything else continues in a new
 * raw column: float4 to float8 changes the text of most values ({@code 1.1} becomes {@code
 * 1.10000002384186}), and so does a larger numeric scale ({@code 1.50} becomes {@code 1.500}).
 */
final class Widening {
    private static final Map<String, Set<String>> WIDER =
            Map.of(
                    "int2", Set.of("int4", "int8", "numeric"),
                    "int4", Set.of("int8", "numeric"),
                    "int8", Set.of("numeric"),
                    "varchar", Set.of("varchar", "text"),
                    "numeric", Set.of("numeric"),
                    "time", Set.of("time"),
                    "timestamp", Set.of("timestamp"),
                    "timestamptz", Set.of("timestamptz"));

    private Widening() {}

    /**
     * True when a raw column of type {@code from} can become {@code to} without changing any
     * value's text.
     */
    static boolean widens(LiveColumn from, LiveColumn to) {
        if (!"pg_catalog".equals(from.typeSchema())
                || !"pg_catalog".equals(to.typeSchema())
                || from.array()
                || to.array()) {
            return false;
        }
        Set<String> wider = WIDER.get(from.typeName());
        if (wider == null || !wider.contains(to.typeName())) {
            return false;
        }
        return holds(to, from);
    }

    /**
     * True when a column of type {@code raw} stores every value of {@code values} (same schema and
     * name, another modifier) with the same text: a longer varchar, a numeric with the same scale
     * and more digits, a time or timestamp with more fractional digits. Anything else (a larger
     * numeric scale pads {@code 1.50} to {@code 1.500}, a shorter one rounds; bpchar pads) does
     * not.
     */
    static boolean holds(LiveColumn raw, LiveColumn values) {
        if (raw.sameType(values)) {
            return true;
        }
        if (!"pg_catalog".equals(raw.typeSchema()) || raw.array() || values.array()) {
            return false;
        }
        return switch (raw.typeName()) {
            case "varchar" ->
                    ("varchar".equals(values.typeName())
                                    && (raw.typmod() < 0
                                            || (values.typmod() >= 0
                                                    && raw.typmod() >= values.typmod())))
                            || ("text".equals(values.typeName()) && raw.typmod() < 0);
            case "text" -> "varchar".equals(values.typeName());
            case "numeric" ->
                    Set.of("numeric", "int2", "int4", "int8").contains(values.typeName())
                            && numericHolds(values, raw.typmod());
            case "int4" -> "int2".equals(values.typeName());
            case "int8" -> "int2".equals(values.typeName()) || "int4".equals(values.typeName());
            // fractional digits; no modifier means 6, the most there is
            case "time", "timestamp", "timestamptz" ->
                    raw.typeName().equals(values.typeName())
                            && (raw.typmod() < 0
                                    || (values.typmod() >= 0 && raw.typmod() >= values.typmod()));
            default -> false;
        };
    }

    /**
     * Whether numeric with {@code typmod} holds every value of {@code from} with the same text
     * (same scale, enough digits).
     */
    private static boolean numericHolds(LiveColumn from, int typmod) {
        if (typmod < 0) {
            return true;
        }
        int precision = ((typmod - 4) >> 16) & 0xffff;
        int scale = (typmod - 4) & 0xffff;
        int integerDigits =
                switch (from.typeName()) {
                    case "int2" -> 5;
                    case "int4" -> 10;
                    case "int8" -> 19;
                    case "numeric" ->
                            from.typmod() < 0
                                    ? Integer.MAX_VALUE
                                    : (((from.typmod() - 4) >> 16) & 0xffff)
                                            - ((from.typmod() - 4) & 0xffff);
                    default -> Integer.MAX_VALUE;
                };
        int fromScale =
                "numeric".equals(from.typeName()) && from.typmod() >= 0
                        ? (from.typmod() - 4) & 0xffff
                        : 0;
        return precision - scale >= integerDigits && scale == fromScale;
    }
}
