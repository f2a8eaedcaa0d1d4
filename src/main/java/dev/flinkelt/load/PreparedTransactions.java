package dev.flinkelt.load;

import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.Identifiers;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.flink.connector.jdbc.datasource.transactions.xa.domain.TransactionId;

/**
 * Prepared transactions a previous run of this pipeline left on the warehouse when its process died between a
 * checkpoint's PREPARE and its COMMIT. The sink commits the ones its restored checkpoint lists; it only rolls back
 * strays of its own job id, so strays of a run that died are rolled back here, before the new run starts.
 *
 * <p>A sink's transaction for checkpoint {@code c} carries the id of the checkpoint before it: one with an id
 * {@code >=} the restored checkpoint's was prepared after it and is not in the restored state (its rows will be
 * read again), so it is rolled back. Starting fresh, every one of this pipeline's prepared transactions is a stray.
 */
public final class PreparedTransactions {
    private PreparedTransactions() {}

    /** A prepared transaction of one of this pipeline's sinks. */
    record Stray(String gid, long checkpointId) {}

    /**
     * Rolls back what the run restoring {@code restoredCheckpointId} (empty: a fresh start) will not commit.
     * Returns how many it rolled back.
     */
    public static int rollBackStrays(Connection warehouse, List<TableSchema> tables, OptionalLong restoredCheckpointId, PrintStream out)
            throws SQLException {
        Set<Integer> formatIds = tables.stream().map(t -> TaggedXaConnectionProvider.formatIdFor(RawSinkFactory.sinkName(t)))
                .collect(Collectors.toSet());
        int rolledBack = 0;
        for (Stray s : find(warehouse, formatIds)) {
            if (restoredCheckpointId.isPresent() && s.checkpointId() < restoredCheckpointId.getAsLong()) {
                continue; // listed in the restored checkpoint: the sink commits it when it opens
            }
            try (Statement st = warehouse.createStatement()) {
                st.execute("ROLLBACK PREPARED " + Identifiers.literal(s.gid()));
            }
            rolledBack++;
        }
        if (rolledBack > 0) {
            out.println("rolled back " + rolledBack + " prepared transaction(s) a previous run left on the warehouse after its last"
                    + " completed checkpoint" + (restoredCheckpointId.isPresent() ? " (" + restoredCheckpointId.getAsLong() + ")" : "")
                    + "; their rows are read again");
        }
        return rolledBack;
    }

    /** This pipeline's prepared transactions in the connection's database. */
    static List<Stray> find(Connection warehouse, Set<Integer> formatIds) throws SQLException {
        List<Stray> out = new ArrayList<>();
        for (String gid : dev.flinkelt.preflight.Connections.rows(warehouse,
                "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")) {
            String[] parts = gid.split("_"); // pgjdbc writes formatId_base64(gtrid)_base64(bqual)
            if (parts.length != 3) {
                continue;
            }
            int formatId;
            try {
                formatId = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (!formatIds.contains(formatId)) {
                continue; // not ours
            }
            try {
                TransactionId id = TransactionId.restoreFromXid(TaggedXaConnectionProvider.CONNECTOR_FORMAT_ID,
                        Base64.getDecoder().decode(parts[1]), Base64.getDecoder().decode(parts[2]));
                out.add(new Stray(gid, id.getCheckpointId()));
            } catch (IOException | IllegalArgumentException e) {
                // same format id by chance, not a transaction id of the JDBC sink: leave it alone
            }
        }
        return out;
    }
}
