package dev.flinkelt.track;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.PipelineException;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.TableSchema;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Starts the first snapshot of a fresh start: makes the replication slot (anew, if an earlier run
 * that left no checkpoint made one), then requests every table in one source transaction through
 * the signal table, so the requests are the first thing the job streams from the slot and the
 * tables are read in stream order while changes flow (see track.Snapshotter). The slot's {@code
 * restart_lsn} goes with each request as the lowest {@code _lsn} a snapshot row may take: every
 * change the slot streams lies above it, so a snapshot row never sorts after a change it did not
 * see.
 */
public final class FirstSnapshot {
    private FirstSnapshot() {}

    /**
     * Returns the slot's start position. {@code reloaded}: tables whose raw tables hold rows of an
     * earlier slot (a fresh start after the slot was lost): their raw rows end with a {@code t} row
     * and a new generation of snapshot rows follows, so keys deleted while nothing was captured do
     * not live on in the state derived from raw.
     */
    public static long request(
            PipelineConfig config,
            List<TableSchema> tables,
            Set<TableRef> reloaded,
            PrintStream out) {
        try (Connection conn = Connections.open(config.source, "source")) {
            if (!Connections.rows(
                            conn,
                            "SELECT 1 FROM pg_replication_slots WHERE slot_name = "
                                    + Identifiers.literal(config.slot))
                    .isEmpty()) {
                // this pipeline's (SourcePreparer checked); dropped only while no process reads it,
                // in the same statement
                if (Connections.rows(
                                conn,
                                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = "
                                        + Identifiers.literal(config.slot)
                                        + " AND NOT active")
                        .isEmpty()) {
                    throw new ConfigException(
                            "replication slot '"
                                    + config.slot
                                    + "' is being read by another process; a fresh start"
                                    + " would make it anew. Stop the process that reads it (see pg_replication_slots.active_pid), then start again");
                }
                out.println(
                        "dropped replication slot '"
                                + config.slot
                                + "' of an earlier run that left no checkpoint; a fresh start"
                                + " makes it anew and reads every table again");
            }
            List<String> blockers =
                    Connections.rows(
                            conn,
                            "SELECT 'process ' || pid FROM pg_stat_activity WHERE backend_xid IS NOT NULL"
                                    + " AND pid <> pg_backend_pid() UNION ALL SELECT 'prepared transaction ' || gid FROM pg_prepared_xacts");
            if (!blockers.isEmpty()) {
                out.println(
                        "making replication slot '"
                                + config.slot
                                + "' waits for the transactions running on the source to end: "
                                + String.join(
                                        ", ", blockers.subList(0, Math.min(5, blockers.size())))
                                + (blockers.size() > 5 ? ", ..." : ""));
            }
            // PostgreSQL 17 on: a failover slot, which standbys that sync slots keep, so the
            // pipeline goes on from a promoted standby without a new snapshot
            boolean failover = conn.getMetaData().getDatabaseMajorVersion() >= 17;
            try (PreparedStatement ps =
                    conn.prepareStatement(
                            failover
                                    ? "SELECT pg_create_logical_replication_slot(?, 'pgoutput', false, false, true)"
                                    : "SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                ps.setString(1, config.slot);
                ps.execute();
            }
            long start;
            try (PreparedStatement ps =
                    conn.prepareStatement(
                            "SELECT (restart_lsn - '0/0')::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
                ps.setString(1, config.slot);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    start = rs.getLong(1);
                }
            }
            conn.setAutoCommit(false);
            if (!config.signals.messages()) {
                try (PreparedStatement ps =
                        conn.prepareStatement(
                                "DELETE FROM "
                                        + config.signalTable.quoted()
                                        + " WHERE \"slot\" = ?")) {
                    // marks and requests of earlier runs: their slot is gone
                    ps.setString(1, config.slot);
                    ps.executeUpdate();
                }
            }
            for (TableSchema t : tables) {
                if (reloaded.contains(t.ref())) {
                    // as a table captured anew: a t row at the request, then its rows
                    Signals.send(
                            conn,
                            config.signals,
                            config.slot,
                            Signals.CAPTURE,
                            t.ref().dotted(),
                            Signals.RECAPTURE);
                } else {
                    Signals.send(
                            conn,
                            config.signals,
                            config.slot,
                            Signals.SNAPSHOT,
                            t.ref().dotted(),
                            Long.toString(start));
                }
            }
            conn.commit();
            return start;
        } catch (SQLException e) {
            throw new PipelineException(
                    "source "
                            + config.source
                            + ": cannot start the first snapshot (SQLSTATE "
                            + e.getSQLState()
                            + "): "
                            + e.getMessage(),
                    e);
        }
    }
}
