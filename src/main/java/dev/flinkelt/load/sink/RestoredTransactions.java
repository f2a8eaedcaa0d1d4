package dev.flinkelt.load.sink;

import dev.flinkelt.load.sink.CommitLedger.Presence;

import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A restored writer's reckoning with the warehouse: the transactions the restored checkpoint names
 * must be committed or still prepared there. Prepared ones of completed checkpoints are committed;
 * lost ones (the warehouse's new primary never received them) have their rows read again: the first
 * writer to find a loss asks the pipeline to read every table again, once per restored checkpoint.
 * Never silent: an ERROR names the lost transactions and what was requested.
 */
final class RestoredTransactions {
    private static final Logger LOG = LoggerFactory.getLogger(RestoredTransactions.class);

    private RestoredTransactions() {}

    /**
     * Settles the transactions of checkpoint {@code restored}: {@code named} are the ones the
     * writer state hands this writer, {@code oldSubtasks} the earlier writers whose prepared
     * transactions it finishes. Returns the named transactions still standing (the writer names
     * them again until it commits one of its own); {@code conn} is in auto-commit.
     */
    static List<String> settle(
            Connection conn,
            RawSink sink,
            CommitLedger ledger,
            long restored,
            IntPredicate oldSubtasks,
            Collection<String> named,
            Counter lostCounter)
            throws SQLException {
        int committed =
                PreparedTransactions.commitCompleted(conn, sink.pipeline, restored, oldSubtasks);
        if (committed > 0) {
            LOG.info(
                    "committed {} prepared transaction(s) of checkpoints up to {} that no committer"
                            + " listed (their COMMIT PREPARED was lost in a warehouse failover)",
                    committed,
                    restored);
        }
        List<String> standing = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (String gid : named) {
            (ledger.find(conn, gid) == Presence.LOST ? lost : standing).add(gid);
        }
        if (lost.isEmpty()) {
            return standing;
        }
        lostCounter.inc(lost.size());
        conn.setAutoCommit(false);
        try {
            if (ledger.claimRepair(conn, restored)) {
                String requested = sink.repair.readEveryTableAgain(conn);
                conn.commit();
                LOG.error(
                        "the warehouse lacks {} transaction(s) this pipeline committed at or before"
                                + " checkpoint {} ({}): it failed over to a standby that had not"
                                + " received them, and their rows are gone from raw. The source has"
                                + " moved past their changes, so {} read again into a new generation;"
                                + " run verify once that snapshot is done. A synchronous standby"
                                + " (synchronous_standby_names) loses nothing",
                        lost.size(),
                        restored,
                        lost,
                        requested);
            } else {
                conn.rollback();
                LOG.error(
                        "the warehouse lacks {} transaction(s) this pipeline committed at or before"
                                + " checkpoint {} ({}); another writer, or an earlier attempt of this"
                                + " run, already requested every table again",
                        lost.size(),
                        restored,
                        lost);
            }
        } catch (SQLException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(true);
        }
        return standing;
    }
}
