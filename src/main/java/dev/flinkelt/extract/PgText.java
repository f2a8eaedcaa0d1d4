package dev.flinkelt.extract;

import org.apache.kafka.connect.data.Schema;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns a Debezium (Kafka Connect) value into the PostgreSQL text literal of the same value, so the
 * warehouse parses it back into the column's own type. Exact for the types {@code SourceCatalog}
 * accepts, given the Debezium settings in {@link CdcSourceFactory} (decimals and intervals as
 * strings, microsecond times).
 */
public final class PgText {
    private static final HexFormat HEX = HexFormat.of();

    private PgText() {}

    public static String of(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String name = schema == null ? null : schema.name();
        if (name != null) {
            switch (name) {
                case ArrayTextConverter.SCHEMA_NAME:
                    return value.toString();
                case "io.debezium.time.Date":
                    return date(((Number) value).longValue());
                case "io.debezium.time.ZonedTimestamp":
                    return zonedTimestamp(value.toString());
                case "io.debezium.time.MicroTime":
                    return timeOfDay(((Number) value).longValue());
                case "io.debezium.time.Time":
                    return timeOfDay(((Number) value).longValue() * 1_000L);
                case "io.debezium.time.NanoTime":
                    return timeOfDay(((Number) value).longValue() / 1_000L);
                case "io.debezium.time.MicroTimestamp":
                    return timestamp(((Number) value).longValue());
                case "io.debezium.time.Timestamp":
                    return timestampMillis(((Number) value).longValue());
                case "io.debezium.time.NanoTimestamp":
                    return timestamp(((Number) value).longValue() / 1_000L);
                default:
                    break;
            }
        }
        if (value instanceof byte[] bytes) {
            return "\\x" + HEX.formatHex(bytes);
        }
        if (value instanceof ByteBuffer buf) {
            byte[] bytes = new byte[buf.remaining()];
            buf.duplicate().get(bytes);
            return "\\x" + HEX.formatHex(bytes);
        }
        if (value instanceof List<?> list) {
            return array(schema == null ? null : schema.valueSchema(), list);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    /** {@code HH:MM:SS.ffffff}; 24:00:00 stays 24:00:00 (java.time cannot say it). */
    static String timeOfDay(long micros) {
        long h = micros / 3_600_000_000L;
        long m = micros / 60_000_000L % 60;
        long s = micros / 1_000_000L % 60;
        long f = micros % 1_000_000L;
        StringBuilder sb = new StringBuilder(15);
        pad(sb, h, 2).append(':');
        pad(sb, m, 2).append(':');
        pad(sb, s, 2).append('.');
        return pad(sb, f, 6).toString();
    }

    /**
     * Debezium's stand-ins for {@code ±infinity} (PostgresValueConverter): a date's epoch days and
     * a timestamp's epoch microseconds. The dates and {@code -infinity} lie outside PostgreSQL's
     * range; {@code +infinity} of a timestamp is the one real instant 294247-01-10 04:00:25.2,
     * which is taken for infinity.
     */
    static final long DATE_INFINITY = -2147472692L;

    static final long DATE_MINUS_INFINITY = -2147472691L;
    static final long TIMESTAMP_INFINITY_MICROS = 9223372036825200000L;
    static final long TIMESTAMP_MINUS_INFINITY_MICROS = -9223372036832400000L;

    /**
     * {@code yyyy-mm-dd}, with {@code BC} for years before 1 (ISO year 0 is 1 BC) and no sign after
     * 9999.
     */
    static String date(long epochDay) {
        if (epochDay == DATE_INFINITY) {
            return "infinity";
        }
        if (epochDay == DATE_MINUS_INFINITY) {
            return "-infinity";
        }
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        return ymd(d) + (d.getYear() <= 0 ? " BC" : "");
    }

    private static String ymd(LocalDate d) {
        int y = d.getYear() <= 0 ? 1 - d.getYear() : d.getYear();
        StringBuilder sb = new StringBuilder(12);
        pad(sb, y, 4).append('-');
        pad(sb, d.getMonthValue(), 2).append('-');
        return pad(sb, d.getDayOfMonth(), 2).toString();
    }

    /**
     * {@code n} with leading zeros to {@code width} digits (String.format is slow on the per-row
     * path).
     */
    private static StringBuilder pad(StringBuilder sb, long n, int width) {
        String digits = Long.toString(n);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits);
    }

    /** A {@code timestamp} literal of epoch microseconds (UTC wall time). */
    public static String timestamp(long epochMicros) {
        if (epochMicros == TIMESTAMP_INFINITY_MICROS) {
            return "infinity";
        }
        if (epochMicros == TIMESTAMP_MINUS_INFINITY_MICROS) {
            return "-infinity";
        }
        long secs = Math.floorDiv(epochMicros, 1_000_000L);
        int nanos = (int) Math.floorMod(epochMicros, 1_000_000L) * 1_000;
        LocalDateTime t = LocalDateTime.ofEpochSecond(secs, nanos, ZoneOffset.UTC);
        return ymd(t.toLocalDate()) + " " + t.toLocalTime() + (t.getYear() <= 0 ? " BC" : "");
    }

    private static String timestampMillis(long epochMillis) {
        if (epochMillis == TIMESTAMP_INFINITY_MICROS / 1_000L) {
            return "infinity";
        }
        if (epochMillis == TIMESTAMP_MINUS_INFINITY_MICROS / 1_000L) {
            return "-infinity";
        }
        return timestamp(epochMillis * 1_000L);
    }

    /**
     * Debezium's ISO text of a timestamptz in UTC; {@code infinity} and {@code -infinity} come as
     * they are.
     */
    static String zonedTimestamp(String iso) {
        if (iso.equals("infinity") || iso.equals("-infinity")) {
            return iso;
        }
        OffsetDateTime t = OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC);
        if (t.getYear() > 0 && t.getYear() <= 9999) {
            return iso;
        }
        return ymd(t.toLocalDate())
                + " "
                + t.toLocalTime()
                + "+00"
                + (t.getYear() <= 0 ? " BC" : "");
    }

    /**
     * A one-dimensional array literal; every element is double-quoted so no element text needs
     * parsing rules.
     */
    static String array(Schema elementSchema, List<?> list) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String e = of(elementSchema, list.get(i));
            if (e == null) {
                sb.append("NULL");
            } else {
                sb.append('"').append(e.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return sb.append('}').toString();
    }
}
