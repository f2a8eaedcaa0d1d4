package dev.flinkelt.track;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Findings;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.pg.Tls;
import dev.flinkelt.pg.UserType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Every precondition on the source server, each as a finding with its fix: the connection's TLS,
 * the server's settings, the role's privileges, the slot, the signal route, each captured table
 * ({@link TableAccess}) and the publication ({@link PublicationCheck}). Reads only: running it
 * changes nothing on the server.
 */
public final class SourceCheck {
    static final String SERVER = "source";

    /** What was found, and the captured tables and their types as far as they could be read. */
    public record Result(Findings findings, List<TableSchema> tables, List<UserType> userTypes) {}

    private final PipelineConfig config;
    private final Connection conn;
    private final boolean resuming;
    private final Findings out = new Findings();

    private SourceCheck(PipelineConfig config, Connection conn, boolean resuming) {
        this.config = config;
        this.conn = conn;
        this.resuming = resuming;
    }

    /**
     * {@code resuming}: the run starts from a checkpoint or savepoint, so its slot must exist (a
     * fresh start makes it).
     */
    public static Result run(PipelineConfig config, Connection conn, boolean resuming)
            throws SQLException {
        return new SourceCheck(config, conn, resuming).run();
    }

    private Result run() throws SQLException {
        Tls.check(conn, config.source, SERVER, out);
        settings();
        replicationPrivilege();
        slot();
        FailoverCheck.check(conn, config, out);
        if (config.signals.messages()) {
            messages();
        } else {
            signalTable();
        }
        SourceCatalog catalog = new SourceCatalog(conn);
        List<TableRef> refs;
        try {
            refs = catalog.capturedTables(config.tables, true, config.signalTable);
        } catch (ConfigException e) {
            out.fail(SERVER, e.getMessage());
            return new Result(out, List.of(), List.of());
        }
        List<TableSchema> tables = TableAccess.check(conn, config, catalog, refs, out);
        PublicationCheck.check(conn, config, tables, resuming, out);
        return new Result(out, tables, catalog.userTypes());
    }

    private int version() throws SQLException {
        return Integer.parseInt(Connections.setting(conn, "server_version_num"));
    }

    private void settings() throws SQLException {
        String level = Connections.setting(conn, "wal_level");
        if ("logical".equals(level)) {
            out.ok(SERVER, "wal_level = logical");
        } else {
            out.fail(
                    SERVER,
                    "source server has wal_level = "
                            + level
                            + "; change data capture needs wal_level = logical."
                            + " Fix: ALTER SYSTEM SET wal_level = logical; then restart the source PostgreSQL server"
                            + " (managed servers: see the README's Least privilege section for the platform's setting)");
        }
        boolean slotExists = !Connections.rows(conn, slotQuery("1")).isEmpty();
        // one slot and one WAL sender: the stream; snapshots are read over ordinary connections
        int slots = Integer.parseInt(Connections.setting(conn, "max_replication_slots"));
        int used =
                Integer.parseInt(
                        Connections.rows(conn, "SELECT count(*) FROM pg_replication_slots").get(0));
        if (slots < 1) {
            out.fail(
                    SERVER,
                    "source server has max_replication_slots = 0; this pipeline needs a slot."
                            + " Fix: ALTER SYSTEM SET max_replication_slots = 10; then restart the source server");
        } else if (!slotExists && used >= slots) {
            out.fail(
                    SERVER,
                    "every replication slot is taken ("
                            + used
                            + " of max_replication_slots = "
                            + slots
                            + "); this pipeline needs one more. Fix: drop a slot nobody reads"
                            + " (pg_replication_slots), or raise max_replication_slots and restart the source server");
        } else {
            out.ok(SERVER, "replication slots: " + used + " of " + slots + " in use");
        }
        int senders = Integer.parseInt(Connections.setting(conn, "max_wal_senders"));
        // not counting the slot's own reader: this pipeline running, or a crashed run's walsender
        // the start waits out
        int streaming =
                Integer.parseInt(
                        Connections.rows(
                                        conn,
                                        "SELECT count(*) FROM pg_stat_replication WHERE pid IS DISTINCT FROM"
                                                + " (SELECT active_pid FROM pg_replication_slots WHERE slot_name = "
                                                + Identifiers.literal(config.slot)
                                                + ")")
                                .get(0));
        if (senders < 1) {
            out.fail(
                    SERVER,
                    "source server has max_wal_senders = 0; this pipeline needs one."
                            + " Fix: ALTER SYSTEM SET max_wal_senders = 10; then restart the source server");
        } else if (streaming >= senders) {
            out.fail(
                    SERVER,
                    "every WAL sender is busy ("
                            + streaming
                            + " of max_wal_senders = "
                            + senders
                            + "); this pipeline needs one. Fix: raise max_wal_senders and restart the source server");
        } else {
            out.ok(SERVER, "WAL senders: " + streaming + " of " + senders + " in use");
        }
        if (version() >= 130000) {
            String keep = Connections.setting(conn, "max_slot_wal_keep_size");
            if ("-1".equals(keep)) {
                out.warn(
                        SERVER,
                        "max_slot_wal_keep_size = -1: while the pipeline is stopped its slot retains WAL"
                                + " without limit, until the source's disk is full. Fix: ALTER SYSTEM SET"
                                + " max_slot_wal_keep_size = '50GB' (sized for the longest outage to bridge;"
                                + " then SELECT pg_reload_conf()); a slot past it is invalidated and the pipeline"
                                + " starts again with --fresh");
            } else {
                out.ok(SERVER, "max_slot_wal_keep_size = " + keep);
            }
        }
    }

