package dev.flinkelt.transform.read;

import dev.flinkelt.raw.RawColumns;

import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the rows of one {@code SELECT *} on a raw table into {@link RawRowType} rows (positions
 * from its metadata).
 */
final class RowReader {
    private final StringData table;
    private final int[] values;
    private final int op;
    private final int lsn;
    private final int seq;
    private final int txId;
    private final int sourceTs;
    private final int loadedAt;
    private final int loadXid;

    /**
     * Positions of the key columns among the values (read once per row for both); empty for a table
     * without a key.
     */
    private final int[] key;

    RowReader(String table, List<String> keyColumns, ResultSetMetaData md) throws SQLException {
        this.table = StringData.fromString(table);
        List<Integer> vals = new ArrayList<>();
        int op = 0, lsn = 0, seq = 0, txId = 0, sourceTs = 0, loadedAt = 0, loadXid = 0;
        for (int i = 1; i <= md.getColumnCount(); i++) {
            switch (md.getColumnLabel(i)) {
                case "_op" -> op = i;
                case "_lsn" -> lsn = i;
                case "_seq" -> seq = i;
                case "_tx_id" -> txId = i;
                case "_source_ts" -> sourceTs = i;
                case "_loaded_at" -> loadedAt = i;
                case "_load_xid" -> loadXid = i;
                default -> {
                    if (!RawColumns.METADATA.contains(md.getColumnLabel(i))) {
                        vals.add(i);
                    }
                }
            }
        }
        this.values = vals.stream().mapToInt(Integer::intValue).toArray();
        this.op = op;
        this.lsn = lsn;
        this.seq = seq;
        this.txId = txId;
        this.sourceTs = sourceTs;
        this.loadedAt = loadedAt;
        this.loadXid = loadXid;
        int[] key = new int[keyColumns.size()];
        Arrays.fill(key, -1);
        for (int v = 0; v < values.length; v++) {
            int k = keyColumns.indexOf(md.getColumnLabel(values[v]));
            if (k >= 0) {
                key[k] = v;
            }
        }
        this.key = Arrays.stream(key).anyMatch(i -> i < 0) ? new int[0] : key;
    }

    /** The current row's {@code _load_xid}. */
    long loadXid(ResultSet rs) throws SQLException {
        return rs.getLong(loadXid);
    }

    RowData row(ResultSet rs) throws SQLException {
        GenericRowData row = new GenericRowData(RawRowType.ARITY);
        row.setField(RawRowType.TABLE, table);
        row.setField(RawRowType.OP, StringData.fromString(rs.getString(op)));
        row.setField(RawRowType.LSN, rs.getLong(lsn));
        row.setField(RawRowType.SEQ, rs.getLong(seq));
        long tx = rs.getLong(txId);
        row.setField(RawRowType.TX_ID, rs.wasNull() ? null : tx);
        row.setField(RawRowType.SOURCE_TS, utc(rs.getString(sourceTs)));
        row.setField(RawRowType.LOADED_AT, utc(rs.getString(loadedAt)));
        String[] texts = new String[values.length];
        StringData[] vals = new StringData[values.length];
        for (int i = 0; i < values.length; i++) {
            texts[i] = rs.getString(values[i]);
            vals[i] = texts[i] == null ? null : StringData.fromString(texts[i]);
        }
        row.setField(RawRowType.VALUES, new GenericArrayData(vals));
        row.setField(RawRowType.KEY, keyText(texts));
        return row;
    }

    /**
     * The key columns' values as one text: each marked as a value ({@code v...}) or NULL ({@code
     * n}), joined by NUL, which PostgreSQL text never holds, so two keys are equal exactly when
     * their values are.
     */
    private StringData keyText(String[] texts) {
        if (key.length == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < key.length; i++) {
            if (i > 0) {
                b.append('\u0000');
            }
            String v = texts[key[i]];
            if (v == null) {
                b.append('n');
            } else {
                b.append('v').append(v);
            }
        }
        return StringData.fromString(b.toString());
    }

    /**
     * {@code 2024-03-30 23:30:00.5+00} (a UTC session's text) without the zone, the form Flink's
     * CAST reads.
     */
    static StringData utc(String v) {
        if (v == null) {
            return null;
        }
        return StringData.fromString(v.endsWith("+00") ? v.substring(0, v.length() - 3) : v);
    }
}
