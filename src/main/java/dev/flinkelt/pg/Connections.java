package dev.flinkelt.pg;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PgEndpoint;

import org.postgresql.Driver;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Plain JDBC connections for checks, DDL and verification; errors name the server, never the
 * password.
 */
public final class Connections {
    /**
     * Session settings under which every value's text is PostgreSQL's canonical, zone-free form:
     * UTC, ISO dates, floats that read back exactly (shortest form from PostgreSQL 12), hex bytea,
     * money in the C locale (its text follows lc_monetary, and so does its input). Reading and
     * comparing values as text needs them on both sides, and so does loading money's text.
     */
    public static final String TEXT_SESSION =
            "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres';"
                    + " SET extra_float_digits = 3; SET bytea_output = 'hex'; SET lc_monetary = 'C'";

    private Connections() {}

    public static Connection open(PgEndpoint endpoint, String role) {
        return open(endpoint, role, new Properties());
    }

    /** As above, with driver properties of the caller's (they override the endpoint's). */
    public static Connection open(PgEndpoint endpoint, String role, Properties extra) {
        Properties props = endpoint.jdbcProperties();
        props.putAll(extra);
        props.setProperty("connectTimeout", "10");
        try {
            // the driver directly, not DriverManager: submitted to a cluster, this code runs in the
            // job's class loader,
            // which DriverManager does not search
            Connection c = new Driver().connect(endpoint.url(), props);
            if (c == null) {
                throw new SQLException("not a PostgreSQL JDBC URL");
            }
            return c;
        } catch (SQLException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            if (endpoint.password() != null && !endpoint.password().isEmpty()) {
                msg = msg.replace(endpoint.password(), "***");
            }
            throw new ConfigException(
                    role
                            + " database "
                            + endpoint
                            + " is not reachable: "
                            + msg
                            + ". Check "
                            + endpoint.key()
                            + ", the credentials and that the server is running",
                    e);
        }
    }

    /**
     * A connection of a running job's operator, named {@code applicationName} in {@code
     * pg_stat_activity}. The server's error details quote row values, so the driver is told not to
     * put them into exception messages.
     */
    public static Connection forJob(PgEndpoint endpoint, String role, String applicationName) {
        Properties p = new Properties();
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("logServerErrorDetail", "false");
        return open(endpoint, role, p);
    }

    /**
     * Each row of {@code sql} as its columns' text joined with '|' (reports, demo checks, tests).
     */
    public static List<String> rows(Connection conn, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    public static String setting(Connection conn, String name) throws SQLException {
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
