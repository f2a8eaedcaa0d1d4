package dev.flinkelt.track;

import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.CopyTextRow;
import dev.flinkelt.extract.Keys;
import dev.flinkelt.pg.SqlErrors;
import dev.flinkelt.pg.TableSchema;

import org.apache.flink.util.concurrent.ExecutorThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Reads tables while the others stream (the first snapshot, a re-snapshot, a table captured after
 * the start), chunk by chunk in key order, with the watermark method of DBLog: per window a low
 * mark is written to the signal table, chunks are read ({@link ChunkReader}: their snapshot is
 * taken after the low mark committed), and a high mark is written. Between the two marks in the
 * change stream, a change of a key in the window drops the key's selected row (the change is at
 * least as new); at the high mark the remaining rows go out, so each key's snapshot row follows
 * every change the select saw and precedes every change it did not. A window holds up to a chunk of
 * rows: of one table, or of several small ones. Rows leave as {@code r} rows of their request's
 * generation ({@code _tx_id}, {@code _source_ts} of the request; none for the first snapshot); the
 * keyed stage places them after the key's last change. All of it runs in the subtask that reads the
 * stream, in stream order, and is checkpointed ({@link SnapshotProgress}); only the next window's
 * reading overlaps the last one's rows going out ({@link #openNextWindow}).
 *
 * <p>A table without a key has no order to read it in chunks by, nor keys to match changes with: it
 * is read whole, in a window of its own, together with the snapshot its select saw ({@link
 * TxSnapshot}). Between the marks, a change of a transaction that snapshot did not see is applied
 * to the selected rows as a multiset (an insert adds its row, a delete takes one equal row away, a
 * TRUNCATE empties them), one it saw is in them already; at the high mark the rows are the table as
 * of that mark and go out there, after every change before it in commit order, behind a {@code t}
 * row: what the raw table holds of it before is history (see verify).
 */
final class Snapshotter {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

    private final Tracking tracking;
    private final SourceTables tables;
    private final Supplier<Connection> source;

    /** The source connections of the window's other range readers, numbered from 1. */
    private final IntFunction<Connection> rangeSources;

    private final ChunkReader chunks = new ChunkReader();
    private final CopyTextRow split = new CopyTextRow();
    private final SnapshotMetrics metrics;

    /**
     * Rows per requested table, about (see {@link RowEstimate}); not state: asked again after a
     * restore.
     */
    private final Map<String, Long> estimates = new HashMap<>();

    SnapshotProgress progress = new SnapshotProgress();

    /** The stream position of the last signal seen (see {@link #pauseAt}). */
    private long position;

    /** Opens the next window while the rows of the one closing go out ({@link #openNextWindow}). */
    private ExecutorService reader;

    /**
     * The window's other range readers ({@link RangeReads}), when there are several; made here so
     * that {@link #stop} always sees it (its threads start with the first window of ranges).
     */
    private final ExecutorService rangeReaders;

    /** Pauses a table whose rows cannot be read (see raw.PausedTables). */
    interface Pauser {
        void pause(String table, long lsn, Exception error);
    }

    /** Set by the tracker: what a failed read of one table does instead of failing the job. */
    Pauser pauser =
            (table, lsn, error) -> {
                throw new IllegalStateException("cannot read table " + table, error);
            };

    /**
     * Told when every snapshot asked for is read and its last rows are out (the tracker has a
     * checkpoint taken then: see {@link CheckpointWhenSnapshotsRead}).
     */
    Runnable whenRead = () -> {};

    /**
     * {@code rangeSources}: the source connections of readers 1 … {@code snapshotReaders - 1};
     * {@code metrics} may be null.
     */
    Snapshotter(
            Tracking tracking,
            SourceTables tables,
            Supplier<Connection> source,
            IntFunction<Connection> rangeSources,
            SnapshotMetrics metrics) {
        this.tracking = tracking;
        this.tables = tables;
        this.source = source;
        this.rangeSources = rangeSources;
        this.metrics = metrics;
        this.rangeReaders =
                tracking.snapshotReaders() > 1
                        ? Executors.newFixedThreadPool(
                                tracking.snapshotReaders() - 1,
                                new ExecutorThreadFactory("flink-elt snapshot range reader"))
                        : null;
    }

