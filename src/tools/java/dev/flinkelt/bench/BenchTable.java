package dev.flinkelt.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark table: ten columns of the common types (bigint key, bigints, int, doubles, varchar,
 * date, timestamptz). {@code b1} carries the generator's transaction number (−1 for generated rows)
 * so the target can tell which source transaction a row version came from.
 */
public final class BenchTable {
    public static final String SCHEMA = "bench";
    public static final String NAME = "items";
    public static final String QUALIFIED = "\"bench\".\"items\"";
    public static final String COLUMNS = "k, b1, b2, i1, d1, d2, v1, v2, dt, ts";
    static final String DDL =
            "CREATE TABLE "
                    + QUALIFIED
                    + " (k bigint PRIMARY KEY, b1 bigint NOT NULL, b2 bigint, i1 integer,"
                    + " d1 double precision, d2 double precision, v1 varchar(64), v2 varchar(64), dt date, ts timestamptz)";

    private BenchTable() {}

    /** Creates the schema and the table (empty). */
    public static void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS \"bench\"");
            st.execute(DDL);
        }
    }

    /** Fills keys 1..rows in one statement (server side, seconds for millions of rows). */
    public static void fill(Connection c, long rows) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(
                    "INSERT INTO "
                            + QUALIFIED
                            + " SELECT g, -1, g * 7919, (g % 1000003)::int, g / 7.0::float8, sqrt(g::float8),"
                            + " md5(g::text), substr(md5((g + 1)::text), 1, 20), DATE '2020-01-01' + (g % 3000)::int,"
                            + " TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * INTERVAL '1.000001 second' FROM generate_series(1::bigint, "
                            + rows
                            + ") g");
            st.execute("VACUUM ANALYZE " + QUALIFIED);
        }
    }

    /**
     * Row count and an order-independent checksum (sum of a 60-bit hash of each row's text) of the
     * ten columns of {@code relation} restricted by {@code where}; the session's time zone is fixed
     * so text forms compare.
     */
    public static Checksum checksum(Connection c, String relation, String where)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            st.execute("SET extra_float_digits = 1");
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT count(*), coalesce(sum(('x' || substr(md5(ROW("
                                    + COLUMNS
                                    + ")::text), 1, 15))::bit(60)::bigint), 0)"
                                    + " FROM "
                                    + relation
                                    + (where == null ? "" : " WHERE " + where))) {
                rs.next();
                return new Checksum(rs.getLong(1), rs.getBigDecimal(2).toString());
            }
        }
    }

    /** Rows and checksum of a table. */
    public record Checksum(long rows, String sum) {}
}
