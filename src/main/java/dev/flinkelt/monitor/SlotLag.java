package dev.flinkelt.monitor;

import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.pg.Connections;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The metric {@code slotLagBytes}: how much WAL the source server keeps for this pipeline's
 * replication slot ({@code pg_current_wal_lsn() - confirmed_flush_lsn}). It grows while the job is
 * behind or its checkpoints do not complete, and is what fills the source's disk when a pipeline
 * stops. With {@code max_slot_wal_keep_size} set (PostgreSQL 13+), {@code slotSafeWalBytes} is what
 * may still be written before the server invalidates the slot (-1: no limit, or unknown), and a
 * warning is logged when the slot holds 80 % of the limit: past it the changes since are lost and
 * the pipeline needs {@code --fresh}. Asked at most every 5 s, on one connection.
 */
public final class SlotLag implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SlotLag.class);
    static final long MAX_AGE_MILLIS = 5_000;

    private final PgEndpoint source;
    private final String slot;
    private transient Connection conn;
    private transient long value = -1;
    private transient long safe = -1;
    private transient int status = -1;
    private transient boolean warned;
    private transient long readAt;

    public SlotLag(PgEndpoint source, String slot) {
        this.source = source;
        this.slot = slot;
    }

    public void register(MetricGroup group) {
        group.gauge("slotLagBytes", (Gauge<Long>) this::bytes);
        group.gauge("slotSafeWalBytes", (Gauge<Long>) this::safeBytes);
        group.gauge("slotWalStatus", (Gauge<Integer>) this::walStatus);
    }

    /**
     * {@code pg_replication_slots.wal_status} as a number: 0 reserved, 1 extended, 2 unreserved
     * (the next server checkpoint invalidates the slot), 3 lost; -1 unknown or before PostgreSQL
     * 13.
     */
    public synchronized int walStatus() {
        bytes();
        return status;
    }

    /** What may still be written before the slot is invalidated; -1 without a limit or unknown. */
    public synchronized long safeBytes() {
        bytes();
        return safe;
    }

    /** The lag in bytes, or -1 when the server cannot be asked (the job's own errors say why). */
    public synchronized long bytes() {
        long now = System.currentTimeMillis();
        if (now - readAt < MAX_AGE_MILLIS && readAt != 0) {
            return value;
        }
        readAt = now;
        try {
            if (conn == null || conn.isClosed()) {
                conn = Connections.open(source, "source");
            }
            boolean limits = conn.getMetaData().getDatabaseMajorVersion() >= 13;
            try (PreparedStatement ps =
                    conn.prepareStatement(
                            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, "
                                    + (limits
                                            ? "safe_wal_size, wal_status, pg_size_bytes(current_setting('max_slot_wal_keep_size'))"
                                            : "NULL, NULL, -1")
                                    + " FROM pg_replication_slots WHERE slot_name = ?")) {
                ps.setString(1, slot);
                try (ResultSet rs = ps.executeQuery()) {
                    boolean found = rs.next();
                    value = found ? rs.getLong(1) : -1;
                    long limit = found ? rs.getLong(4) : -1;
                    boolean limited = found && rs.getObject(2) != null;
                    long left = limited ? rs.getLong(2) : -1;
                    // negative once unreserved: the next checkpoint invalidates the slot
                    safe = limited ? Math.max(left, 0) : -1;
                    String walStatus = found ? rs.getString(3) : null;
                    status =
                            walStatus == null
                                    ? -1
                                    : List.of("reserved", "extended", "unreserved", "lost")
                                            .indexOf(walStatus);
                    warnNearLimit(walStatus, limit);
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("slot lag of {} not available: {}", slot, e.getMessage());
            value = -1;
            safe = -1;
            status = -1;
            close();
        }
        return value;
    }

    /** Once per approach: the slot holds 80 % of max_slot_wal_keep_size, or was invalidated. */
    private void warnNearLimit(String walStatus, long limit) {
        if ("lost".equals(walStatus)) {
            LOG.error(
                    "replication slot {} was invalidated (max_slot_wal_keep_size exceeded): the changes"
                            + " since its position are gone; start the pipeline with --fresh",
                    slot);
            return;
        }
        boolean near =
                limit > 0 && ("unreserved".equals(walStatus) || (safe >= 0 && safe < limit / 5));
        if (near && !warned) {
            LOG.warn(
                    "replication slot {} holds {} MB of WAL, over 80 % of max_slot_wal_keep_size ({} MB):"
                            + " past the limit the server invalidates it and the pipeline needs --fresh."
                            + " The job is behind or its checkpoints fail; see its checkpoints and slotLagBytes",
                    slot, (limit - safe) >> 20, limit >> 20);
        }
        warned = near;
    }

    @Override
    public synchronized void close() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException e) {
                // closing after a failure; nothing to add
            }
            conn = null;
        }
    }
}
