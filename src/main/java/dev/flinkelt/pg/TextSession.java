package dev.flinkelt.pg;

import dev.flinkelt.config.PgEndpoint;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A transform connection to the warehouse whose values read and write as PostgreSQL's canonical
 * text ({@link Connections#TEXT_SESSION}). Explicit transactions (cursors fetch in batches only
 * inside one).
 */
public final class TextSession {
    private TextSession() {}

    public static Connection open(PgEndpoint warehouse, String applicationName)
            throws SQLException {
        Connection c = Connections.forJob(warehouse, "target", applicationName);
        try (Statement st = c.createStatement()) {
            st.execute(Connections.TEXT_SESSION);
        }
        c.setAutoCommit(false);
        return c;
    }
}
