package dev.flinkelt.transform;

import dev.flinkelt.catalog.ColumnSpec;
import dev.flinkelt.catalog.TableSchema;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

/**
 * Builds the rows of an {@code elt-raw} table from PostgreSQL text values: source columns as STRING,
 * {@code _lsn}, {@code _seq}, {@code _tx_id} as BIGINT. {@code timestamptz} text is normalised to
 * {@code yyyy-MM-dd HH:mm:ss.SSSSSS} in UTC, the form Flink's CAST reads and a UTC session writes back exactly.
 */
final class RawRows {
    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private final boolean[] timestamptz;
    private final int lsn;

    RawRows(TableSchema full) {
        List<ColumnSpec> cols = full.columns();
        timestamptz = new boolean[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            timestamptz[i] = FlinkTypes.isTimestamptz(cols.get(i));
        }
        lsn = full.columnIndex("_lsn");
    }

    RowData row(String[] values) {
        GenericRowData row = new GenericRowData(values.length);
        for (int i = 0; i < values.length; i++) {
            String v = values[i];
            if (v == null) {
                continue;
            }
            if (i >= lsn && i < lsn + 3) {
                row.setField(i, Long.parseLong(v));
            } else {
                row.setField(i, StringData.fromString(timestamptz[i] ? utc(v) : v));
            }
        }
        return row;
    }

    /** Debezium's ISO form ({@code 2024-03-30T23:30:00.5Z}) or an already normalised value. */
    static String utc(String v) {
        if (v.indexOf('T') < 0) {
            return v;
        }
        return OffsetDateTime.parse(v).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().format(UTC);
    }
}
