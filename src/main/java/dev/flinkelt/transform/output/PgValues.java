package dev.flinkelt.transform.output;

import dev.flinkelt.config.ConfigException;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A Flink value as the PostgreSQL text its column's input function reads back exactly: full
 * precision, BC dates as {@code ... BC}, {@code NaN} and infinities as PostgreSQL spells them,
 * timestamps with a local zone in UTC.
 */
public final class PgValues implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private final LogicalType[] types;

    public PgValues(LogicalType[] types, String[] names, String table) {
        for (int i = 0; i < types.length; i++) {
            switch (types[i].getTypeRoot()) {
                case ARRAY,
                        MAP,
                        MULTISET,
                        ROW,
                        STRUCTURED_TYPE,
                        DISTINCT_TYPE,
                        RAW,
                        SYMBOL,
                        NULL,
                        UNRESOLVED,
                        INTERVAL_YEAR_MONTH,
                        INTERVAL_DAY_TIME,
                        TIMESTAMP_WITH_TIME_ZONE ->
                        throw new ConfigException(
                                "table "
                                        + table
                                        + ": column '"
                                        + names[i]
                                        + "' has type "
                                        + types[i]
                                        + ", which the warehouse connector does not write; cast it to STRING or a scalar type");
                default -> {}
            }
        }
        this.types = types;
    }

    /** Field {@code i} of {@code row} as text, or null. */
    String text(RowData row, int i) {
        if (row.isNullAt(i)) {
            return null;
        }
        LogicalType t = types[i];
        return switch (t.getTypeRoot()) {
            case CHAR, VARCHAR -> row.getString(i).toString();
            case BOOLEAN -> row.getBoolean(i) ? "true" : "false";
            case TINYINT -> Byte.toString(row.getByte(i));
            case SMALLINT -> Short.toString(row.getShort(i));
            case INTEGER -> Integer.toString(row.getInt(i));
            case BIGINT -> Long.toString(row.getLong(i));
            case FLOAT -> Float.toString(row.getFloat(i));
            case DOUBLE -> Double.toString(row.getDouble(i));
            case DECIMAL -> {
                DecimalData d =
                        row.getDecimal(
                                i,
                                LogicalTypeChecks.getPrecision(t),
                                LogicalTypeChecks.getScale(t));
                yield d.toBigDecimal().toPlainString();
            }
            case DATE -> date(LocalDate.ofEpochDay(row.getInt(i)));
            case TIME_WITHOUT_TIME_ZONE ->
                    LocalTime.ofNanoOfDay(row.getInt(i) * 1_000_000L).toString();
            case TIMESTAMP_WITHOUT_TIME_ZONE -> timestamp(ts(row, i, t).toLocalDateTime(), "");
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
                    timestamp(
                            LocalDateTime.ofInstant(ts(row, i, t).toInstant(), ZoneOffset.UTC),
                            "+00");
            case BINARY, VARBINARY -> "\\x" + HexFormat.of().formatHex(row.getBinary(i));
            default -> throw new IllegalStateException("unexpected type " + t);
        };
    }

    private static TimestampData ts(RowData row, int i, LogicalType t) {
        return row.getTimestamp(i, LogicalTypeChecks.getPrecision(t));
    }

    /**
     * Year 0 is 1 BC; the fields are written as they are (re-validating them in year 1 - y would
     * move a BC leap day).
     */
    static String date(LocalDate d) {
        return d.getYear() > 0
                ? d.format(DATE)
                : String.format(
                        Locale.ROOT,
                        "%04d-%02d-%02d BC",
                        1 - d.getYear(),
                        d.getMonthValue(),
                        d.getDayOfMonth());
    }

    static String timestamp(LocalDateTime t, String zone) {
        if (t.getYear() > 0) {
            return t.format(TIMESTAMP) + zone;
        }
        return date(t.toLocalDate()).replace(" BC", "")
                + " "
                + t.toLocalTime().format(TIME)
                + zone
                + " BC";
    }
}
