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
     * not live on in the state derived from raw. {@code rawLsn}: the highest {@code _lsn} of their
     * raw rows (or -1), which the new slot must start above.
     */
    public static long request(
            PipelineConfig config,
            List<TableSchema> tables,
            Set<TableRef> reloaded,
            long rawLsn,
            PrintStream out) {
        try (Connection conn = Connections.open(config.source, "source")) {
            advancePast(conn, rawLsn, out);
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

    /** The most WAL {@link #advancePast} writes before it refuses. */
    static final long MAX_ADVANCE = 1L << 30;

    /**
     * Raw rows sort by {@code _lsn}: rows of a new slot must lie above those of the old one. After
     * a failover to a standby that was behind, the new primary's WAL position can be below rows the
     * old primary streamed; small logical messages (of no pipeline: no slot reads this prefix) move
     * it past them before the slot is made.
     */
    private static void advancePast(Connection conn, long rawLsn, PrintStream out)
            throws SQLException {
        long gap = rawLsn - insertLsn(conn);
        if (gap < 0) {
            return;
        }
        if (gap > MAX_ADVANCE) {
            throw new ConfigException(
                    "the source's WAL position is "
                            + gap
                            + " bytes below rows already in raw (it was a standby that had not received"
                            + " them when it was promoted); rows of a new slot would sort before them."
                            + " Fix: let the source write that much WAL (or wait for its own writes), then"
                            + " start afresh again");
        }
        out.println(
                "the source's WAL position is "
                        + gap
                        + " bytes below rows already in raw (a failover to a standby that was"
                        + " behind): writing that much WAL first, so the new slot's rows sort after them");
        while (insertLsn(conn) <= rawLsn) {
            try (PreparedStatement ps =
                    conn.prepareStatement(
                            "SELECT pg_logical_emit_message(false, 'flink-elt-padding', repeat(' ', ?))")) {
                ps.setInt(1, (int) Math.min(1 << 20, rawLsn - insertLsn(conn) + 1));
                ps.executeQuery().close();
            }
        }
    }

    private static long insertLsn(Connection conn) throws SQLException {
        return Long.parseLong(
                Connections.rows(conn, "SELECT (pg_current_wal_insert_lsn() - '0/0')::bigint")
                        .get(0));
    }
}