    void onSignal(Signals.Signal s, Consumer<ChangeEvent> out) throws SQLException {
        if (!tracking.slot().equals(s.slot()) || s.kind() == null) {
            return;
        }
        position = Math.max(position, s.lsn());
        switch (s.kind()) {
            case Signals.SNAPSHOT -> {
                // the first snapshot: no generation; its rows may not sort below the slot's start
                // (see SourcePreparer)
                request(
                        new SnapshotProgress.Request(
                                s.table(),
                                ChangeEvent.NONE,
                                ChangeEvent.NONE,
                                Long.parseLong(s.arg())));
                if (progress.window == null) {
                    startWindow(pauser);
                }
            }
            case Signals.RESNAPSHOT, Signals.CAPTURE -> {
                // a capture's rows come just after its position, where a re-capture ends the
                // earlier table's rows
                request(
                        new SnapshotProgress.Request(
                                s.table(),
                                s.txId(),
                                s.sourceTsMicros(),
                                Signals.CAPTURE.equals(s.kind()) ? s.lsn() + 1 : 0));
                if (progress.window == null) {
                    startWindow(pauser);
                }
            }
            case Signals.LOW -> {
                LOG.debug("low mark of window {} (open: {})", s.arg(), progress.window);
                if (s.arg() != null && s.arg().equals(progress.window)) {
                    progress.lowSeen = true;
                    progress.step++;
                }
            }
            case Signals.HIGH -> {
                LOG.debug("high mark of window {} (open: {})", s.arg(), progress.window);
                if (s.arg() != null && s.arg().equals(progress.window)) {
                    close(s, out);
                }
            }
            default ->
                    LOG.warn(
                            "ignoring a signal of unknown kind '{}' in {}",
                            s.kind(),
                            tracking.signals().table());
        }
    }

    /**
     * A change seen in the stream: inside an open window it supersedes the key's selected row,
     * which first lends it the values of columns it left out (unchanged TOAST): for a key of a
     * table captured late, nothing else has them.
     */
    void onChange(ChangeEvent e) {
        if (progress.window == null || !progress.lowSeen) {
            return;
        }
        if (progress.windowSnapshot != null) {
            if (progress.windowTables.contains(e.table)) {
                keylessChange(e);
            }
            return;
        }
        if (progress.rows.isEmpty()) {
            return;
        }
        SelectedRow row = progress.rows.get(e.key);
        if (row == null || row.shared()) {
            // shared: several rows have this key (key-columns not unique), and which one changed is
            // unknown: all are
            // kept (read at least once) rather than one lost
            return;
        }
        progress.rows.remove(e.key);
        progress.step++;
        if (e.unchanged != null && e.columns != null) {
            ChangeEvent selected = row.event(split);
            List<String> names = List.of(selected.columns);
            for (int i = 0; i < e.unchanged.length; i++) {
                int j = e.unchanged[i] ? names.indexOf(e.columns[i]) : -1;
                if (j >= 0) {
                    e.values[i] = selected.values[j];
                    e.unchanged[i] = false;
                }
            }
        }
    }

