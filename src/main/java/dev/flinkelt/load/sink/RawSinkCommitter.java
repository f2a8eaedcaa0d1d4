package dev.flinkelt.load.sink;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.SqlErrors;

import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code COMMIT PREPARED} for each transaction whose checkpoint has completed, on a connection of
 * its own (COMMIT PREPARED cannot run inside the writer's open transaction). A gid that no longer
 * exists was committed before: a restored checkpoint lists transactions that may have been
 * committed after it was taken.
 */
final class RawSinkCommitter implements Committer<PreparedTransaction> {
    private static final Logger LOG = LoggerFactory.getLogger(RawSinkCommitter.class);
    private final PgEndpoint target;
    private final LoadMetrics metrics;

    /** The gauge of this pipeline's oldest prepared transaction (subtask 0 only), or null. */
    private final PreparedAge prepared;

    private Connection conn;

    /** Transactions a restored writer was finishing when this tried them. */
    private final Set<String> busy = new HashSet<>();

    RawSinkCommitter(PgEndpoint target, LoadMetrics metrics, PreparedAge prepared) {
        this.target = target;
        this.metrics = metrics;
        this.prepared = prepared;
    }

    @Override
    public void commit(Collection<CommitRequest<PreparedTransaction>> requests) throws IOException {
        for (CommitRequest<PreparedTransaction> r : requests) {
            String gid = r.getCommittable().gid();
            try {
                if (conn == null) {
                    conn = Connections.forJob(target, "target", "flink-elt committer");
                }
                try (Statement st = conn.createStatement()) {
                    st.execute("COMMIT PREPARED " + Identifiers.literal(gid));
                }
                metrics.visible(r.getCommittable().loaded(), System.currentTimeMillis());
            } catch (SQLException e) {
                if (PreparedTransactions.BUSY.equals(e.getSQLState())) {
                    // a restored writer finishes it right now (see RestoredTransactions)
                    busy.add(gid);
                    r.retryLater();
                    continue;
                }
                if ("42704".equals(e.getSQLState())) {
                    LOG.info(
                            "prepared transaction {} was committed before (its checkpoint was restored)",
                            gid);
                    // not counted: a restore commits the restored checkpoint's transactions again,
                    // and the run before counted those it committed; but one the restored writer
                    // committed while this waited (busy) was counted by nobody
                    if (busy.remove(gid)) {
                        metrics.visible(r.getCommittable().loaded(), System.currentTimeMillis());
                    }
                    continue;
                }
                close();
                // failing the task restores the last checkpoint, whose committables are committed
                // again
                throw SqlErrors.failure("COMMIT PREPARED " + gid + " failed", e);
            }
        }
    }

    @Override
    public void close() {
        if (prepared != null) {
            prepared.close();
        }
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
            conn = null;
        }
    }
}