    private void replicationPrivilege() throws SQLException {
        // RDS and Aurora grant replication through membership of rds_replication, not the
        // attribute
        List<String> r =
                Connections.rows(
                        conn,
                        "SELECT rolreplication OR rolsuper OR EXISTS (SELECT 1 FROM pg_roles g"
                                + " WHERE g.rolname = 'rds_replication' AND pg_has_role(current_user, g.oid, 'MEMBER'))"
                                + " FROM pg_roles WHERE rolname = current_user");
        if (!r.isEmpty() && "t".equals(r.get(0))) {
            out.ok(SERVER, "role '" + config.source.username() + "' may replicate");
            return;
        }
        String role = Identifiers.quote(config.source.username());
        out.fail(
                SERVER,
                "source user '"
                        + config.source.username()
                        + "' lacks the REPLICATION privilege. Fix: ALTER ROLE "
                        + role
                        + " WITH REPLICATION; (Amazon RDS and Aurora: GRANT rds_replication TO "
                        + role
                        + ";)");
    }

    private String slotQuery(String columns) {
        return "SELECT "
                + columns
                + " FROM pg_replication_slots WHERE slot_name = "
                + Identifiers.literal(config.slot);
    }

    private void slot() throws SQLException {
        boolean hasWalStatus = version() >= 130000;
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT active, active_pid, plugin, database, "
                                + (hasWalStatus ? "wal_status" : "NULL")
                                + " FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, config.slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    if (resuming) {
                        // a failover to a server the slot was not synced to, or a dropped slot: a
                        // new one would start at the current position and skip the gap silently
                        out.fail(
                                SERVER,
                                "replication slot '"
                                        + config.slot
                                        + "' does not exist, but this run resumes from a checkpoint:"
                                        + " the changes since it cannot be read (the source failed over to a"
                                        + " server without the slot, or the slot was dropped). Fix: start with"
                                        + " --fresh, which makes the slot and reads every table again (a new"
                                        + " generation of 'r' rows in raw)");
                    } else {
                        out.ok(SERVER, "slot '" + config.slot + "' is made at the first start");
                    }
                    return;
                }
                String other =
                        Publications.publicationOfSlot(conn, config.slot, config.publication);
                if (other != null) {
                    out.fail(
                            SERVER,
                            "replication slot '"
                                    + config.slot
                                    + "' belongs to another flink-elt pipeline (the one with"
                                    + " publication '"
                                    + other
                                    + "'); reading it would take that pipeline's position and lose its changes."
                                    + " Fix: give this pipeline its own source.slot, or, if that pipeline is gone, drop its publication "
                                    + other);
                } else if (!"pgoutput".equals(rs.getString(3))
                        || !config.source.database().equals(rs.getString(4))) {
                    out.fail(
                            SERVER,
                            "replication slot '"
                                    + config.slot
                                    + "' exists for plugin "
                                    + rs.getString(3)
                                    + " on database "
                                    + rs.getString(4)
                                    + ", not pgoutput on "
                                    + config.source.database()
                                    + ". Choose another source.slot,"
                                    + " or drop it: SELECT pg_drop_replication_slot('"
                                    + config.slot
                                    + "');");
                } else if ("lost".equals(rs.getString(5)) && !resuming) {
                    out.ok(
                            SERVER,
                            "replication slot '"
                                    + config.slot
                                    + "' was invalidated (wal_status = lost); this fresh start makes it anew"
                                    + " and reads every table again");
                } else if ("lost".equals(rs.getString(5))) {
                    out.fail(
                            SERVER,
                            "replication slot '"
                                    + config.slot
                                    + "' was invalidated (wal_status = lost: the server removed WAL it had"
                                    + " not yet streamed, see max_slot_wal_keep_size); changes after its position are gone."
                                    + " Fix: start extract-load with --fresh, which makes a new slot and copies every table again");
                } else if (rs.getBoolean(1)) {
                    out.warn(
                            SERVER,
                            "replication slot '"
                                    + config.slot
                                    + "' is being read (by process "
                                    + rs.getInt(2)
                                    + "): this pipeline running, or another client. A start waits"
                                    + " a few seconds for it, then refuses");
                } else {
                    out.ok(
                            SERVER,
                            "slot '"
                                    + config.slot
                                    + "' exists"
                                    + (hasWalStatus
                                            ? " (wal_status " + rs.getString(5) + ")"
                                            : ""));
                }
            }
        }
    }

    /**
     * Signals are logical decoding messages: pgoutput streams them from PostgreSQL 14 on, and the
     * user must be allowed to write them.
     */
    private void messages() throws SQLException {
        int version = version();
        if (version < 140000) {
            out.fail(
                    SERVER,
                    "source server runs PostgreSQL "
                            + version / 10000
                            + ", whose pgoutput cannot stream logical decoding messages (PostgreSQL 14"
                            + " can). Fix: set source.signals: table (the pipeline then writes its"
                            + " snapshot marks into the signal table "
                            + config.signalTable
                            + "), or upgrade the source");
            return;
        }
        try (Statement st = conn.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                // the bytea form, whatever its arguments after the content (17
                                // added flush, with a default)
                                "SELECT p.oid::regprocedure::text, has_function_privilege(p.oid, 'EXECUTE')"
                                        + " FROM pg_proc p WHERE p.proname = 'pg_logical_emit_message'"
                                        + " AND p.pronamespace = 'pg_catalog'::regnamespace"
                                        + " AND p.proargtypes[2] = 'bytea'::regtype")) {
            boolean found = rs.next();
            if (found && rs.getBoolean(2)) {
                out.ok(
                        SERVER,
                        "snapshot marks and requests travel as logical decoding messages; nothing is"
                                + " written to the source's tables");
                return;
            }
            String signature =
                    found
                            ? "pg_catalog." + rs.getString(1)
                            : "pg_catalog.pg_logical_emit_message(boolean, text, bytea)";
            out.fail(
                    SERVER,
                    "source user '"
                            + config.source.username()
                            + "' may not call pg_logical_emit_message, which carries the pipeline's"
                            + " snapshot marks and requests through the change stream. Fix: GRANT EXECUTE ON"
                            + " FUNCTION "
                            + signature
                            + " TO "
                            + Identifiers.quote(config.source.username())
                            + "; or set source.signals: table (marks then go into the signal table "
                            + config.signalTable
                            + ")");
        }
    }

    /** The signal table: the role must make it (or find it) and write it. */
    private void signalTable() throws SQLException {
        TableRef t = config.signalTable;
        List<String> r =
                Connections.rows(
                        conn,
                        // by name: to_regclass fails on a schema without USAGE
                        "SELECT has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT')"
                                + " AND has_table_privilege(c.oid, 'INSERT') AND has_table_privilege(c.oid, 'DELETE')"
                                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                                + Identifiers.literal(t.schema())
                                + " AND c.relname = "
                                + Identifiers.literal(t.table()));
        boolean mayCreate =
                "t"
                        .equals(
                                Connections.rows(
                                                conn,
                                                "SELECT coalesce(has_schema_privilege(n.oid, 'CREATE'), false)"
                                                        + " FROM (SELECT NULL) x LEFT JOIN pg_namespace n ON n.nspname = "
                                                        + Identifiers.literal(t.schema()))
                                        .get(0));
        if (r.isEmpty() ? mayCreate : "t".equals(r.get(0))) {
            out.ok(
                    SERVER,
                    "signal table "
                            + t
                            + (r.isEmpty() ? " is made at the first start" : " is writable"));
            return;
        }
        out.fail(
                SERVER,
                "source.signals: table needs the signal table "
                        + t
                        + ", which this role "
                        + (r.isEmpty() ? "may not create" : "may not read and write")
                        + ". Fix: as a user who may: "
                        + (r.isEmpty() ? Signals.createStatement(t) + "; " : "")
                        + "GRANT SELECT, INSERT, DELETE ON "
                        + t.quoted()
                        + " TO "
                        + Identifiers.quote(config.source.username())
                        + "; or use source.signals: messages (PostgreSQL 14+), which needs no table");
    }
}