    /**
     * A change of a table without a key in its window: applied to the selected rows unless the
     * select saw it already.
     */
    private void keylessChange(ChangeEvent e) {
        if (TxSnapshot.parse(progress.windowSnapshot).sees(e.txId)) {
            return;
        }
        String row = Keys.wholeRow(e.table, e.values, Keys.typeNames(e.types));
        if (e.op == ChangeEvent.INSERT) {
            ChangeEvent r = new ChangeEvent();
            r.table = e.table;
            r.key = row;
            r.op = ChangeEvent.READ;
            r.columns = e.columns;
            r.types = e.types;
            r.layout = e.layout;
            r.values = e.values.clone();
            SnapshotProgress.Request request = requestOf(e.table);
            r.txId = request == null ? ChangeEvent.NONE : request.txId();
            r.sourceTsMicros = request == null ? ChangeEvent.NONE : request.sourceTsMicros();
            progress.select(new SelectedRow(r));
        } else if (e.op == ChangeEvent.DELETE) {
            SelectedRow first = progress.rows.remove(row);
            if (first != null && first.rest() != null) {
                progress.rows.put(row, first.rest());
            }
        }
        progress.step++;
    }

    /**
     * The {@code t} row a snapshot of a table without a key starts with, at the high mark: the
     * table's rows are those that follow it.
     */
    private static ChangeEvent snapshotStart(
            String table, Signals.Signal high, SnapshotProgress.Request request) {
        ChangeEvent t = new ChangeEvent();
        t.table = table;
        t.op = ChangeEvent.TRUNCATE;
        t.values = new String[0];
        t.key = Keys.keylessTruncate(table);
        t.lsn = high.commitLsn();
        t.seq = 0;
        t.txId = request == null ? ChangeEvent.NONE : request.txId();
        t.sourceTsMicros = request == null ? ChangeEvent.NONE : request.sourceTsMicros();
        return t;
    }

    /** The request whose rows the open window holds for {@code table}. */
    private SnapshotProgress.Request requestOf(String table) {
        for (SnapshotProgress.Request r : progress.finishing) {
            if (r.table().equals(table)) {
                return r;
            }
        }
        return null;
    }

    /**
     * A TRUNCATE inside an open window: every selected row of the table is older than it (for a
     * table without a key: unless the select saw it).
     */
    void onTruncate(ChangeEvent e) {
        String table = e.table;
        if (progress.window != null && progress.lowSeen && progress.windowTables.contains(table)) {
            if (progress.windowSnapshot != null
                    && TxSnapshot.parse(progress.windowSnapshot).sees(e.txId)) {
                return;
            }
            progress.rows.values().removeIf(r -> r.table.equals(table));
            progress.step++;
        }
    }

    /**
     * Queues a table. A table already waiting or being read is read again from its first key under
     * the new request: it may be a table of the same name made anew (its rows must follow the new
     * capture's position), or a re-snapshot asked for while it was read; rows already read under
     * the earlier request stay theirs.
     */
    private void request(SnapshotProgress.Request r) {
        progress.queue.removeIf(q -> q.table().equals(r.table()));
        if (progress.current != null && progress.current.table().equals(r.table())) {
            LOG.info(
                    "snapshot of {} requested again while it was read: it starts over from its first key",
                    r.table());
            progress.current = r;
            progress.cursor = null;
        } else {
            progress.queue.add(r);
        }
        progress.read.put(r.table(), new long[2]);
        estimates.remove(r.table()); // asked again: a re-snapshot's table may have grown
        progress.step++;
    }

    /**
     * The high mark: the window's rows are final. The next window is opened while they go out, so
     * its chunks are read while the keyed stage works through these (they still leave before any
     * change after the mark is looked at).
     */
    private void close(Signals.Signal high, Consumer<ChangeEvent> out) throws SQLException {
        boolean keyless = progress.windowSnapshot != null;
        List<ChangeEvent> starts = new ArrayList<>();
        if (keyless) {
            for (String table : progress.windowTables) {
                starts.add(snapshotStart(table, high, requestOf(table)));
            }
        }
        List<SelectedRow> ready = new ArrayList<>(progress.rows.size());
        progress.rows.values().forEach(r -> ready.addAll(r.all()));
        for (String t : progress.windowTables) {
            progress.read.computeIfAbsent(t, x -> new long[2])[1]++;
        }
        for (SelectedRow r : ready) {
            progress.read.computeIfAbsent(r.table, t -> new long[2])[0]++;
        }
        Signals.forget(source.get(), tracking.signals(), tracking.slot(), List.of(progress.window));
        progress.rows.clear();
        progress.window = null;
        progress.windowSnapshot = null;
        progress.windowTables.clear();
        progress.step++;
        for (SnapshotProgress.Request r : progress.finishing) {
            finish(r);
        }
        progress.finishing.clear();
        if (metrics != null) {
            metrics.rowsRead(ready.size());
        }
        Future<List<Runnable>> next = openNextWindow();
        try {
            starts.forEach(out);
            emit(ready, keyless, high, out);
        } catch (RuntimeException | Error e) {
            next.cancel(true); // the rows could not go out: the task fails
            throw e;
        }
        for (Runnable pause : joined(next)) {
            pause.run();
        }
        if (progress.window == null) {
            whenRead.run();
        }
    }

