package dev.flinkelt.transform.read;

import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Horizon;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.TextSession;
import dev.flinkelt.raw.RawTableComment;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the raw tables assigned to it, in rounds: take the horizon (every transaction below it has
 * ended), then read each table's rows from its position up to the horizon and move the position
 * there. A range below a horizon never changes again, so each row is read exactly once, whatever
 * restarts in between, and each key's rows come in load order. Reading happens in the task thread,
 * one chunk per call, so a checkpoint falls between chunks and records positions that match the
 * rows emitted.
 */
final class RawReader implements SourceReader<RowData, RawSplit> {
    /**
     * Rows per chunk (a chunk holds whole transactions, so one bigger transaction is one chunk).
     */
    static final int CHUNK_ROWS = 20_000;

    private static final Logger LOG = LoggerFactory.getLogger(RawReader.class);
    private static final String UNDEFINED_TABLE = "42P01";

    private final PgEndpoint warehouse;
    private final String rawSchema;
    private final long pollMillis;
    private final boolean bounded;
    private final Map<String, RawSplit> splits = new TreeMap<>();
    private final Map<String, List<String>> keys = new HashMap<>();
    private final ArrayDeque<RawSplit> work = new ArrayDeque<>();
    private long horizon;

    /** When the horizon last moved, and when a transaction holding it was last reported. */
    private long horizonSince = System.currentTimeMillis();

    private long lastHeldWarning;
    private static final long HELD_WARN_MILLIS = 60_000;
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = CompletableFuture.completedFuture(null);
    private ScheduledExecutorService timer;
    private Connection conn;

    private final MetricGroup metrics;
    private final Map<String, Counter> rowsRead = new HashMap<>();

    /** Age of the oldest transaction open on the warehouse at the last round, in seconds. */
    private volatile double horizonHeld;

    /**
     * {@code metrics}: {@code rowsRead} per raw table (label {@code raw_table}) and {@code
     * horizonHeldSeconds}, how long the oldest transaction open on the warehouse (prepared ones
     * included) has held the horizon: rows loaded after it are read once it ends.
     */
    RawReader(
            PgEndpoint warehouse,
            String rawSchema,
            long pollMillis,
            boolean bounded,
            MetricGroup metrics) {
        this.warehouse = warehouse;
        this.bounded = bounded;
        this.rawSchema = rawSchema;
        this.pollMillis = pollMillis;
        this.metrics = metrics;
        metrics.gauge("horizonHeldSeconds", (Gauge<Double>) () -> horizonHeld);
    }

    @Override
    public void start() {
        timer =
                Executors.newSingleThreadScheduledExecutor(
                        new ExecutorThreadFactory("raw-reader-poll"));
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RowData> output) throws Exception {
        if (work.isEmpty() && !plan()) {
            if (noMoreSplits && splits.isEmpty()) {
                return InputStatus.END_OF_INPUT;
            }
            available = new CompletableFuture<>();
            if (!bounded && !splits.isEmpty()) {
                CompletableFuture<Void> wake = available;
                timer.schedule(() -> wake.complete(null), pollMillis, TimeUnit.MILLISECONDS);
            }
            return InputStatus.NOTHING_AVAILABLE;
        }
        RawSplit s = work.poll();
        if (readChunk(s, output)) {
            work.addFirst(s);
        } else if (s.end != null) {
            splits.remove(s.table); // a bounded table read to its end
        }
        return InputStatus.MORE_AVAILABLE;
    }

