package dev.flinkelt.load;

import dev.flinkelt.config.Findings;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TransformSettings;
import dev.flinkelt.load.sink.TransactionName;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.Schemas;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.pg.Tls;
import dev.flinkelt.pg.UserType;
import dev.flinkelt.raw.RawTables;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every precondition on the warehouse, each as a finding with its fix: TLS, two-phase commit, free
 * connections, the schemas the role must own, this pipeline's prepared transactions (only the role
 * that prepared one, or a superuser, may finish it) and the source's types the warehouse lacks.
 * Reads only.
 */
public final class TargetCheck {
    static final String SERVER = "target";

    private TargetCheck() {}

    /**
     * {@code tables}, {@code userTypes}: what the source check read ({@code SourceCheck}); {@code
     * mirrorSchema}: also the transform's schema, when not null.
     */
    public static Findings run(
            PipelineConfig config,
            Connection conn,
            List<TableSchema> tables,
            List<UserType> userTypes,
            String mirrorSchema)
            throws SQLException {
        Findings out = new Findings();
        Tls.check(conn, config.target, SERVER, out);
        preparedTransactions(config, conn, out);
        connections(config, conn, out);
        Schemas.check(conn, config.rawSchema, "raw tables", SERVER, out);
        if (mirrorSchema != null) {
            // the transform's schemas: warnings, since extract-load runs without them
            Schemas.check(conn, mirrorSchema, "the transform's mirror tables", SERVER, false, out);
            Schemas.check(
                    conn,
                    TransformSettings.REBUILD_SCHEMA,
                    "staging of the transform's batch rebuild",
                    SERVER,
                    false,
                    out);
        }
        strangers(config, conn, out);
        types(config, conn, tables, userTypes, out);
        return out;
    }

    private static void preparedTransactions(PipelineConfig config, Connection conn, Findings out)
            throws SQLException {
        int prepared = Integer.parseInt(Connections.setting(conn, "max_prepared_transactions"));
        // each sink subtask holds at most two: the completed checkpoint's until it is committed,
        // and the next one's
        int needed = 2 * config.parallelism;
        if (prepared < needed) {
            out.fail(
                    SERVER,
                    "target server has max_prepared_transactions = "
                            + prepared
                            + "; the exactly-once sink"
                            + " prepares one transaction per subtask and checkpoint (whatever the number of tables) and needs at least "
                            + needed
                            + " at parallelism "
                            + config.parallelism
                            + ". Fix: ALTER SYSTEM SET max_prepared_transactions = "
                            + Math.max(needed, 10)
                            + "; then restart the target server");
        } else {
            out.ok(SERVER, "max_prepared_transactions = " + prepared + " (needs " + needed + ")");
        }
    }

    private static void connections(PipelineConfig config, Connection conn, Findings out)
            throws SQLException {
        // per subtask: the sink's writing and committing connections, the column mapper's and three
        // of the keyed stage (mapping, DDL, pins of held rows: opened only when rows were held);
        // one more for the tracker that looks for new tables
        int free =
                Integer.parseInt(
                        Connections.rows(
                                        conn,
                                        "SELECT current_setting('max_connections')::int"
                                                + " - current_setting('superuser_reserved_connections')::int"
                                                + " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')")
                                .get(0));
        int connections = 6 * config.parallelism + 1;
        if (free < connections) {
            out.fail(
                    SERVER,
                    "target server has "
                            + Math.max(free, 0)
                            + " free connection(s) (max_connections minus"
                            + " superuser_reserved_connections minus sessions now open); the pipeline needs "
                            + connections
                            + " at parallelism "
                            + config.parallelism
                            + " (per subtask: the sink's writing and committing connections, four to map columns,"
                            + " follow the source's DDL and pin raw tables while rows held behind it go out; one more to"
                            + " capture new tables). Fix: raise max_connections on"
                            + " the target server, or close idle sessions");
        } else {
            out.ok(SERVER, free + " free connection(s) (needs " + connections + ")");
        }
    }

    /**
     * Prepared transactions of this pipeline that another role prepared: this role could neither
     * commit nor roll them back.
     */
    private static void strangers(PipelineConfig config, Connection conn, Findings out)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT gid, owner FROM pg_prepared_xacts WHERE database = current_database()"
                                + " AND owner <> current_user AND starts_with(gid, ?)"
                                + " AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")) {
            ps.setString(1, "flink-elt:" + TransactionName.pipelineOf(config) + ":");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.fail(
                            SERVER,
                            "prepared transaction "
                                    + rs.getString(1)
                                    + " of this pipeline belongs to role "
                                    + Identifiers.quote(rs.getString(2))
                                    + "; only that role or a superuser can commit or roll it back. Fix: run"
                                    + " the pipeline as that role, or have it finish the transaction (COMMIT"
                                    + " PREPARED when its checkpoint completed, else ROLLBACK PREPARED)");
                }
            }
        }
    }

    /**
     * Each source type the warehouse does not have: an extension's it must install (or, with
     * target.missing-types: text, land as text), or one the role makes and so must be allowed to
     * make in its schema.
     */
    private static void types(
            PipelineConfig config,
            Connection conn,
            List<TableSchema> tables,
            List<UserType> userTypes,
            Findings out)
            throws SQLException {
        Set<String> missing = new HashSet<>();
        int made = 0;
        for (UserType t : userTypes) {
            if (RawTables.typeExists(conn, t)) {
                continue;
            }
            if (!t.creatable() || t.dependsOn().stream().anyMatch(missing::contains)) {
                missing.add(t.quotedName());
                String text = RawTables.missingType(t, tables).getMessage();
                if (config.missingTypesAsText) {
                    out.warn(
                            SERVER,
                            "type "
                                    + t.quotedName()
                                    + " is missing; its columns land as text (target.missing-types: text)."
                                    + " To keep the type: "
                                    + t.fix());
                } else {
                    out.fail(SERVER, text);
                }
                continue;
            }
            Findings schema = new Findings();
            Schemas.check(conn, t.schema(), "type " + t.quotedName(), SERVER, schema);
            if (!schema.failed()) {
                made++;
            } else {
                missing.add(t.quotedName());
                out.fail(
                        SERVER,
                        "type "
                                + t.quotedName()
                                + " of the source must be made in the warehouse, and this role may not make"
                                + " it there. Fix: as a user who may, on the warehouse: "
                                + t.createStatement()
                                + "; (or let this role create in schema "
                                + Identifiers.quote(t.schema())
                                + ")");
            }
        }
        if (!userTypes.isEmpty()) {
            out.ok(
                    SERVER,
                    userTypes.size()
                            + " source type(s) not built in: "
                            + (userTypes.size() - missing.size() - made)
                            + " present, "
                            + made
                            + " made at the start, "
                            + missing.size()
                            + " missing");
        }
    }
}
