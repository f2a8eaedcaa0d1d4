package dev.flinkelt.track;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.extract.CopyTextRow;
import dev.flinkelt.extract.Keys;
import dev.flinkelt.pg.ColumnSpec;
import dev.flinkelt.pg.LiveColumn;
import dev.flinkelt.pg.TableSchema;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads one snapshot chunk of a table with {@code COPY (SELECT …) TO STDOUT} in text format. Every
 * value stays in PostgreSQL's own text form (its type's output function, as {@code ::text} gives
 * it), so NaN, {@code 24:00}, BC dates, infinities and microsecond times are exact, and no driver
 * type conversion runs per value.
 *
 * <p>A chunk of a table keyed by its primary key is the next {@code limit} rows in key order.
 * Configured {@code key-columns} need not be unique nor non-NULL: there a chunk is a key range
 * (first the key {@code limit} rows on is found, then every row up to and including it is read), so
 * rows sharing a key never straddle two chunks, and the last chunk also takes rows whose key has a
 * NULL. Key values go to the server as session settings bound as parameters, not in the SQL text
 * (which the server may log).
 */
final class ChunkReader {
    private final CopyTextRow split = new CopyTextRow();

    /**
     * A chunk: its rows, whether the table has no rows after them, and the key where the next chunk
     * starts after.
     */
    record Chunk(List<SelectedRow> rows, boolean last, String[] lastKey) {}

    /**
     * A whole table without a key: its rows (each keyed by all its values) and the snapshot the
     * select saw ({@link TxSnapshot}).
     */
    record Whole(List<SelectedRow> rows, String snapshot) {}

    /**
     * Reads all of {@code t}, a table without a key, in one transaction that also tells which
     * transactions it saw.
     */
    Whole readWhole(Connection conn, TableSchema t, SnapshotProgress.Request r)
            throws SQLException {
        String[] columns = t.columnNames().toArray(String[]::new);
        boolean auto = conn.getAutoCommit();
        conn.setAutoCommit(false);
        int isolation = conn.getTransactionIsolation();
        conn.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            String snapshot;
            try (PreparedStatement ps =
                            conn.prepareStatement("SELECT txid_current_snapshot()::text");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                snapshot = rs.getString(1);
            }
            String[] types = types(conn, t, columns);
            String[] typeNames = Keys.typeNames(types);
            String table = t.ref().dotted();
            // a table without a key keeps nothing per key anyway
            SelectedRow.Shape shape =
                    new SelectedRow.Shape(
                            table, columns, types, layout(t, columns, types), r, false);
            List<SelectedRow> out = new ArrayList<>();
            CopyOut copy =
                    conn.unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyOut(
                                    "COPY ("
                                            + select(t)
                                            + " FROM "
                                            + t.ref().quoted()
                                            + " s) TO STDOUT");
            try {
                byte[] row;
                while ((row = copy.readFromCopy()) != null) {
                    String[] values = split.split(row, columns.length);
                    out.add(new SelectedRow(Keys.wholeRow(table, values, typeNames), row, shape));
                }
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            conn.commit();
            return new Whole(out, snapshot);
        } catch (SQLException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setTransactionIsolation(isolation);
            conn.setAutoCommit(auto);
        }
    }

