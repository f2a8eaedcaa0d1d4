package dev.flinkelt.transform.read;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Rows loaded before raw tables had {@code _load_xid} (NULL there) get negative numbers in batches,
 * in {@code (_lsn, _seq)} order: they then sort before every real transaction id and are read like
 * any other rows, in chunks, each key's in order. Done once per table before it is read; a run cut
 * short goes on where it stopped.
 */
final class LegacyRows {
    /** Below every transaction id, with room for a batch number after it. */
    static final long FIRST = -1_000_000_000_000L;

    static final int BATCH = 20_000;

    private LegacyRows() {}

    /**
     * Numbers every legacy row of {@code qualifiedRaw}; returns how many (autocommit: one
     * transaction per batch). Two transform runs (a batch rebuild beside a streaming job) take
     * turns by an advisory lock on the table.
     */
    static long number(Connection conn, String qualifiedRaw) throws SQLException {
        refuseUpdatePublications(conn, qualifiedRaw);
        try (PreparedStatement lock =
                conn.prepareStatement("SELECT pg_advisory_lock(?::regclass::oid::bigint)")) {
            lock.setString(1, qualifiedRaw);
            lock.execute();
        }
        try {
            long n = numberLocked(conn, qualifiedRaw);
            try (PreparedStatement ps =
                            conn.prepareStatement(
                                    "SELECT EXISTS (SELECT 1 FROM "
                                            + qualifiedRaw
                                            + " WHERE \"_load_xid\" IS NULL)");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    throw new SQLException(
                            "raw table "
                                    + qualifiedRaw
                                    + " still has rows without _load_xid after numbering; trying again");
                }
            }
            return n;
        } finally {
            try (PreparedStatement unlock =
                    conn.prepareStatement("SELECT pg_advisory_unlock(?::regclass::oid::bigint)")) {
                unlock.setString(1, qualifiedRaw);
                unlock.execute();
            }
        }
    }

    /**
     * A raw table in a publication that publishes updates (the slot-based transform of earlier
     * versions made one) cannot be updated: raw tables have no replica identity.
     */
    private static void refuseUpdatePublications(Connection conn, String qualifiedRaw)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT p.pubname FROM pg_publication p JOIN pg_publication_rel r ON r.prpubid = p.oid"
                                + " WHERE r.prrelid = ?::regclass AND p.pubupdate UNION SELECT pubname FROM pg_publication WHERE puballtables AND pubupdate")) {
            ps.setString(1, qualifiedRaw);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new SQLException(
                            "raw table "
                                    + qualifiedRaw
                                    + " is in publication '"
                                    + rs.getString(1)
                                    + "', which publishes updates,"
                                    + " so its rows loaded before _load_xid existed cannot be numbered; the slot-based transform made it:"
                                    + " DROP PUBLICATION \""
                                    + rs.getString(1).replace("\"", "\"\"")
                                    + "\"",
                            "55000");
                }
            }
        }
    }

    private static long numberLocked(Connection conn, String qualifiedRaw) throws SQLException {
        long next;
        try (PreparedStatement ps =
                        conn.prepareStatement(
                                "SELECT EXISTS (SELECT 1 FROM "
                                        + qualifiedRaw
                                        + " WHERE \"_load_xid\" IS NULL),"
                                        + " (SELECT max(\"_load_xid\") FROM "
                                        + qualifiedRaw
                                        + " WHERE \"_load_xid\" < 0)");
                ResultSet rs = ps.executeQuery()) {
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
        // the next batch: the remaining legacy rows lowest by (_lsn, _seq); rows equal in both
        // belong to different keys
        String sql =
                "WITH b AS (SELECT ctid FROM "
                        + qualifiedRaw
                        + " WHERE \"_load_xid\" IS NULL AND (\"_lsn\", \"_seq\") >= (?, ?)"
                        + " ORDER BY \"_load_xid\", \"_lsn\", \"_seq\" LIMIT "
                        + BATCH
                        + ") UPDATE "
                        + qualifiedRaw
                        + " r SET \"_load_xid\" = ?"
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