    /**
     * Starts a round: queues the tables with rows below the horizon; false when there is nothing to
     * read.
     */
    private boolean plan() throws SQLException {
        if (splits.isEmpty()) {
            return false;
        }
        Connection c = connection();
        long h = RawQueries.horizon(c);
        horizonHeld = Horizon.oldestTransactionSeconds(c);
        long now = System.currentTimeMillis();
        if (h != horizon) {
            horizonSince = now;
        } else if (now - horizonSince > HELD_WARN_MILLIS
                && now - lastHeldWarning > 5 * HELD_WARN_MILLIS) {
            lastHeldWarning = now;
            for (String holder : Horizon.oldTransactions(c, HELD_WARN_MILLIS / 1000)) {
                LOG.warn(
                        "raw rows loaded after {} are read once it ends: it holds the transform's horizon (and VACUUM) back",
                        holder);
            }
        }
        c.commit();
        List<RawSplit> probe = new ArrayList<>();
        for (RawSplit s : splits.values()) {
            long upper = s.end != null ? s.end : h;
            if (s.from == RawSplit.START || (s.end != null && s.from < upper)) {
                work.add(s);
            } else if (s.from < upper) {
                probe.add(s);
            }
        }
        horizon = h;
        if (!probe.isEmpty()) {
            boolean[] rows;
            try {
                rows = RawQueries.haveRows(c, rawSchema, probe, h);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                    throw e;
                }
                work.clear();
                dropMissing(c);
                return false;
            }
            for (int i = 0; i < rows.length; i++) {
                if (rows[i]) {
                    work.add(probe.get(i));
                } else {
                    probe.get(i).from = h;
                }
            }
        }
        return !work.isEmpty();
    }

    /**
     * Stops reading raw tables that were dropped by hand (flink-elt never drops one), so the others
     * go on; the rows read from them stay in the outputs.
     */
    private void dropMissing(Connection c) throws SQLException {
        for (String t : List.copyOf(splits.keySet())) {
            if (!new SourceCatalog(c).exists(new TableRef(rawSchema, t))) {
                LOG.warn("raw table {}.{} is gone; the transform stops reading it", rawSchema, t);
                splits.remove(t);
            }
        }
        c.commit();
    }

    /**
     * Emits the next chunk of {@code s} below its upper bound; true when more of the range is left.
     */
    private boolean readChunk(RawSplit s, ReaderOutput<RowData> output) throws SQLException {
        long upper = s.end != null ? s.end : horizon;
        Connection c = connection();
        try {
            return readChunk(c, s, upper, output);
        } catch (SQLException e) {
            c.rollback();
            if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
            dropMissing(c);
            return false;
        }
    }

    private boolean readChunk(Connection c, RawSplit s, long upper, ReaderOutput<RowData> output)
            throws SQLException {
        String table = RawQueries.qualified(rawSchema, s.table);
        Long next = RawQueries.chunkEnd(c, table, s.from, upper, CHUNK_ROWS);
        long end =
                next == null
                        ? upper
                        : next == s.from
                                ? s.from + 1
                                : next; // one transaction bigger than a chunk: alone
        try (PreparedStatement ps = c.prepareStatement(RawQueries.read(table))) {
            ps.setFetchSize(2_000);
            ps.setLong(1, s.from);
            ps.setLong(2, end);
            try (ResultSet rs = ps.executeQuery()) {
                RowReader rows = new RowReader(s.table, keyOf(c, s.table), rs.getMetaData());
                long n = 0;
                while (rs.next()) {
                    output.collect(rows.row(rs));
                    n++;
                }
                rowsRead.computeIfAbsent(
                                s.table, t -> metrics.addGroup("raw_table", t).counter("rowsRead"))
                        .inc(n);
            }
        } finally {
            c.commit();
        }
        s.from = end;
        return end < upper;
    }

    /** The key columns of a raw table, from its comment (read once; a key never changes). */
    private List<String> keyOf(Connection c, String table) throws SQLException {
        List<String> key = keys.get(table);
        if (key == null) {
            RawTableComment.Parsed comment =
                    RawTableComment.read(c, RawQueries.qualified(rawSchema, table));
            key = comment == null ? List.of() : comment.key();
            keys.put(table, key);
        }
        return key;
    }

    private Connection connection() throws SQLException {
        if (conn == null) {
            conn = TextSession.open(warehouse, "flink-elt transform reader");
        }
        return conn;
    }

    @Override
    public List<RawSplit> snapshotState(long checkpointId) {
        return splits.values().stream().map(RawSplit::copy).toList();
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<RawSplit> added) {
        for (RawSplit s : added) {
            splits.put(s.table, s);
        }
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() throws Exception {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (conn != null) {
            conn.close();
        }
    }
}