    /**
     * The rows of {@code t} after the key values {@code cursor} (null: from the first key), about
     * {@code limit} of them; {@code primaryKey}: the key is the table's primary key (unique, never
     * NULL).
     */
    Chunk read(
            Connection conn,
            TableSchema t,
            boolean primaryKey,
            String[] cursor,
            int limit,
            SnapshotProgress.Request r)
            throws SQLException {
        String[] columns = t.columnNames().toArray(String[]::new);
        String[] types = types(conn, t, columns);
        String keyList = keyList(t);
        String from = after(t, cursor != null);
        setAll(conn, "c", cursor);
        String select = select(t);
        if (primaryKey) {
            return copy(
                    conn,
                    t,
                    columns,
                    types,
                    r,
                    select + from + " ORDER BY " + keyList + " LIMIT " + limit,
                    limit,
                    true);
        }
        String[] bound = null;
        try (PreparedStatement ps =
                        conn.prepareStatement(
                                "SELECT "
                                        + t.keyColumns().stream()
                                                .map(k -> "s." + Identifiers.quote(k) + "::text")
                                                .collect(Collectors.joining(", "))
                                        + from
                                        + " ORDER BY "
                                        + keyList
                                        + " OFFSET "
                                        + (limit - 1)
                                        + " LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                bound = new String[t.keyColumns().size()];
                for (int i = 0; i < bound.length; i++) {
                    bound[i] = rs.getString(i + 1);
                }
            }
        }
        String sql;
        if (bound != null) {
            setAll(conn, "b", bound);
            sql = select + from + " AND (" + keyList + ") <= (" + settings(t, "b") + ")";
        } else {
            // the rest, and rows with a NULL in their key (none where the key is a primary key: the
            // planner drops that scan)
            sql = select + from + nullKeys(t);
        }
        // rows may share a configured key: each must get a place of its own from the key's state
        Chunk chunk = copy(conn, t, columns, types, r, sql, -1, false);
        return new Chunk(chunk.rows(), bound == null, bound);
    }

    /** The select list of every column of {@code t}, aliased {@code s}. */
    static String select(TableSchema t) {
        return "SELECT "
                + t.columns().stream()
                        .map(c -> "s." + Identifiers.quote(c.name()))
                        .collect(Collectors.joining(", "));
    }

    /**
     * {@code t}'s key columns, qualified: in ORDER BY an output column name would win over the
     * table's column.
     */
    static String keyList(TableSchema t) {
        return t.keyColumns().stream()
                .map(k -> "s." + Identifiers.quote(k))
                .collect(Collectors.joining(", "));
    }

    /**
     * {@code FROM t s WHERE} its key has no NULL, and with {@code cursor} is above the key values
     * set as {@code c} ({@link #setAll}).
     */
    static String after(TableSchema t, boolean cursor) {
        return " FROM "
                + t.ref().quoted()
                + " s WHERE "
                + notNull(t)
                + (cursor ? " AND (" + keyList(t) + ") > (" + settings(t, "c") + ")" : "");
    }

    /** No key column of the row is NULL. */
    static String notNull(TableSchema t) {
        return t.keyColumns().stream()
                .map(k -> "s." + Identifiers.quote(k) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
    }

    /**
     * {@code UNION ALL} the rows with a NULL in their key: the last chunk of a table takes them
     * (none where the key is a primary key: the planner drops that scan).
     */
    static String nullKeys(TableSchema t) {
        return " UNION ALL "
                + select(t)
                + " FROM "
                + t.ref().quoted()
                + " s WHERE NOT ("
                + notNull(t)
                + ")";
    }

    /**
     * Runs {@code sql} as COPY; with {@code limit} ≥ 0 the chunk is the last one when it has fewer
     * rows. {@code uniqueKey}: no two rows share a key, so the rows may be toast-free (see {@link
     * #toastFree}).
     */
    private Chunk copy(
            Connection conn,
            TableSchema t,
            String[] columns,
            String[] types,
            SnapshotProgress.Request r,
            String sql,
            int limit,
            boolean uniqueKey)
            throws SQLException {
        Copied copied = copyOut(conn, t, columns.length, Keys.typeNames(types), sql);
        List<SelectedRow> out = copied.rows(shape(conn, t, columns, types, r, uniqueKey));
        return new Chunk(out, out.size() < limit, copied.lastKey());
    }

    /**
     * What the rows of {@code t} read for {@code r} share; asked after their selects (see {@link
     * #toastFree}).
     */
    static SelectedRow.Shape shape(
            Connection conn,
            TableSchema t,
            String[] columns,
            String[] types,
            SnapshotProgress.Request r,
            boolean uniqueKey)
            throws SQLException {
        return new SelectedRow.Shape(
                t.ref().dotted(),
                columns,
                types,
                layout(t, columns, types),
                r,
                uniqueKey && toastFree(conn, t));
    }

    /**
     * Rows as read by one COPY: each row's key and COPY text, and the key values of the last one
     * (null: none).
     */
    record Copied(List<String> keys, List<byte[]> texts, String[] lastKey) {
        List<SelectedRow> rows(SelectedRow.Shape shape) {
            List<SelectedRow> out = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                out.add(new SelectedRow(keys.get(i), texts.get(i), shape));
            }
            return out;
        }
    }