    /**
     * Opens the next window on the reader thread while this window's rows go out on the task
     * thread: the source reads the next chunks while the keyed stage and the sinks load these,
     * where each waited for the other before. Nothing else runs on the task thread meanwhile (this
     * is one element's processing), and going out touches neither the progress nor the tracker's
     * connections, so the reader has them to itself until {@link #joined}. Tables it pauses are
     * paused after the rows went out (their rows of this window go out too; the resnapshot that
     * resumes the table puts a {@code t} row before its new rows).
     */
    private Future<List<Runnable>> openNextWindow() {
        if (progress.queue.isEmpty() && progress.current == null) {
            try {
                startWindow(pauser); // nothing to read: publishes the progress only
                return CompletableFuture.completedFuture(List.of());
            } catch (SQLException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        if (reader == null) {
            reader =
                    Executors.newSingleThreadExecutor(
                            new ExecutorThreadFactory("flink-elt snapshot window reader"));
        }
        Pauser direct = pauser;
        return reader.submit(
                () -> {
                    List<Runnable> pauses = new ArrayList<>();
                    startWindow(
                            (t, lsn, error) -> {
                                if (error instanceof SQLException x && SqlErrors.isServerLevel(x)) {
                                    direct.pause(t, lsn, error); // fails the task: not a table's
                                }
                                pauses.add(() -> direct.pause(t, lsn, error));
                            });
                    return pauses;
                });
    }

    /** The reader's pauses to apply, once it is done; its failure as the task's. */
    private static List<Runnable> joined(Future<List<Runnable>> next) throws SQLException {
        try {
            return next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while the next snapshot window was read", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException x) {
                throw x;
            }
            if (e.getCause() instanceof RuntimeException x) {
                throw x;
            }
            throw new IllegalStateException("cannot read the next snapshot window", e.getCause());
        }
    }

    private void emit(
            List<SelectedRow> ready,
            boolean keyless,
            Signals.Signal high,
            Consumer<ChangeEvent> out) {
        long highLsn = high.lsn();
        for (SelectedRow r : ready) {
            ChangeEvent e = keyless ? r.event(split) : r.leaving(split);
            if (keyless) {
                // the table as of the high mark, in commit order (see SourceTracker#place)
                e.key = Keys.keyless(e.table, e.values);
                e.lsn = high.commitLsn();
                e.seq = 1;
            } else {
                // the keyed stage places the row after the key's last change, at or above its
                // floor (in seq)
                e.lsn = highLsn;
            }
            out.accept(e);
        }
    }

    /** Stops the reader thread (the task ends): interrupts it; closing its connections ends it. */
    void stop() {
        if (reader != null) {
            reader.shutdownNow();
        }
        if (rangeReaders != null) {
            rangeReaders.shutdownNow();
        }
    }

    /** Waits a little for the reader thread to end once its connections are closed. */
    void awaitStop() throws InterruptedException {
        for (ExecutorService pool : new ExecutorService[] {reader, rangeReaders}) {
            if (pool != null && !pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("a snapshot window reader did not end within 10 s of the task's end");
            }
        }
    }

    private void finish(SnapshotProgress.Request r) throws SQLException {
        // marks of windows a failed run opened and the restored run replaced are not seen again:
        // gone with the table
        Signals.forgetTable(source.get(), tracking.signals(), tracking.slot(), r.table());
        long[] read = progress.read.getOrDefault(r.table(), new long[2]);
        LOG.info("snapshot of {} done: {} row(s) in {} chunk(s)", r.table(), read[0], read[1]);
        progress.step++;
    }

    /**
     * Pauses a table whose rows of this window cannot be read (e.g. no SELECT on it): it leaves the
     * window, and the other tables go on.
     */
    private void pauseInWindow(Pauser pauser, SnapshotProgress.Request r, Exception e) {
        progress.windowTables.remove(r.table());
        progress.finishing.remove(r);
        if (r.equals(progress.current)) {
            progress.current = null;
            progress.cursor = null;
        }
        pauser.pause(r.table(), pauseAt(r), e);
    }

    /**
     * Where a table whose rows cannot be read is paused: at its floor, or at the last signal when
     * that is higher (a re-snapshot's floor is 0, below a resumption the table may have had).
     */
    private long pauseAt(SnapshotProgress.Request r) {
        return Math.max(r.floor(), position);
    }

    /** Opens the next window, if there is anything to read, and publishes the progress. */
    private void startWindow(Pauser pauser) throws SQLException {
        openWindow(pauser);
        if (metrics != null) {
            for (String t : progress.read.keySet()) {
                if (!estimates.containsKey(t)) {
                    estimates.put(t, estimate(t));
                }
            }
            metrics.publish(progress, estimates);
        }
    }

    /**
     * A table's estimate for the progress metrics; -1 (unknown) rather than a failed job when it
     * cannot be had.
     */
    private long estimate(String table) {
        try {
            return RowEstimate.of(source.get(), TableRef.parse(table));
        } catch (SQLException | RuntimeException e) {
            LOG.debug(
                    "no row estimate for {} (SQLSTATE {})",
                    table,
                    e instanceof SQLException x ? x.getSQLState() : null);
            return -1;
        }
    }

    /**
     * Writes the low mark, reads chunks of the waiting tables (the current one on from its cursor,
     * then the next ones) until a chunk's worth of rows, and writes the high mark.
     */
    private void openWindow(Pauser pauser) throws SQLException {
        Connection conn = source.get();
        String window = UUID.randomUUID().toString();
        boolean lowSent = false;
        int budget = tracking.chunkSize();
        // several readers: the window's chunks are split into key ranges first, read after the loop
        RangeReads ranges =
                tracking.snapshotReaders() > 1 ? new RangeReads(tracking.snapshotReaders()) : null;
        while (budget > 0) {
            if (progress.current == null) {
                if (progress.queue.isEmpty()) {
                    break;
                }
                progress.current = progress.queue.remove(0);
                progress.cursor = null;
                progress.step++;
                LOG.debug(
                        "snapshot of {} starts{}, the other tables keep streaming",
                        progress.current.table(),
                        progress.current.txId() == ChangeEvent.NONE
                                ? ""
                                : " (generation _tx_id " + progress.current.txId() + ")");
            }
            SnapshotProgress.Request r = progress.current;
            TableSchema t =
                    tables.exists(TableRef.parse(r.table())) ? tables.refresh(r.table()) : null;
            if (t == null) {
                LOG.info(
                        "snapshot of {} ends: the table is gone from the source or cannot be captured",
                        r.table());
                progress.finishing.add(r);
                progress.current = null;
                continue;
            }
            if (!lowSent) {
                Signals.send(
                        conn, tracking.signals(), tracking.slot(), Signals.LOW, r.table(), window);
                lowSent = true;
            }
            if (t.keyless()) {
                if (!progress.windowTables.isEmpty()) {
                    break; // a window of its own: the next one
                }
                if (!lowSent) {
                    Signals.send(
                            conn,
                            tracking.signals(),
                            tracking.slot(),
                            Signals.LOW,
                            r.table(),
                            window);
                    lowSent = true;
                }
                ChunkReader.Whole whole;
                try {
                    whole = chunks.readWhole(conn, t, r);
                } catch (SQLException e) {
                    pauseInWindow(pauser, r, e);
                    continue;
                }
                progress.windowTables.add(r.table());
                whole.rows().forEach(progress::select);
                progress.windowSnapshot = whole.snapshot();
                progress.finishing.add(r);
                progress.current = null;
                progress.cursor = null;
                break;
            }
            boolean primaryKey =
                    tracking.keyColumnsFor(t.ref()).isEmpty(); // else key-columns of the config
            // the chunk is read now, or with several readers split into ranges read after the loop
            int rows;
            boolean last;
            String[] next;
            try {
                if (ranges != null) {
                    RangeReads.Plan plan =
                            ranges.plan(conn, t, primaryKey, progress.cursor, budget, r).plan;
                    rows = (int) plan.rows();
                    last = plan.last();
                    next = plan.next();
                } else {
                    ChunkReader.Chunk chunk =
                            chunks.read(conn, t, primaryKey, progress.cursor, budget, r);
                    chunk.rows().forEach(progress::select);
                    rows = chunk.rows().size();
                    last = chunk.last();
                    next = chunk.lastKey();
                }
            } catch (SQLException e) {
                pauseInWindow(pauser, r, e);
                continue;
            }
            progress.windowTables.add(r.table());
            budget -= rows;
            if (last) {
                progress.finishing.add(r);
                progress.current = null;
                progress.cursor = null;
            } else {
                progress.cursor = next;
            }
        }
        if (ranges != null && !ranges.parts().isEmpty()) {
            readRanges(conn, ranges, pauser);
        }
        progress.step++;
        if (progress.rows.isEmpty() && progress.windowSnapshot == null) {
            // nothing to merge (every table left was empty or gone): they are done at once
            if (lowSent) {
                Signals.forget(conn, tracking.signals(), tracking.slot(), List.of(window));
            }
            for (SnapshotProgress.Request r : progress.finishing) {
                finish(r);
            }
            progress.finishing.clear();
            progress.windowTables.clear();
            if (progress.current != null || !progress.queue.isEmpty()) {
                // a table without a key waits for a window of its own: this is it; or the tables
                // split into ranges for this window could not be read (paused), and others wait
                openWindow(pauser);
            }
            return;
        }
        Signals.send(
                conn,
                tracking.signals(),
                tracking.slot(),
                Signals.HIGH,
                progress.windowTables.iterator().next(),
                window);
        progress.window = window;
        progress.lowSeen = false;
        LOG.debug(
                "window {} opened: {} row(s) of {}",
                window,
                progress.rows.size(),
                progress.windowTables);
    }

    /**
     * Reads the window's ranges on the readers' connections and selects their rows. A table whose
     * split succeeded but one of whose ranges could not be read is paused as a failed chunk read
     * would be: none of its rows of this window is used.
     */
    private void readRanges(Connection conn, RangeReads ranges, Pauser pauser) throws SQLException {
        ranges.read(conn, rangeSources, rangeReaders);
        for (RangeReads.Part p : ranges.parts()) {
            SnapshotProgress.Request r = p.request;
            SQLException failed = p.failed();
            SelectedRow.Shape shape = null;
            if (failed == null) {
                try {
                    shape = ChunkReader.shape(conn, p.table, p.columns, p.types, r, p.primaryKey);
                } catch (SQLException e) {
                    failed = e;
                }
            }
            if (failed != null) {
                pauseInWindow(pauser, r, failed);
                continue;
            }
            for (ChunkReader.Copied copied : p.copied) {
                copied.rows(shape).forEach(progress::select);
            }
        }
    }
}
