package dev.flinkelt.transform.read;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Rows loaded before raw tables had {@code _load_xid} (NULL there) get negative numbers in batches, in
 * {@code (_lsn, _seq)} order: they then sort before every real transaction id and are read like any other rows,
 * in chunks, each key's in order. Done once per table before it is read; a run cut short goes on where it stopped.
 */
final class LegacyRows {
    /** Below every transaction id, with room for a batch number after it. */
    static final long FIRST = -1_000_000_000_000L;
    static final int BATCH = 20_000;

    private LegacyRows() {}

    /** Numbers every legacy row of {@code qualifiedRaw}; returns how many (autocommit: one transaction per batch). */
    static long number(Connection conn, String qualifiedRaw) throws SQLException {
        long next;
        try (PreparedStatement ps = conn.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + qualifiedRaw + " WHERE \"_load_xid\" IS NULL),"
                + " (SELECT max(\"_load_xid\") FROM " + qualifiedRaw + " WHERE \"_load_xid\" < 0)"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return 0;
            }
            long last = rs.getLong(2);
            next = rs.wasNull() ? FIRST : last + 1;
        }
        long lsn = Long.MIN_VALUE;
        long seq = Long.MIN_VALUE;
        long total = 0;
        // the next batch: the remaining legacy rows lowest by (_lsn, _seq); rows equal in both belong to different keys
        String sql = "WITH b AS (SELECT ctid FROM " + qualifiedRaw + " WHERE \"_load_xid\" IS NULL AND (\"_lsn\", \"_seq\") >= (?, ?)"
                + " ORDER BY \"_load_xid\", \"_lsn\", \"_seq\" LIMIT " + BATCH + ") UPDATE " + qualifiedRaw + " r SET \"_load_xid\" = ?"
                + " FROM b WHERE r.ctid = b.ctid RETURNING r.\"_lsn\", r.\"_seq\"";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            while (true) {
                ps.setLong(1, lsn);
                ps.setLong(2, seq);
                ps.setLong(3, next++);
                int rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        long l = rs.getLong(1);
                        long s = rs.getLong(2);
                        if (l > lsn || (l == lsn && s > seq)) {
                            lsn = l;
                            seq = s;
                        }
                    }
                }
                if (rows == 0) {
                    return total;
                }
                total += rows;
            }
        }
    }
}