    /** Runs {@code sql}, a select of {@code t}'s {@code width} columns, as COPY. */
    Copied copyOut(Connection conn, TableSchema t, int width, String[] typeNames, String sql)
            throws SQLException {
        int[] keys = t.keyIndexes();
        String table = t.ref().dotted();
        List<String> rowKeys = new ArrayList<>();
        List<byte[]> rows = new ArrayList<>();
        String[] values = null;
        boolean[] keyColumns = new boolean[width];
        for (int k : keys) {
            keyColumns[k] = true;
        }
        CopyOut copy =
                conn.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyOut("COPY (" + sql + ") TO STDOUT");
        try {
            byte[] row;
            while ((row = copy.readFromCopy()) != null) {
                // split for the key; the row is held as its text (see SelectedRow)
                values = split.split(row, width, keyColumns);
                rowKeys.add(Keys.of(table, keys, values, typeNames));
                rows.add(row);
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
        return new Copied(rowKeys, rows, lastKey);
    }

    /**
     * A layout number of its own for the selected columns (the stream's reader numbers its layouts
     * from 1 up).
     */
    static int layout(TableSchema t, String[] columns, String[] types) {
        return -1
                - ((t.ref().dotted()
                                        + '\u0000'
                                        + String.join("\u0000", columns)
                                        + '\u0000'
                                        + String.join("\u0000", types))
                                .hashCode()
                        & 0x3fffffff);
    }

    /**
     * {@code current_setting('flink_elt.<prefix>0')::type, …}: the key values set by {@link
     * #setAll}, as the key's types.
     */
    static String settings(TableSchema t, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.keyColumns().size(); i++) {
            ColumnSpec c = t.columns().get(t.columnIndex(t.keyColumns().get(i)));
            out.add("current_setting('flink_elt." + prefix + i + "')::" + c.type());
        }
        return String.join(", ", out);
    }

    /**
     * Sets {@code flink_elt.<prefix>i} to each value in this session (bound parameters: no value in
     * any SQL text).
     */
    static void setAll(Connection conn, String prefix, String[] values) throws SQLException {
        if (values == null) {
            return;
        }
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            calls.add("set_config('flink_elt." + prefix + i + "', ?, false)");
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT " + String.join(", ", calls))) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            ps.executeQuery().close();
        }
    }

    /**
     * Whether no relation whose rows {@code t}'s select reads has a TOAST relation: the table, or
     * every partition and inheritance child below it (a partitioned table has no storage, so no
     * TOAST relation of its own), none of them foreign. PostgreSQL gives a table a TOAST relation
     * when its rows could outgrow a page's share (a column of unbounded width: {@code text}, {@code
     * jsonb}, {@code bytea}, unconstrained {@code numeric}, arrays, …) and takes it away only by
     * rewriting the table, which leaves no value out of line that needs one. Asked after the
     * select: every relation the select read still exists then (its rows can only have gone with a
     * detached or dropped partition, whose rows no later change of this table carries), and a TOAST
     * relation made before or during the select is seen. Without one, no value the select read was
     * stored out of line.
     */
    static boolean toastFree(Connection conn, TableSchema t) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "WITH RECURSIVE tree(oid) AS (SELECT ?::regclass::oid UNION ALL SELECT i.inhrelid"
                                + " FROM pg_inherits i JOIN tree ON i.inhparent = tree.oid)"
                                + " SELECT bool_and(c.relkind = 'p' OR (c.relkind = 'r' AND c.reltoastrelid = 0))"
                                + " FROM tree JOIN pg_class c ON c.oid = tree.oid")) {
            ps.setString(1, t.ref().quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * The catalog's exact types of the selected columns: the rows carry them, as streamed rows do
     * (see pg.ColumnType).
     */
    static String[] types(Connection conn, TableSchema t, String[] columns) throws SQLException {
        Map<String, String> byName = new HashMap<>();
        for (LiveColumn c : LiveColumn.read(conn, t.ref().quoted())) {
            byName.put(c.name(), c.type().encode());
        }
        String[] out = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            out[i] = byName.get(columns[i]);
        }
        return out;
    }
}
