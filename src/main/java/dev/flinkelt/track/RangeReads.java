package dev.flinkelt.track;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.extract.Keys;
import dev.flinkelt.pg.SqlErrors;
import dev.flinkelt.pg.TableSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A snapshot window's chunks read on several connections at once ({@code snapshot-readers}). Each
 * table's share of the window is first split into key ranges: one query on the window's connection
 * walks the next rows' keys in key order (an index scan of the key alone) and returns every {@code
 * limit / readers}-th key. Then the ranges of all the window's tables are read with {@code COPY},
 * each by whichever reader is free, each reader on its own connection.
 *
 * <p>This leaves the window's argument as it is (see {@link Snapshotter}): every select still runs
 * after the low mark committed and before the high mark is written, so a change between the marks
 * drops the key's selected row whichever connection read it, and the ranges, bounded by key values
 * and closed at their upper end, take every row of the window's keys once (rows sharing a
 * configured key never straddle two ranges). A window holds about as many rows as one reader's
 * would: the split counts the rows it finds, not rows with a NULL in a configured key nor rows
 * written since, which a table's last range reads too.
 */
final class RangeReads {
    /**
     * The rows after {@code lower} (null: from the first key) up to and including {@code upper}
     * (null: to the table's end, and for configured key columns the rows with a NULL in the key).
     */
    record Range(String[] lower, String[] upper) {}

    /**
     * A table's next rows as ranges: how many rows the split counted, whether they reach the
     * table's end, and otherwise the key the next window starts after.
     */
    record Plan(List<Range> ranges, long rows, boolean last, String[] next) {}

    /** One table's share of the window, and what became of its reads. */
    static final class Part {
        final SnapshotProgress.Request request;
        final TableSchema table;
        final boolean primaryKey;
        final String[] columns;
        final String[] types;
        final String[] typeNames;
        final Plan plan;
        final ChunkReader.Copied[] copied;
        private volatile SQLException failed;

        Part(
                SnapshotProgress.Request request,
                TableSchema table,
                boolean primaryKey,
                String[] columns,
                String[] types,
                Plan plan) {
            this.request = request;
            this.table = table;
            this.primaryKey = primaryKey;
            this.columns = columns;
            this.types = types;
            this.typeNames = Keys.typeNames(types);
            this.plan = plan;
            this.copied = new ChunkReader.Copied[plan.ranges().size()];
        }

        /** The first read of the table that failed, or null. */
        SQLException failed() {
            return failed;
        }

        /**
         * Keeps the first error, unless a later one is the server's or the connection's: that one
         * must fail the task (see {@link Snapshotter#readRanges}), not only pause the table.
         */
        private synchronized void fail(SQLException e) {
            if (failed == null
                    || (SqlErrors.isServerLevel(e) && !SqlErrors.isServerLevel(failed))) {
                failed = e;
            }
        }
    }

    private final int readers;
    private final List<Part> parts = new ArrayList<>();

    RangeReads(int readers) {
        this.readers = readers;
    }

    List<Part> parts() {
        return parts;
    }

    /**
     * Splits {@code t}'s next {@code limit} rows after {@code cursor} into ranges of about {@code
     * limit / readers} rows (fewer when fewer rows are left) and adds them to the window.
     */
    Part plan(
            Connection conn,
            TableSchema t,
            boolean primaryKey,
            String[] cursor,
            int limit,
            SnapshotProgress.Request r)
            throws SQLException {
        String[] columns = t.columnNames().toArray(String[]::new);
        String[] types = ChunkReader.types(conn, t, columns);
        Part part = new Part(r, t, primaryKey, columns, types, split(conn, t, cursor, limit));
        parts.add(part);
        return part;
    }

