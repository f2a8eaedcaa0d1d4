package dev.flinkelt.load.sink;

import dev.flinkelt.config.OnReject;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.pg.SqlErrors;

import org.apache.flink.metrics.Counter;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Loads batches of raw rows with COPY inside the sink's open transaction. A batch runs under one
 * savepoint; when the warehouse refuses a row, the batch is rolled back to it and loaded again
 * table by table, splitting a refused part at the line the server names (or in halves) down to
 * single rows, each part under its own savepoint. Every row the warehouse accepts is loaded; each
 * refused one is quarantined ({@link Quarantine}) or, with {@code on-reject: fail}, fails the job.
 * Errors that are not about a row (connection lost, a missing column) fail the batch as a whole:
 * the job restarts from its last checkpoint.
 */
final class BatchLoader {
    private static final Logger LOG = LoggerFactory.getLogger(BatchLoader.class);

    private final Connection conn;
    private final CopyManager copy;
    private final Quarantine quarantine;
    private final OnReject onReject;
    private final Counter rejected;
    private final CopyText text = new CopyText();

    BatchLoader(Connection conn, Quarantine quarantine, OnReject onReject, Counter rejected)
            throws SQLException {
        this.conn = conn;
        this.copy = conn.unwrap(PGConnection.class).getCopyAPI();
        this.quarantine = quarantine;
        this.onReject = onReject;
        this.rejected = rejected;
    }

    /**
     * Loads every row of {@code batch} (raw table to its rows, in arrival order) or throws; what
     * was loaded and quarantined is added to {@code loaded}.
     */
    void load(Map<RawTarget, List<ChangeEvent>> batch, LoadedRows loaded) throws IOException {
        try {
            execute("SAVEPOINT batch");
            try {
                for (Map.Entry<RawTarget, List<ChangeEvent>> b : batch.entrySet()) {
                    copy(b.getKey(), b.getValue(), 0, b.getValue().size());
                }
                // counted once all are in: a later table's refusal rolls the earlier ones back
                batch.values().forEach(rows -> loaded.loaded(rows, 0, rows.size()));
            } catch (SQLException e) {
                if (!SqlErrors.isRowLevel(e)) {
                    throw e;
                }
                execute("ROLLBACK TO SAVEPOINT batch");
                for (Map.Entry<RawTarget, List<ChangeEvent>> b : batch.entrySet()) {
                    isolate(b.getKey(), b.getValue(), 0, b.getValue().size(), loaded);
                }
            }
            execute("RELEASE SAVEPOINT batch");
        } catch (SQLException e) {
            throw SqlErrors.failure("loading a batch of raw rows failed", e);
        }
    }

    /** Loads {@code rows[from, to)} of one table, quarantining the rows the warehouse refuses. */
    private void isolate(RawTarget t, List<ChangeEvent> rows, int from, int to, LoadedRows loaded)
            throws SQLException, IOException {
        execute("SAVEPOINT part");
        try {
            copy(t, rows, from, to);
            execute("RELEASE SAVEPOINT part");
            loaded.loaded(rows, from, to);
            return;
        } catch (SQLException e) {
            if (!SqlErrors.isRowLevel(e)) {
                throw e;
            }
            execute("ROLLBACK TO SAVEPOINT part");
            execute("RELEASE SAVEPOINT part");
            if (to - from == 1) {
                refused(t, rows.get(from), e);
                loaded.quarantined(rows.get(from).table);
                return;
            }
            int line = SqlErrors.copyLine(e);
            if (line >= 1 && line <= to - from) {
                // the server names the refused line: the rows before it load as one part, the line
                // alone, the rest
                int at = from + line - 1;
                if (at > from) {
                    isolate(t, rows, from, at, loaded);
                }
                isolate(t, rows, at, at + 1, loaded);
                if (at + 1 < to) {
                    isolate(t, rows, at + 1, to, loaded);
                }
            } else {
                int mid = (from + to) >>> 1;
                isolate(t, rows, from, mid, loaded);
                isolate(t, rows, mid, to, loaded);
            }
        }
    }

    private void refused(RawTarget t, ChangeEvent e, SQLException error)
            throws SQLException, IOException {
        String what =
                "the warehouse refused a row of "
                        + t.qualified()
                        + " (key columns "
                        + t.keyColumns()
                        + ", _op "
                        + e.op
                        + ", _lsn "
                        + e.lsn
                        + ", _seq "
                        + e.seq
                        + "): "
                        + SqlErrors.describe(error);
        if (onReject == OnReject.FAIL) {
            throw new IOException(
                    what
                            + ". pipeline.on-reject is fail; fix the warehouse (or set on-reject: quarantine) and restart");
        }
        quarantine.write(conn, t, e, error);
        rejected.inc();
        LOG.warn("{}; quarantined in {} with its values", what, quarantine.name());
    }

    private void copy(RawTarget t, List<ChangeEvent> rows, int from, int to) throws SQLException {
        text.reset();
        text.append(rows, from, to, t.columns().size());
        try {
            copy.copyIn(t.copySql(), new ByteArrayInputStream(text.bytes(), 0, text.length()));
        } catch (IOException e) {
            throw new SQLException(
                    "reading a COPY buffer failed", "58030", e); // cannot happen with a byte array
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }
}
