package dev.flinkelt.transform.read;

import dev.flinkelt.config.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The few queries reading raw tables incrementally takes. */
final class RawQueries {
    private RawQueries() {}

    /**
     * The lowest transaction id still running anywhere on the server, prepared transactions
     * included. Every transaction below it has committed or aborted, so raw rows with a {@code
     * _load_xid} below it are all visible now and no more will ever appear: the range up to it can
     * be read once and for all.
     */
    static long horizon(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT txid_snapshot_xmin(txid_current_snapshot())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String qualified(String rawSchema, String table) {
        return Identifiers.quote(rawSchema) + "." + Identifiers.quote(table);
    }

    /**
     * Which of {@code splits} have rows in {@code [from, below)}: one round trip for all of them
     * (an index probe each), so idle tables cost almost nothing per poll.
     */
    static boolean[] haveRows(Connection conn, String rawSchema, List<RawSplit> splits, long below)
            throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < splits.size(); i++) {
            if (i > 0) {
                sql.append(" UNION ALL ");
            }
            sql.append("SELECT ")
                    .append(i)
                    .append(" WHERE EXISTS (SELECT 1 FROM ")
                    .append(qualified(rawSchema, splits.get(i).table))
                    .append(" WHERE \"_load_xid\" >= ? AND \"_load_xid\" < ?)");
        }
        boolean[] out = new boolean[splits.size()];
        try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
            for (int i = 0; i < splits.size(); i++) {
                ps.setLong(2 * i + 1, splits.get(i).from);
                ps.setLong(2 * i + 2, below);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out[rs.getInt(1)] = true;
                }
            }
        }
        return out;
    }

    /**
     * The rows of {@code [from, below)} in load order, each key's in order (an index range scan).
     */
    static String read(String qualifiedRaw) {
        return "SELECT * FROM "
                + qualifiedRaw
                + " WHERE \"_load_xid\" >= ? AND \"_load_xid\" < ? ORDER BY \"_load_xid\", \"_lsn\", \"_seq\"";
    }

    /**
     * Where a chunk of {@code [from, below)} ends: the {@code _load_xid} of the row after the first
     * {@code rows}, or null when fewer are left. A chunk holds whole transactions only.
     */
    static Long chunkEnd(Connection conn, String qualifiedRaw, long from, long below, int rows)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT \"_load_xid\" FROM "
                                + qualifiedRaw
                                + " WHERE \"_load_xid\" >= ?"
                                + " AND \"_load_xid\" < ? ORDER BY \"_load_xid\", \"_lsn\", \"_seq\" OFFSET "
                                + rows
                                + " LIMIT 1")) {
            ps.setLong(1, from);
            ps.setLong(2, below);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }
}
