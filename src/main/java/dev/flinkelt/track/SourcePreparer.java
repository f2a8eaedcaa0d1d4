package dev.flinkelt.track;

import dev.flinkelt.config.ConfigException;
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
 * Prepares the source server once {@link SourceCheck} found it fit: makes the publication for
 * exactly the captured tables (and the signal table, when signals are rows). Returns what the job
 * needs to know of the captured tables.
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
            awaitSlotRelease(conn);
            SourceCatalog catalog = new SourceCatalog(conn);
            List<TableRef> refs = catalog.capturedTables(config.tables, true, config.signalTable);
            List<TableSchema> tables = new ArrayList<>();
            for (TableRef ref : refs) {
                tables.add(catalog.describe(ref, config.keyColumnsFor(ref), RawColumns.METADATA));
            }
            TableSchema signal = config.signals.messages() ? null : signalTable(conn, catalog);
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

    /** The source server's current WAL position, as a number. */
    public static long currentLsn(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT (pg_current_wal_lsn() - '0/0')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * How long a slot may stay active before the start is refused: a crashed run's walsender can
     * take a moment to go.
     */
    private static final long SLOT_RELEASE_MILLIS = 15_000;

    /**
     * A crashed run's walsender can hold the slot for a moment after the run is gone: waits for it
     * (the rest of the slot was checked by {@link SourceCheck}).
     */
    private void awaitSlotRelease(Connection conn) throws SQLException {
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
                        "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ? AND active")) {
            ps.setString(1, config.slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new SlotActive(
                            "replication slot '"
                                    + config.slot
                                    + "' is active (used by process "
                                    + rs.getInt(1)
                                    + "): another pipeline or client is reading it. Stop that pipeline, or give this one its own source.slot");
                }
            }
        }
    }
}
