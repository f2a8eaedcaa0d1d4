package dev.flinkelt.load.sink;

import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.pg.Connections;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The metric {@code oldestPreparedSeconds}: how long the oldest prepared transaction of this
 * pipeline has waited on the warehouse for its {@code COMMIT PREPARED} (0: none). Healthy, that is
 * at most a checkpoint's duration; one that stays holds its rows invisible, the transform's horizon
 * and VACUUM back. Asked at most every 5 s, on a connection of its own (the committer's is the task
 * thread's), each query given up after 3 s so a scrape never waits longer; -1 when the warehouse
 * cannot be asked.
 */
final class PreparedAge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PreparedAge.class);
    private static final long MAX_AGE_MILLIS = 5_000;

    private final PgEndpoint warehouse;
    private final String pipeline;
    private volatile Connection conn;
    private volatile boolean closed;
    private double seconds = -1;
    private long readAt;

    PreparedAge(PgEndpoint warehouse, String pipeline) {
        this.warehouse = warehouse;
        this.pipeline = pipeline;
    }

    void register(MetricGroup group) {
        group.gauge("oldestPreparedSeconds", (Gauge<Double>) this::seconds);
    }

    synchronized double seconds() {
        long now = System.currentTimeMillis();
        if (closed || (readAt != 0 && now - readAt < MAX_AGE_MILLIS)) {
            return seconds;
        }
        readAt = now;
        try {
            if (conn == null || conn.isClosed()) {
                conn = Connections.open(warehouse, "target");
            }
            double oldest = 0;
            try (Statement st = timed(conn.createStatement());
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT gid, extract(epoch FROM now() - prepared)::float8"
                                            + " FROM pg_prepared_xacts WHERE database = current_database()")) {
                while (rs.next()) {
                    String gid = rs.getString(1);
                    double age = rs.getDouble(2);
                    if (TransactionName.parse(gid)
                            .filter(t -> t.pipeline().equals(pipeline))
                            .isPresent()) {
                        oldest = Math.max(oldest, age);
                    }
                }
            }
            seconds = oldest;
        } catch (SQLException | RuntimeException e) {
            LOG.debug("prepared transactions of {} not available: {}", pipeline, e.getMessage());
            seconds = -1;
            disconnect();
        }
        return seconds;
    }

    /** A scrape must not wait on a slow warehouse: the query gives up after 3 s. */
    private static Statement timed(Statement st) throws SQLException {
        st.setQueryTimeout(3);
        return st;
    }

    /**
     * For good: a reporter that reads the gauge after this opens no connection. Not synchronized:
     * the task's shutdown must not wait for a query the reporter's thread is running.
     */
    @Override
    public void close() {
        closed = true;
        Connection c = conn;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing for good; nothing to add
            }
        }
    }

    private void disconnect() {
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
