package dev.flinkelt.demo;

import dev.flinkelt.pg.Connections;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The example transforms' outputs (transforms/*.sql) and the same results computed directly in
 * PostgreSQL on the source tables, so the demo and the tests can check one against the other.
 */
public final class ShopAnalytics {
    public static final String REVENUE =
            "SELECT customer_id, day::text, orders, revenue FROM analytics.revenue_per_customer_day ORDER BY 1, 2";
    public static final String REVENUE_DIRECT =
            "SELECT customer_id, ((placed_at AT TIME ZONE 'UTC')::date)::text, count(*),"
                    + " sum(total)::numeric(38, 2) FROM shop.orders WHERE status <> 'cancelled' GROUP BY 1, 2 ORDER BY 1, 2";
    public static final String STATUS =
            "SELECT status, orders, total FROM analytics.orders_by_status ORDER BY 1";
    public static final String STATUS_DIRECT =
            "SELECT status::text, count(*), sum(total)::numeric(38, 2) FROM shop.orders GROUP BY 1 ORDER BY 1";

    private ShopAnalytics() {}

    /** Each row as its columns joined with '|'; empty when the table does not exist yet. */
    public static List<String> rows(Connection c, String sql) throws SQLException {
        try {
            return Connections.rows(c, sql);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // undefined table: the transform has not
                // created it yet
                return List.of();
            }
            throw e;
        }
    }

    /** True when both example outputs equal the direct computation on the source. */
    public static boolean matches(Connection source, Connection warehouse) throws SQLException {
        return rows(warehouse, REVENUE).equals(rows(source, REVENUE_DIRECT))
                && rows(warehouse, STATUS).equals(rows(source, STATUS_DIRECT));
    }
}
