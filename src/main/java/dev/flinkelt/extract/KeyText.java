package dev.flinkelt.extract;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One text per key value. Both readers see PostgreSQL's own text (snapshots by COPY, the stream by
 * pgoutput, under the same session settings); the key text is the form earlier versions keyed by,
 * Debezium's Java values as they printed them ({@code true}, {@code 1.0}, {@code 12:00:00.000000},
 * {@code 2024-01-01T12:00:00Z}), so keys in keyed state those versions wrote stay valid. Types
 * whose two texts agree (integers, numeric, text, uuid, date, enums, ...) and every other type pass
 * through unchanged.
 */
public final class KeyText {
    private KeyText() {}

    /**
     * The key text of {@code value}, a value of type {@code type} (catalog name, e.g. {@code
     * timestamptz}; may be null).
     */
    public static String of(String type, String value) {
        if (value == null || type == null) {
            return value;
        }
        try {
            return switch (type) {
                case "bool" ->
                        value.startsWith("t") ? "true" : value.startsWith("f") ? "false" : value;
                case "float4" -> Float.toString(Float.parseFloat(value));
                case "float8" -> Double.toString(Double.parseDouble(value));
                case "time" -> time(value);
                case "timestamp" -> timestamp(value);
                case "timestamptz" -> timestamptz(value);
                default -> value;
            };
        } catch (RuntimeException e) {
            return value; // a form not seen before: compared as it is
        }
    }

    /** {@code HH:MM:SS.ffffff}, as earlier versions wrote a time. */
    static String time(String v) {
        int dot = v.indexOf('.');
        String whole = dot < 0 ? v : v.substring(0, dot);
        String fraction = dot < 0 ? "" : v.substring(dot + 1);
        if (whole.length() == 5) {
            whole += ":00";
        }
        return whole + "." + (fraction + "000000").substring(0, 6);
    }

    /**
     * A timestamp's text in parts: its date, what follows the date (time, maybe an offset), and
     * whether it is BC.
     */
    private record Parts(String date, String rest, boolean bc) {
        static Parts of(String v) {
            boolean bc = v.endsWith(" BC");
            String s = bc ? v.substring(0, v.length() - 3) : v;
            int sep = dateEnd(s);
            return new Parts(s.substring(0, sep), s.substring(sep + 1), bc);
        }
    }

    /**
     * Date, a space, {@code LocalTime.toString()}, {@code BC} when so: as earlier versions wrote a
     * timestamp.
     */
    static String timestamp(String v) {
        if (v.endsWith("infinity")) {
            return v;
        }
        Parts p = Parts.of(v);
        return p.date() + " " + LocalTime.parse(p.rest()) + (p.bc() ? " BC" : "");
    }

    /**
     * In UTC: years 1 to 9999 as Debezium's ISO text ({@code 2024-01-01T12:00:00.5Z}), others as
     * earlier versions wrote them ({@code 12000-06-01 12:00+00}, {@code 0044-03-15
     * 10:00:00.000001+00 BC}).
     */
    static String timestamptz(String v) {
        if (v.endsWith("infinity")) {
            return v;
        }
        Parts p = Parts.of(v);
        String date = p.date();
        String rest = p.rest();
        boolean bc = p.bc();
        int zone =
                Math.max(Math.max(rest.lastIndexOf('+'), rest.lastIndexOf('-')), rest.indexOf('Z'));
        String offset = rest.substring(zone);
        LocalTime time = LocalTime.parse(rest.substring(0, zone));
        boolean utc = offset.equals("Z") || offset.matches("[+-]00(:?00)?(:?00)?");
        boolean isoYears = !bc && date.length() == 10;
        if (!utc) {
            if (!isoYears) {
                return v; // both readers work in UTC; another offset is left as it is
            }
            OffsetDateTime t =
                    OffsetDateTime.parse(date + "T" + time + normalOffset(offset))
                            .withOffsetSameInstant(ZoneOffset.UTC);
            return t.toLocalDate()
                    + "T"
                    + DateTimeFormatter.ISO_LOCAL_TIME.format(t.toLocalTime())
                    + "Z";
        }
        if (isoYears) {
            return date + "T" + DateTimeFormatter.ISO_LOCAL_TIME.format(time) + "Z";
        }
        return date + " " + time + "+00" + (bc ? " BC" : "");
    }

    /** Where the date ends: at the space or 'T' after it (years may have more than four digits). */
    private static int dateEnd(String s) {
        int t = s.indexOf('T');
        int space = s.indexOf(' ');
        return t > 0 && (space < 0 || t < space) ? t : space;
    }

    /** {@code +05} or {@code +0530} as {@code +05:00} / {@code +05:30}: what java.time parses. */
    private static String normalOffset(String o) {
        String digits = o.substring(1).replace(":", "");
        String hh = digits.substring(0, 2);
        String mm = digits.length() >= 4 ? digits.substring(2, 4) : "00";
        return o.charAt(0) + hh + ":" + mm;
    }
}