    private Plan split(Connection conn, TableSchema t, String[] cursor, int limit)
            throws SQLException {
        int width = t.keyColumns().size();
        int step = (int) Math.max(1, ((long) limit + readers - 1) / readers);
        List<String> keyTexts = new ArrayList<>();
        List<String> keyNames = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            keyTexts.add("s." + Identifiers.quote(t.keyColumns().get(i)) + "::text AS _k" + i);
            keyNames.add("_k" + i);
        }
        String keyList = ChunkReader.keyList(t);
        // numbered in key order (the one index scan serves the numbering, the order and the
        // limit); every step-th key and the last one come back
        String sql =
                "SELECT _n, _c, "
                        + String.join(", ", keyNames)
                        + " FROM (SELECT l.*, count(*) OVER () AS _c FROM (SELECT "
                        + String.join(", ", keyTexts)
                        + ", row_number() OVER (ORDER BY "
                        + keyList
                        + ") AS _n"
                        + ChunkReader.after(t, cursor != null)
                        + " ORDER BY "
                        + keyList
                        + " LIMIT "
                        + limit
                        + ") l) x WHERE _n % "
                        + step
                        + " = 0 OR _n = _c ORDER BY _n";
        ChunkReader.setAll(conn, "c", cursor);
        List<String[]> bounds = new ArrayList<>();
        long rows = 0;
        try (PreparedStatement ps = conn.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows = rs.getLong(2);
                String[] key = new String[width];
                for (int i = 0; i < width; i++) {
                    key[i] = rs.getString(3 + i);
                }
                bounds.add(key);
            }
        }
        boolean last = rows < limit;
        List<Range> ranges = new ArrayList<>();
        String[] lower = cursor;
        for (int i = 0; i < bounds.size(); i++) {
            boolean end = i == bounds.size() - 1;
            // the table's last range is open: it also takes rows written since the split
            ranges.add(new Range(lower, end && last ? null : bounds.get(i)));
            lower = bounds.get(i);
        }
        if (bounds.isEmpty()) {
            ranges.add(new Range(cursor, null)); // nothing after the cursor but NULL keys, if any
        }
        return new Plan(ranges, rows, last, last ? null : bounds.get(bounds.size() - 1));
    }

    /** The select of one range; its bounds are set in the session ({@link ChunkReader#setAll}). */
    private static String sql(Part p, Range range) {
        TableSchema t = p.table;
        String keyList = ChunkReader.keyList(t);
        StringBuilder sql =
                new StringBuilder(ChunkReader.select(t))
                        .append(ChunkReader.after(t, range.lower() != null));
        if (range.upper() != null) {
            sql.append(" AND (")
                    .append(keyList)
                    .append(") <= (")
                    .append(ChunkReader.settings(t, "b"))
                    .append(')');
        } else if (!p.primaryKey) {
            sql.append(ChunkReader.nullKeys(t));
        }
        return sql.toString();
    }

    /**
     * Reads every range: on {@code first} (the window's connection, on this thread) and on up to
     * {@code readers - 1} more connections ({@code more}, numbered from 1) on {@code pool}. A
     * range's SQL error fails its table's part only (see {@link Part#failed}); anything else fails
     * the window.
     */
    void read(Connection first, IntFunction<Connection> more, ExecutorService pool) {
        List<Unit> units = new ArrayList<>();
        for (Part p : parts) {
            for (int i = 0; i < p.copied.length; i++) {
                units.add(new Unit(p, i));
            }
        }
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(readers, units.size());
        List<Future<?>> others = new ArrayList<>();
        for (int w = 1; w < workers; w++) {
            int id = w;
            others.add(pool.submit(() -> readUnits(more.apply(id), units, next)));
        }
        RuntimeException thrown = null;
        try {
            readUnits(first, units, next);
        } catch (RuntimeException e) {
            thrown = e;
        }
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                others.forEach(o -> o.cancel(true));
                throw new IllegalStateException(
                        "interrupted while the snapshot window's ranges were read", e);
            } catch (ExecutionException e) {
                if (thrown == null) {
                    thrown =
                            e.getCause() instanceof RuntimeException x
                                    ? x
                                    : new IllegalStateException(
                                            "cannot read a snapshot range", e.getCause());
                }
            }
        }
        if (thrown != null) {
            throw thrown;
        }
    }

    /** A range to read: the {@code range}-th of {@code part}'s plan. */
    private record Unit(Part part, int range) {}

    /** Takes the next range not yet read until none is left. */
    private static void readUnits(Connection conn, List<Unit> units, AtomicInteger next) {
        ChunkReader reader = new ChunkReader(); // its splitter is not shared between threads
        for (int u = next.getAndIncrement(); u < units.size(); u = next.getAndIncrement()) {
            Part p = units.get(u).part();
            if (p.failed() != null) {
                continue; // its rows are not used
            }
            int i = units.get(u).range();
            Range range = p.plan.ranges().get(i);
            try {
                ChunkReader.setAll(conn, "c", range.lower());
                ChunkReader.setAll(conn, "b", range.upper());
                p.copied[i] =
                        reader.copyOut(conn, p.table, p.columns.length, p.typeNames, sql(p, range));
            } catch (SQLException e) {
                p.fail(e);
            }
        }
    }
}
