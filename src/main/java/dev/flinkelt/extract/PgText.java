package dev.flinkelt.extract;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.connect.data.Schema;

/**
 * Turns a Debezium (Kafka Connect) value into the PostgreSQL text literal of the same value, so the warehouse
 * parses it back into the column's own type. Exact for the types {@code SourceCatalog} accepts, given the
 * Debezium settings in {@link CdcSourceFactory} (decimals and intervals as strings, microsecond times).
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
                    return LocalDate.ofEpochDay(((Number) value).longValue()).toString();
                case "io.debezium.time.MicroTime":
                    return timeOfDay(((Number) value).longValue());
                case "io.debezium.time.Time":
                    return timeOfDay(((Number) value).longValue() * 1_000L);
                case "io.debezium.time.NanoTime":
                    return timeOfDay(((Number) value).longValue() / 1_000L);
                case "io.debezium.time.MicroTimestamp":
                    return timestamp(((Number) value).longValue());
                case "io.debezium.time.Timestamp":
                    return timestamp(((Number) value).longValue() * 1_000L);
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
        return String.format("%02d:%02d:%02d.%06d", h, m, s, f);
    }

    static String timestamp(long epochMicros) {
        long secs = Math.floorDiv(epochMicros, 1_000_000L);
        int nanos = (int) Math.floorMod(epochMicros, 1_000_000L) * 1_000;
        LocalDateTime t = LocalDateTime.ofEpochSecond(secs, nanos, ZoneOffset.UTC);
        return t.toLocalDate() + " " + t.toLocalTime();
    }

    /** A one-dimensional array literal; every element is double-quoted so no element text needs parsing rules. */
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
