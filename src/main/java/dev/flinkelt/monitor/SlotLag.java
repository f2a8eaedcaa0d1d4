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

/**
 * The metric {@code slotLagBytes}: how much WAL the source server keeps for this pipeline's
 * replication slot ({@code pg_current_wal_lsn() - confirmed_flush_lsn}). It grows while the job is
 * behind or its checkpoints do not complete, and is what fills the source's disk when a pipeline
 * stops. Asked at most every 5 s, on one connection.
 */
public final class SlotLag implements Serializable, AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SlotLag.class);
    static final long MAX_AGE_MILLIS = 5_000;

    private final PgEndpoint source;
    private final String slot;
    private transient Connection conn;
    private transient long value = -1;
    private transient long readAt;

    public SlotLag(PgEndpoint source, String slot) {
        this.source = source;
        this.slot = slot;
    }

    public void register(MetricGroup group) {
        group.gauge("slotLagBytes", (Gauge<Long>) this::bytes);
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
            try (PreparedStatement ps =
                    conn.prepareStatement(
                            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
                ps.setString(1, slot);
                try (ResultSet rs = ps.executeQuery()) {
                    value = rs.next() ? rs.getLong(1) : -1;
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("slot lag of {} not available: {}", slot, e.getMessage());
            value = -1;
            close();
        }
        return value;
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
