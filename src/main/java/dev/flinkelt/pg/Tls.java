package dev.flinkelt.pg;

import dev.flinkelt.config.Findings;
import dev.flinkelt.config.PgEndpoint;

import org.postgresql.Driver;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Whether a connection is encrypted and whether the driver verified the server: a pipeline's
 * connections carry every row of the captured tables and the role's password (SCRAM never sends it
 * in clear, but a server that was not verified may be someone else's).
 */
public final class Tls {
    private Tls() {}

    public static void check(Connection conn, PgEndpoint endpoint, String server, Findings out)
            throws SQLException {
        String version = null;
        try (Statement st = conn.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            if (rs.next() && rs.getBoolean(1)) {
                version = rs.getString(2);
            }
        }
        String mode = sslMode(endpoint);
        String fix =
                " Fix: add sslmode=verify-full&sslrootcert=/path/to/ca.crt to "
                        + endpoint.key()
                        + " (and allow only hostssl lines in the server's pg_hba.conf)";
        if (version == null) {
            out.warn(
                    server,
                    "the connection is not encrypted (TLS off): rows and the role's authentication"
                            + " cross the network in clear."
                            + fix);
        } else if (!"verify-full".equals(mode)) {
            out.warn(
                    server,
                    "TLS ("
                            + version
                            + ") without verifying the server's certificate and name (sslmode="
                            + mode
                            + "): another server could pose as this one."
                            + fix);
        } else {
            out.ok(server, "TLS (" + version + "), server certificate and name verified");
        }
    }

    /** The sslmode the driver uses for {@code endpoint} (its default is prefer). */
    static String sslMode(PgEndpoint endpoint) {
        Properties p = Driver.parseURL(endpoint.url(), endpoint.jdbcProperties());
        String mode = p == null ? null : p.getProperty("sslmode");
        if (mode == null && p != null && "true".equalsIgnoreCase(p.getProperty("ssl"))) {
            return "verify-full"; // ssl=true without sslmode: the driver verifies fully
        }
        return mode == null ? "prefer" : mode;
    }
}
