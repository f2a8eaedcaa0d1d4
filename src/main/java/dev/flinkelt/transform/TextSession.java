package dev.flinkelt.transform;

import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.preflight.Connections;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A transform connection to the warehouse whose values read and write as PostgreSQL's canonical, zone-free text:
 * UTC, ISO dates, shortest exact floats, hex bytea. Explicit transactions (cursors fetch in batches only inside one).
 */
public final class TextSession {
    private TextSession() {}

    public static Connection open(PgEndpoint warehouse, String applicationName) throws SQLException {
        Connection c = Connections.forJob(warehouse, "target", applicationName);
        try (Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres';"
                    + " SET extra_float_digits = 1; SET bytea_output = 'hex'");
        }
        c.setAutoCommit(false);
        return c;
    }
}
