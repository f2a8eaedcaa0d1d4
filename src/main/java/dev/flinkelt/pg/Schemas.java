package dev.flinkelt.pg;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes a schema only when it is missing: {@code CREATE SCHEMA IF NOT EXISTS} needs CREATE on the
 * database even when the schema exists, which a role that owns only its schemas (as managed
 * warehouses hand out) does not have.
 */
public final class Schemas {
    private Schemas() {}

    public static void ensure(Connection conn, String schema) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
        } catch (SQLException e) {
            if (!SqlErrors.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            throw new ConfigException(
                    "schema "
                            + Identifiers.quote(schema)
                            + " does not exist and this user may not create it ("
                            + e.getMessage()
                            + "). Fix: as the database's owner, CREATE SCHEMA "
                            + Identifiers.quote(schema)
                            + " AUTHORIZATION <this user>;",
                    e);
        }
    }
}
