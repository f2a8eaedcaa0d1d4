package dev.flinkelt.transform;

import dev.flinkelt.pg.ColumnSpec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Flink SQL type a warehouse column has in the typed views users query ({@code raw.*}, {@code
 * mirror.*}). Types Flink has no exact equivalent for stay STRING with PostgreSQL's text form;
 * {@code timestamptz} becomes a TIMESTAMP(6) in UTC.
 */
public final class FlinkTypes {
    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+),(\\d+)\\)");
    private static final Pattern TIMESTAMP =
            Pattern.compile("timestamp(?:\\((\\d)\\))? without time zone");

    private FlinkTypes() {}

    public static String typed(ColumnSpec c) {
        String t = c.type();
        switch (t) {
            case "smallint":
                return "SMALLINT";
            case "integer":
                return "INT";
            case "bigint":
                return "BIGINT";
            case "real":
                return "FLOAT";
            case "double precision":
                return "DOUBLE";
            case "boolean":
                return "BOOLEAN";
            case "date":
                return "DATE";
            default:
                break;
        }
        Matcher n = NUMERIC.matcher(t);
        if (n.matches() && Integer.parseInt(n.group(1)) <= 38) {
            return "DECIMAL(" + n.group(1) + ", " + n.group(2) + ")";
        }
        Matcher ts = TIMESTAMP.matcher(t);
        if (ts.matches()) {
            return "TIMESTAMP(" + (ts.group(1) == null ? "6" : ts.group(1)) + ")";
        }
        if (isTimestamptz(c)) {
            return "TIMESTAMP(6)";
        }
        return "STRING";
    }

    /**
     * {@code character(n)}: PostgreSQL pads it with blanks and ignores them when comparing ({@code
     * c = 'BUILDING'} holds for a {@code char(25)}); the views drop them, as PostgreSQL's cast to
     * text does, so SQL ported from PostgreSQL compares the same.
     */
    public static boolean isBlankPadded(ColumnSpec c) {
        return c.type().equals("bpchar") || c.type().matches("character\\(\\d+\\)");
    }

    public static boolean isTimestamptz(ColumnSpec c) {
        return c.type().startsWith("timestamp") && c.type().endsWith("with time zone");
    }
}
