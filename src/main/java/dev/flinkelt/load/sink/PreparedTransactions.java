package dev.flinkelt.load.sink;

import dev.flinkelt.config.Identifiers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.IntPredicate;

/**
 * This pipeline's prepared sink transactions that nothing will commit: those prepared after the
 * checkpoint a run restores (their rows are read again from the slot), or all of them on a fresh
 * start. Rolled back by the client before a job starts and by each sink writer when it opens (a
 * failover restarts tasks without the client).
 *
 * <p>A transaction named {@code <= c} was prepared at or before checkpoint {@code c}'s barrier: it
 * is either committed already or listed in the committer state of checkpoint {@code c}, which
 * commits it on restore. One named {@code > c} was prepared after it and is in no restored state
 * (see {@link TransactionName}).
 */
public final class PreparedTransactions {
    private PreparedTransactions() {}

    /**
     * Rolls back this pipeline's transactions that the run restoring {@code restored} (empty: a
     * fresh start) will not commit, of the old subtasks {@code subtasks} accepts. Returns how many
     * it rolled back.
     */
    public static int rollBackStrays(
            Connection warehouse, String pipeline, OptionalLong restored, IntPredicate subtasks)
            throws SQLException {
        int n = 0;
        for (String gid : strays(warehouse, pipeline, restored, subtasks)) {
            try (Statement st = warehouse.createStatement()) {
                st.execute("ROLLBACK PREPARED " + Identifiers.literal(gid));
                n++;
            } catch (SQLException e) {
                if (!"42704".equals(e.getSQLState())) { // gone meanwhile: committed or rolled
                    // back by its owner
                    throw e;
                }
            }
        }
        return n;
    }

    /**
     * Commits this pipeline's transactions, of the old subtasks {@code subtasks} accepts, that were
     * prepared at or before checkpoint {@code restored} and are still prepared: their checkpoint
     * completed. The committer commits those its restored state lists; this finds the others — a
     * commit the warehouse lost in a failover to a standby that had the PREPARE but not the COMMIT
     * PREPARED. Returns how many it committed.
     */
    static int commitCompleted(
            Connection warehouse, String pipeline, long restored, IntPredicate subtasks)
            throws SQLException {
        int n = 0;
        for (String gid : prepared(warehouse, pipeline, subtasks)) {
            if (TransactionName.parse(gid).orElseThrow().checkpoint() > restored) {
                continue;
            }
            try (Statement st = warehouse.createStatement()) {
                st.execute("COMMIT PREPARED " + Identifiers.literal(gid));
                n++;
            } catch (SQLException e) {
                // gone meanwhile, or being committed by a committer right now
                if (!"42704".equals(e.getSQLState()) && !BUSY.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
        return n;
    }

    /** SQLSTATE of a prepared transaction another session is finishing right now. */
    static final String BUSY = "55000";

    static List<String> strays(
            Connection warehouse, String pipeline, OptionalLong restored, IntPredicate subtasks)
            throws SQLException {
        List<String> out = new ArrayList<>();
        for (String gid : prepared(warehouse, pipeline, subtasks)) {
            long checkpoint = TransactionName.parse(gid).orElseThrow().checkpoint();
            if (restored.isEmpty() || checkpoint > restored.getAsLong()) {
                out.add(gid);
            }
        }
        return out;
    }

    private static List<String> prepared(
            Connection warehouse, String pipeline, IntPredicate subtasks) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = warehouse.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")) {
            while (rs.next()) {
                String gid = rs.getString(1);
                TransactionName.parse(gid)
                        .filter(t -> t.pipeline().equals(pipeline) && subtasks.test(t.subtask()))
                        .ifPresent(t -> out.add(gid));
            }
        }
        return out;
    }
}
