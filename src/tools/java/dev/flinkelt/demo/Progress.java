package dev.flinkelt.demo;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.raw.RawTables;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Prints what the pipeline has loaded: snapshot rows per table, then changes/s and replication lag.
 */
final class Progress {
    private final PipelineConfig config;
    private final List<TableSchema> tables;
    private final Connection source;
    private final Connection target;
    private final PrintStream out;
    private final long startedNanos = System.nanoTime();
    private long lastChanges = -1;
    private long lastNanos;
    private long snapshotDoneNanos = -1;
    private final long sourceRows;

    Progress(
            PipelineConfig config,
            List<TableSchema> tables,
            Connection source,
            Connection target,
            PrintStream out)
            throws SQLException {
        this.config = config;
        this.tables = tables;
        this.source = source;
        this.target = target;
        this.out = out;
        this.sourceRows = sourceRows();
    }

    boolean snapshotDone() {
        return snapshotDoneNanos >= 0;
    }

    void report(long generated) throws SQLException {
        StringBuilder line = new StringBuilder();
        long snapshot = 0, changes = 0;
        for (TableSchema t : tables) {
            try (Statement st = target.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT count(*) FILTER (WHERE \"_op\" = 'r'), count(*) FILTER (WHERE \"_op\" <> 'r') FROM "
                                            + RawTables.qualified(config.rawSchema, t))) {
                rs.next();
                snapshot += rs.getLong(1);
                changes += rs.getLong(2);
                line.append(String.format("%s=%d ", t.ref().table(), rs.getLong(1)));
            }
        }
        long now = System.nanoTime();
        double secs = (now - startedNanos) / 1e9;
        if (snapshotDoneNanos < 0 && snapshot >= sourceRows) {
            snapshotDoneNanos = now;
            out.printf(
                    "[%5.0fs] snapshot complete: %d rows at %.0f rows/s%n",
                    secs, snapshot, snapshot / secs);
        }
        if (snapshotDoneNanos < 0) {
            out.printf(
                    "[%5.0fs] snapshot rows loaded: %s(%d of %d)%n",
                    secs, line, snapshot, sourceRows);
        } else {
            double rate = lastChanges < 0 ? 0 : (changes - lastChanges) / ((now - lastNanos) / 1e9);
            out.printf(
                    "[%5.0fs] changes loaded: %d (%.0f/s), generated: %d, slot lag: %s%n",
                    secs, changes, rate, generated, slotLag());
            lastChanges = changes;
            lastNanos = now;
        }
    }

    /**
     * Rows in the source before changes start: the snapshot is complete once that many rows were
     * read.
     */
    private long sourceRows() throws SQLException {
        long n = 0;
        for (TableSchema t : tables) {
            try (Statement st = source.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t.ref().quoted())) {
                rs.next();
                n += rs.getLong(1);
            }
        }
        return n;
    }

    private String slotLag() throws SQLException {
        try (PreparedStatement ps =
                source.prepareStatement(
                        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, config.slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? String.format("%.1f kB", rs.getDouble(1) / 1024) : "n/a";
            }
        }
    }
}
