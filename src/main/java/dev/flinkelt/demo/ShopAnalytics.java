package dev.flinkelt.demo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The example transforms' outputs (transforms/*.sql) and the same results computed directly in PostgreSQL on
 * the source tables, so the demo and the tests can check one against the other.
 */
public final class ShopAnalytics {
    public static final String REVENUE = "SELECT customer_id, day::text, orders, revenue FROM analytics.revenue_per_customer_day ORDER BY 1, 2";
    public static final String REVENUE_DIRECT = "SELECT customer_id, ((placed_at AT TIME ZONE 'UTC')::date)::text, count(*),"
            + " sum(total)::numeric(38, 2) FROM shop.orders WHERE status <> 'cancelled' GROUP BY 1, 2 ORDER BY 1, 2";
    public static final String STATUS = "SELECT status, orders, total FROM analytics.orders_by_status ORDER BY 1";
    public static final String STATUS_DIRECT = "SELECT status::text, count(*), sum(total)::numeric(38, 2) FROM shop.orders GROUP BY 1 ORDER BY 1";

    private ShopAnalytics() {}

    /** Each row as its columns joined with '|'; empty when the table does not exist yet. */
    public static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // undefined table: the transform has not created it yet
                return out;
            }
            throw e;
        }
        return out;
    }

    /** True when both example outputs equal the direct computation on the source. */
    public static boolean matches(Connection source, Connection warehouse) throws SQLException {
        return rows(warehouse, REVENUE).equals(rows(source, REVENUE_DIRECT)) && rows(warehouse, STATUS).equals(rows(source, STATUS_DIRECT));
    }
}
