package dev.flinkelt.load.sink;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.raw.RawTables;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;

/**
 * The warehouse's own record of the sink's transactions ({@code <raw-schema>._sink_transactions}):
 * each transaction writes its gid there before it is prepared, so the row is visible exactly when
 * the transaction's rows are. A checkpoint names the last transaction of each writer; after a
 * restore, a named transaction that is neither recorded nor still prepared was lost — the warehouse
 * failed over to a standby that had not received it (asynchronous replication). A standby holds a
 * prefix of the primary's WAL, so when a writer's last transaction is there, so is every earlier
 * one.
 *
 * <p>The table stays small: a transaction deletes the rows of the ones it supersedes (the writer's
 * previous last transactions), and a repair leaves one row per restored checkpoint it handled.
 */
final class CommitLedger {
    static final String COMMITTED = "committed";
    static final String REPAIR = "repair";

    /** Where a transaction a checkpoint named is now. */
    enum Presence {
        /** Its row is visible: committed. */
        COMMITTED,
        /** Still prepared: the committer, or the writer's recovery, commits it. */
        PREPARED,
        /** Neither: lost with the warehouse's old primary. */
        LOST
    }

    private final String table;
    private final String pipeline;

    CommitLedger(String rawSchema, String pipeline) {
        this.table =
                Identifiers.quote(rawSchema) + "." + Identifiers.quote(RawTables.SINK_TRANSACTIONS);
        this.pipeline = pipeline;
    }

    /**
     * Inside the open transaction, before it is prepared: records it and drops the rows of {@code
     * superseded} (once it is committed, checkpoints name it instead of them).
     */
    void record(Connection conn, TransactionName name, Collection<String> superseded)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT INTO "
                                + table
                                + " (gid, pipeline, subtask, checkpoint, kind) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, name.gid());
            ps.setString(2, pipeline);
            ps.setInt(3, name.subtask());
            ps.setLong(4, name.checkpoint());
            ps.setString(5, COMMITTED);
            ps.executeUpdate();
        }
        if (!superseded.isEmpty()) {
            try (PreparedStatement ps =
                    conn.prepareStatement(
                            "DELETE FROM "
                                    + table
                                    + " WHERE gid = ANY (?) AND pipeline = ? AND kind = ?")) {
                Array gids = conn.createArrayOf("text", superseded.toArray());
                ps.setArray(1, gids);
                ps.setString(2, pipeline);
                ps.setString(3, COMMITTED);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Where {@code gid} is, on an auto-commit connection. The prepared list is read first: a
     * transaction committed meanwhile has left it only once its commit is visible to the next
     * statement's snapshot.
     */
    Presence find(Connection conn, String gid) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT count(*) FROM pg_prepared_xacts WHERE gid = ? AND database = current_database()")) {
            ps.setString(1, gid);
            if (count(ps) > 0) {
                return Presence.PREPARED;
            }
        }
        try (PreparedStatement ps =
                conn.prepareStatement("SELECT count(*) FROM " + table + " WHERE gid = ?")) {
            ps.setString(1, gid);
            return count(ps) > 0 ? Presence.COMMITTED : Presence.LOST;
        }
    }

    /**
     * Claims the repair of what the run restoring {@code checkpoint} found lost, inside the
     * connection's open transaction: true for the first writer to ask, false for the others and for
     * a restart that restores the same checkpoint again (the claim commits with the repair's
     * request, so a failed request is claimed again).
     */
    boolean claimRepair(Connection conn, long checkpoint) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT INTO "
                                + table
                                + " (gid, pipeline, subtask, checkpoint, kind) VALUES (?, ?, -1, ?, ?)"
                                + " ON CONFLICT (gid) DO NOTHING")) {
            ps.setString(1, REPAIR + ":" + pipeline + ":" + checkpoint);
            ps.setString(2, pipeline);
            ps.setLong(3, checkpoint);
            ps.setString(4, REPAIR);
            return ps.executeUpdate() > 0;
        }
    }

    private static long count(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
