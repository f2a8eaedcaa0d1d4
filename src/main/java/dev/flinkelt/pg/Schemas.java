package dev.flinkelt.pg;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Findings;
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

    /**
     * Whether this role can make and change tables in {@code schema} (it owns it, or may create in
     * it), or make it when it is missing; {@code purpose} says what the schema holds.
     */
    public static void check(
            Connection conn, String schema, String purpose, String server, Findings out)
            throws SQLException {
        check(conn, schema, purpose, server, true, out);
    }

    /** As above; unless {@code required}, a schema the role cannot use is a warning. */
    public static void check(
            Connection conn,
            String schema,
            String purpose,
            String server,
            boolean required,
            Findings out)
            throws SQLException {
        Findings.Sink problem = required ? out::fail : out::warn;
        checkOne(conn, schema, purpose, server, out, problem);
    }

    private static void checkOne(
            Connection conn,
            String schema,
            String purpose,
            String server,
            Findings out,
            Findings.Sink problem)
            throws SQLException {
        String q = Identifiers.quote(schema);
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT pg_has_role(n.nspowner, 'USAGE'),"
                                + " has_schema_privilege(n.oid, 'USAGE') AND has_schema_privilege(n.oid, 'CREATE'),"
                                + " has_database_privilege(current_database(), 'CREATE'), current_user"
                                + " FROM (SELECT NULL) x LEFT JOIN pg_namespace n ON n.nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String role = Identifiers.quote(rs.getString(4));
                boolean exists = rs.getObject(1) != null;
                if (exists && (rs.getBoolean(1) || rs.getBoolean(2))) {
                    out.ok(
                            server,
                            "schema "
                                    + q
                                    + " ("
                                    + purpose
                                    + ") is "
                                    + (rs.getBoolean(1) ? "this role's" : "open to this role"));
                } else if (exists) {
                    problem.add(
                            server,
                            "this role may not make tables in schema "
                                    + q
                                    + " ("
                                    + purpose
                                    + "). Fix: ALTER SCHEMA "
                                    + q
                                    + " OWNER TO "
                                    + role
                                    + "; (or GRANT USAGE, CREATE ON SCHEMA "
                                    + q
                                    + " TO "
                                    + role
                                    + ";)");
                } else if (rs.getBoolean(3)) {
                    out.ok(server, "schema " + q + " (" + purpose + ") is made at the first start");
                } else {
                    problem.add(
                            server,
                            "schema "
                                    + q
                                    + " ("
                                    + purpose
                                    + ") does not exist and this role may not create it. Fix: as the"
                                    + " database's owner, CREATE SCHEMA "
                                    + q
                                    + " AUTHORIZATION "
                                    + role
                                    + ";");
                }
            }
        }
    }
}
