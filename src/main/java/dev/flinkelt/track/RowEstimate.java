package dev.flinkelt.track;

import dev.flinkelt.config.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * About how many rows a table has, for snapshot progress: as the planner reckons, {@code reltuples}
 * per page of the last VACUUM or ANALYZE times the pages the table has now; without those, a count
 * when the table is small, else its size over the width of a sample of its rows. Never a full scan
 * of a large table (this runs on the thread that reads the change stream).
 */
final class RowEstimate {
    /** Tables up to this size are counted when the planner has no estimate. */
    static final long COUNT_BYTES = 64L * 1024 * 1024;

    private RowEstimate() {}

    /** The estimate, or -1 when the table is gone. */
    static long of(Connection conn, TableRef t) throws SQLException {
        double reltuples;
        long relpages;
        long pages;
        long bytes;
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT c.reltuples, c.relpages, pg_relation_size(c.oid),"
                                + " pg_relation_size(c.oid) / current_setting('block_size')::bigint FROM pg_class c WHERE c.oid = to_regclass(?)")) {
            ps.setString(1, t.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return -1;
                }
                reltuples = rs.getDouble(1);
                relpages = rs.getLong(2);
                bytes = rs.getLong(3);
                pages = rs.getLong(4);
            }
        }
        if (bytes == 0) {
            return 0;
        }
        if (reltuples >= 0 && relpages > 0) {
            return Math.round(reltuples / relpages * pages);
        }
        if (bytes <= COUNT_BYTES) {
            return single(conn, "SELECT count(*) FROM " + t.quoted());
        }
        // a heap tuple takes its data plus a 24-byte header and a 4-byte line pointer
        long width =
                single(
                        conn,
                        "SELECT coalesce(avg(pg_column_size(s.*)), 0)::bigint + 28 FROM (SELECT * FROM "
                                + t.quoted()
                                + " LIMIT 1000) s");
        return bytes / Math.max(width, 1);
    }

    private static long single(Connection conn, String sql) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
