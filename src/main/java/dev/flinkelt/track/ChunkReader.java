package dev.flinkelt.track;

import dev.flinkelt.catalog.ColumnSpec;
import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.extract.ChangeEventDeserializer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Reads one snapshot chunk of a table: the next rows in key order after a cursor, with {@code COPY (SELECT …) TO
 * STDOUT} in text format. Every value stays in PostgreSQL's own text form (its type's output function, as
 * {@code ::text} gives it), so NaN, {@code 24:00}, BC dates, infinities and microsecond times are exact, and no
 * driver type conversion runs per value.
 */
final class ChunkReader {
    private final CopyTextRow split = new CopyTextRow();

    /** A chunk: its rows, whether the table has no rows after them, and the key values of its last row. */
    record Chunk(List<SelectedRow> rows, boolean last, String[] lastKey) {}

    /** At most {@code limit} rows of {@code t} after the key values {@code cursor} (null: from the first key). */
    Chunk read(Connection conn, TableSchema t, String[] cursor, int limit, SnapshotProgress.Request r) throws SQLException {
        String[] columns = t.columnNames().toArray(String[]::new);
        String[] types = typeNames(conn, t, columns);
        // qualified: in ORDER BY an output column name would win over the table's column
        String keyList = t.keyColumns().stream().map(k -> "s." + Identifiers.quote(k)).collect(Collectors.joining(", "));
        String after = "";
        if (cursor != null) {
            List<String> literals = new ArrayList<>();
            for (int i = 0; i < cursor.length; i++) {
                ColumnSpec c = t.columns().get(t.columnIndex(t.keyColumns().get(i)));
                literals.add(literal(cursor[i]) + "::" + c.type());
            }
            after = " WHERE (" + keyList + ") > (" + String.join(", ", literals) + ")";
        }
        String sql = "COPY (SELECT " + t.columns().stream().map(c -> "s." + Identifiers.quote(c.name())).collect(Collectors.joining(", "))
                + " FROM " + t.ref().quoted() + " s" + after + " ORDER BY " + keyList + " LIMIT " + limit + ") TO STDOUT";
        // a layout number of its own for the selected columns (the stream's reader numbers its layouts from 1 up)
        int layout = -1 - ((t.ref().dotted() + '\u0000' + String.join("\u0000", columns) + '\u0000' + String.join("\u0000", types)).hashCode()
                & 0x3fffffff);
        int[] keys = t.keyIndexes();
        String table = t.ref().dotted();
        SelectedRow.Shape shape = new SelectedRow.Shape(table, columns, types, layout, r);
        List<SelectedRow> out = new ArrayList<>();
        String[] values = null;
        CopyOut copy = conn.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
        try {
            byte[] row;
            while ((row = copy.readFromCopy()) != null) {
                values = split.split(row, columns.length); // for the key; the row is held as its text (see SelectedRow)
                out.add(new SelectedRow(ChangeEventDeserializer.key(table, keys, values), row, shape));
            }
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        String[] lastKey = null;
        if (values != null) {
            lastKey = new String[keys.length];
            for (int i = 0; i < keys.length; i++) {
                lastKey[i] = values[keys[i]];
            }
        }
        return new Chunk(out, out.size() < limit, lastKey);
    }

    /** A string literal whatever {@code standard_conforming_strings} says: backslashes and quotes doubled in E''. */
    static String literal(String value) {
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** The catalog's type names of the selected columns: the rows carry them, as streamed rows do. */
    private static String[] typeNames(Connection conn, TableSchema t, String[] columns) throws SQLException {
        Map<String, String> byName = new HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT a.attname, y.typname FROM pg_attribute a JOIN pg_type y ON y.oid = a.atttypid"
                + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, t.ref().quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byName.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        String[] out = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            out[i] = byName.get(columns[i]);
        }
        return out;
    }
}
