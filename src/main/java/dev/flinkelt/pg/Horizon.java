package dev.flinkelt.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What holds a server's transaction horizon back: the transactions still open on it, prepared ones
 * included. Raw rows are read only below the horizon (the transform), so these are what delays it.
 */
public final class Horizon {
    private Horizon() {}

    /**
     * How long the oldest transaction open on the server (prepared ones included, this session's
     * own excluded) has been open, in seconds; 0 when none is.
     */
    public static double oldestTransactionSeconds(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT coalesce(extract(epoch FROM now() - min(t)), 0)::float8 FROM ("
                                        + "SELECT prepared AS t FROM pg_prepared_xacts UNION ALL SELECT xact_start"
                                        + " FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()) x")) {
            rs.next();
            return Math.max(0, rs.getDouble(1));
        }
    }

    /**
     * Transactions open longer than {@code seconds} that hold the horizon: prepared ones by name,
     * sessions by pid and application.
     */
    public static List<String> oldTransactions(Connection conn, long seconds) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT format('prepared transaction %s (prepared %s s ago)', gid,"
                                + " round(extract(epoch FROM now() - prepared))) FROM pg_prepared_xacts WHERE prepared < now() - make_interval(secs => ?)"
                                + " UNION ALL SELECT format('the transaction of session %s (%s, open %s s)', pid, coalesce(nullif(application_name, ''), usename),"
                                + " round(extract(epoch FROM now() - xact_start))) FROM pg_stat_activity WHERE backend_xid IS NOT NULL"
                                + " AND xact_start < now() - make_interval(secs => ?)")) {
            ps.setLong(1, seconds);
            ps.setLong(2, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
