package dev.flinkelt.track;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.pg.UserType;
import dev.flinkelt.raw.RawColumns;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the source server before the job starts (each failure says the fix) and makes the
 * publication for exactly the captured tables. Returns what the job needs to know of the captured
 * tables.
 */
public final class SourcePreparer {
    private final PipelineConfig config;

    public SourcePreparer(PipelineConfig config) {
        this.config = config;
    }

    /**
     * {@code snapshotLsn}: the WAL position now, before the snapshot starts; {@code chunkSize}:
     * rows per snapshot chunk; {@code signal}: the signal table (captured too, but it has no raw
     * table), null when signals are messages.
     */
    public record Result(
            List<TableSchema> tables,
            List<UserType> userTypes,
            long snapshotLsn,
            int chunkSize,
            TableSchema signal) {}

    /**
     * {@code fresh}: no checkpoint or savepoint to resume from (the publication is then set to
     * exactly the tables).
     */
    public Result prepare(boolean fresh) {
        try (Connection conn = Connections.open(config.source, "source")) {
            checkWalLevel(conn);
            checkReplicationPrivilege(conn);
            checkSlot(conn);
            SourceCatalog catalog = new SourceCatalog(conn);
            List<TableRef> refs = catalog.capturedTables(config.tables, true, config.signalTable);
            List<TableSchema> tables = new ArrayList<>();
            for (TableRef ref : refs) {
                tables.add(catalog.describe(ref, config.keyColumnsFor(ref), RawColumns.METADATA));
            }
            TableSchema signal = config.signals.messages() ? null : signalTable(conn, catalog);
            if (config.signals.messages()) {
                checkMessages(conn);
            }
            List<TableRef> left =
                    Publications.ensure(
                            conn,
                            config.publication,
                            tables,
                            config.slot,
                            config.signals.messages() ? null : config.signalTable,
                            fresh);
            // captured once the publication holds them (track.Discovery)
            tables.removeIf(t -> left.contains(t.ref()));
            return new Result(
                    tables,
                    catalog.userTypes(),
                    currentLsn(conn),
                    SnapshotChunks.choose(conn, tables, config.snapshotChunkSize),
                    signal);
        } catch (SQLException e) {
            throw new ConfigException("source " + config.source + ": " + e.getMessage(), e);
        }
    }

    private TableSchema signalTable(Connection conn, SourceCatalog catalog) throws SQLException {
        // made only when missing: CREATE TABLE IF NOT EXISTS needs CREATE on the schema even when
        // the table exists
        boolean exists = catalog.exists(config.signalTable);
        try (Statement st = conn.createStatement()) {
            if (!exists) {
                st.execute(Signals.createStatement(config.signalTable));
            }
        } catch (SQLException e) {
            throw new ConfigException(
                    "cannot create the signal table "
                            + config.signalTable
                            + " on the source ("
                            + e.getMessage()
                            + "). It carries re-snapshot requests and the marks of one-table snapshots. Fix: create it as a user who may: "
                            + Signals.createStatement(config.signalTable)
                            + "; grant this pipeline's user SELECT, INSERT, DELETE"
                            + " on it; or name another table in source.signal-table",
                    e);
        }
        return catalog.describe(config.signalTable, List.of(), RawColumns.METADATA);
    }

    /**
     * Signals are logical decoding messages: pgoutput streams them from PostgreSQL 14 on, and the
     * user must be allowed to write them.
     */
    private void checkMessages(Connection conn) throws SQLException {
        int version = Integer.parseInt(Connections.setting(conn, "server_version_num"));
        if (version < 140000) {
            throw new ConfigException(
                    "source server runs PostgreSQL "
                            + version / 10000
                            + ", whose pgoutput cannot stream logical decoding messages (PostgreSQL 14"
                            + " can). Fix: set source.signals: table (the pipeline then writes its"
                            + " snapshot marks into the signal table "
                            + config.signalTable
                            + "), or upgrade the source");
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
            if (!found || !rs.getBoolean(2)) {
                String signature =
                        found
                                ? "pg_catalog." + rs.getString(1)
                                : "pg_catalog.pg_logical_emit_message(boolean, text, bytea)";
                throw new ConfigException(
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
    }

    /** The source server's current WAL position, as a number. */
    public static long currentLsn(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT (pg_current_wal_lsn() - '0/0')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void checkWalLevel(Connection conn) throws SQLException {
        String level = Connections.setting(conn, "wal_level");
        if (!"logical".equals(level)) {
            throw new ConfigException(
                    "source server has wal_level = "
                            + level
                            + "; change data capture needs wal_level = logical."
                            + " Fix: ALTER SYSTEM SET wal_level = logical; then restart the source PostgreSQL server");
        }
        // one slot and one WAL sender: the stream; snapshots are read over ordinary connections
        int slots = Integer.parseInt(Connections.setting(conn, "max_replication_slots"));
        if (slots < 1) {
            throw new ConfigException(
                    "source server has max_replication_slots = 0; this pipeline needs a slot."
                            + " Fix: ALTER SYSTEM SET max_replication_slots = 10; then restart the source server");
        }
        int senders = Integer.parseInt(Connections.setting(conn, "max_wal_senders"));
        if (senders < 1) {
            throw new ConfigException(
                    "source server has max_wal_senders = 0; this pipeline needs one."
                            + " Fix: ALTER SYSTEM SET max_wal_senders = 10; then restart the source server");
        }
    }

    private void checkReplicationPrivilege(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
            if (!rs.next() || !rs.getBoolean(1)) {
                throw new ConfigException(
                        "source user '"
                                + config.source.username()
                                + "' lacks the REPLICATION privilege."
                                + " Fix: ALTER ROLE "
                                + Identifiers.quote(config.source.username())
                                + " WITH REPLICATION;");
            }
        }
    }

    /**
     * How long a slot may stay active before the start is refused: a crashed run's walsender can
     * take a moment to go.
     */
    private static final long SLOT_RELEASE_MILLIS = 15_000;

    private void checkSlot(Connection conn) throws SQLException {
        long deadline = System.currentTimeMillis() + SLOT_RELEASE_MILLIS;
        while (true) {
            try {
                checkSlotOnce(conn);
                return;
            } catch (SlotActive e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static final class SlotActive extends ConfigException {
        SlotActive(String message) {
            super(message);
        }
    }

    private void checkSlotOnce(Connection conn) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT active, active_pid, plugin, database FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, config.slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                String other =
                        Publications.publicationOfSlot(conn, config.slot, config.publication);
                if (other != null) {
                    throw new ConfigException(
                            "replication slot '"
                                    + config.slot
                                    + "' belongs to another flink-elt pipeline (the one with"
                                    + " publication '"
                                    + other
                                    + "'); reading it would take that pipeline's position and lose its changes."
                                    + " Fix: give this pipeline its own source.slot, or, if that pipeline is gone, drop its publication "
                                    + other);
                }
                if (rs.getBoolean(1)) {
                    throw new SlotActive(
                            "replication slot '"
                                    + config.slot
                                    + "' is active (used by process "
                                    + rs.getInt(2)
                                    + "): another pipeline or client is reading it. Stop that pipeline, or give this one its own source.slot");
                }
                if (!"pgoutput".equals(rs.getString(3))
                        || !config.source.database().equals(rs.getString(4))) {
                    throw new ConfigException(
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
                }
            }
        }
    }
}
