package dev.flinkelt.track;

import dev.flinkelt.catalog.ColumnSpec;
import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.ChangeEventDeserializer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one table while the others stream (a re-snapshot, or a table captured after the start), chunk by chunk in
 * key order, with the watermark method of DBLog: per chunk a low mark is written to the signal table, the chunk is
 * selected (its snapshot is taken after the low mark committed), and a high mark is written. Between the two marks
 * in the change stream, a change of a key in the chunk drops the key's selected row (the change is at least as new);
 * at the high mark the remaining rows go out, so each key's snapshot row follows every change the select saw and
 * precedes every change it did not. Rows leave as {@code r} rows of the request's generation ({@code _tx_id},
 * {@code _source_ts} of the request); the keyed stage gives them the key's last {@code _lsn}. All of it runs in the
 * subtask that reads the stream, in stream order, and is checkpointed ({@link SnapshotProgress}).
 */
final class Snapshotter {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

    private final Tracking tracking;
    private final SourceTables tables;
    private final Supplier<Connection> source;
    SnapshotProgress progress = new SnapshotProgress();
    private long rowsOut;

    Snapshotter(Tracking tracking, SourceTables tables, Supplier<Connection> source) {
        this.tracking = tracking;
        this.tables = tables;
        this.source = source;
    }

    void onSignal(Signals.Signal s, Consumer<ChangeEvent> out) throws SQLException {
        if (!tracking.slot().equals(s.slot()) || s.kind() == null) {
            return;
        }
        switch (s.kind()) {
            case Signals.RESNAPSHOT, Signals.CAPTURE -> {
                // a capture's rows come just after its position, where a re-capture ends the earlier table's rows
                request(new SnapshotProgress.Request(s.table(), s.txId(), s.sourceTsMicros(), Signals.CAPTURE.equals(s.kind()) ? s.lsn() + 1 : 0));
                next();
            }
            case Signals.LOW -> {
                if (s.arg() != null && s.arg().equals(progress.window)) {
                    progress.lowSeen = true;
                    progress.step++;
                }
            }
            case Signals.HIGH -> {
                if (s.arg() != null && s.arg().equals(progress.window)) {
                    close(s.lsn(), out);
                }
            }
            default -> LOG.warn("ignoring a signal of unknown kind '{}' in {}", s.kind(), tracking.signalTable());
        }
    }

    /**
     * A change seen in the stream: inside an open window it supersedes the key's selected row, which first lends it
     * the values of columns it left out (unchanged TOAST): for a key of a table captured late, nothing else has them.
     */
    void onChange(ChangeEvent e) {
        if (progress.window == null || !progress.lowSeen || !progress.current.table().equals(e.table)) {
            return;
        }
        ChangeEvent selected = progress.rows.remove(e.key);
        if (selected == null) {
            return;
        }
        progress.step++;
        if (e.unchanged != null && e.columns != null) {
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

    /** A TRUNCATE inside an open window: every selected row is older than it. */
    void onTruncate(String table) {
        if (progress.window != null && progress.lowSeen && progress.current.table().equals(table)) {
            progress.rows.clear();
            progress.step++;
        }
    }

    private void request(SnapshotProgress.Request r) {
        boolean waiting = (progress.current != null && progress.current.table().equals(r.table()))
                || progress.queue.stream().anyMatch(q -> q.table().equals(r.table()));
        if (waiting) {
            LOG.info("snapshot of {} already requested; the new request joins it", r.table());
            return;
        }
        progress.queue.add(r);
        progress.step++;
    }

    /** Starts the next waiting table, if none is being read. */
    private void next() throws SQLException {
        while (progress.current == null && !progress.queue.isEmpty()) {
            progress.current = progress.queue.remove(0);
            progress.cursor = null;
            progress.step++;
            rowsOut = 0;
            LOG.info("snapshot of {} starts (generation _tx_id {}), the other tables keep streaming", progress.current.table(),
                    progress.current.txId());
            startChunk();
        }
    }

    private void close(long highLsn, Consumer<ChangeEvent> out) throws SQLException {
        for (ChangeEvent e : progress.rows.values()) {
            e.lsn = highLsn; // the keyed stage places the row after the key's last change, and at or above its floor (in seq)
            e.seq = progress.current.floor();
            out.accept(e);
            rowsOut++;
        }
        Signals.forget(source.get(), tracking.signalTable(), tracking.slot(), List.of(progress.window));
        progress.rows.clear();
        progress.window = null;
        progress.step++;
        if (progress.lastChunk) {
            finish();
            next();
        } else {
            startChunk();
        }
    }

    private void finish() throws SQLException {
        // marks of windows a failed run opened and the restored run replaced are not seen again: gone with the table
        Signals.forgetTable(source.get(), tracking.signalTable(), tracking.slot(), progress.current.table());
        LOG.info("snapshot of {} done: {} row(s) in this run of the job", progress.current.table(), rowsOut);
        progress.current = null;
        progress.cursor = null;
        progress.step++;
    }

    /** Writes the low mark, selects the next chunk and writes the high mark; a table without more rows is done. */
    private void startChunk() throws SQLException {
        if (!tables.exists(dev.flinkelt.config.TableRef.parse(progress.current.table()))) {
            LOG.info("snapshot of {} ends: the table is gone from the source", progress.current.table());
            finish();
            return;
        }
        TableSchema t = tables.refresh(progress.current.table());
        if (t == null) {
            finish(); // gone or not capturable: logged by SourceTables
            return;
        }
        Connection conn = source.get();
        String window = UUID.randomUUID().toString();
        Signals.send(conn, tracking.signalTable(), tracking.slot(), Signals.LOW, progress.current.table(), window);
        List<ChangeEvent> rows = select(conn, t);
        if (rows.isEmpty()) {
            Signals.forget(conn, tracking.signalTable(), tracking.slot(), List.of(window));
            finish();
            return;
        }
        Signals.send(conn, tracking.signalTable(), tracking.slot(), Signals.HIGH, progress.current.table(), window);
        progress.window = window;
        progress.lowSeen = false;
        progress.lastChunk = rows.size() < tracking.chunkSize();
        ChangeEvent last = rows.get(rows.size() - 1);
        int[] keys = t.keyIndexes();
        progress.cursor = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            progress.cursor[i] = last.values[keys[i]];
        }
        rows.forEach(e -> progress.rows.put(e.key, e));
        progress.step++;
    }

    /** The catalog's type names of the selected columns: the rows carry them, as streamed rows do. */
    private static String[] typeNames(Connection conn, TableSchema t, String[] columns) throws SQLException {
        java.util.Map<String, String> byName = new java.util.HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT a.attname, y.typname FROM pg_attribute a JOIN pg_type y ON y.oid = a.atttypid"
                + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, t.ref().quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byName.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        String[] out = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            out[i] = byName.get(columns[i]);
        }
        return out;
    }

    /** The next chunk in key order, every value as PostgreSQL's own text (exact, whatever the type). */
    private List<ChangeEvent> select(Connection conn, TableSchema t) throws SQLException {
        String[] columns = t.columnNames().toArray(String[]::new);
        String[] types = typeNames(conn, t, columns);
        // qualified: an output column ("id"::text is named id) would otherwise win in ORDER BY and sort as text
        String keyList = t.keyColumns().stream().map(k -> "s." + Identifiers.quote(k)).collect(Collectors.joining(", "));
        String after = "";
        if (progress.cursor != null) {
            List<String> casts = new ArrayList<>();
            for (String k : t.keyColumns()) {
                ColumnSpec c = t.columns().get(t.columnIndex(k));
                casts.add("?::" + c.type());
            }
            after = " WHERE (" + keyList + ") > (" + String.join(", ", casts) + ")";
        }
        String sql = "SELECT " + t.columns().stream().map(c -> "s." + Identifiers.quote(c.name()) + "::text").collect(Collectors.joining(", "))
                + " FROM " + t.ref().quoted() + " s" + after + " ORDER BY " + keyList + " LIMIT " + tracking.chunkSize();
        // a layout number of its own for the selected columns (the reader numbers its layouts from 1 up)
        int layout = -1 - ((t.ref().dotted() + '\u0000' + String.join("\u0000", columns) + '\u0000' + String.join("\u0000", types)).hashCode()
                & 0x3fffffff);
        List<ChangeEvent> out = new ArrayList<>();
        int[] keys = t.keyIndexes();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            if (progress.cursor != null) {
                for (int i = 0; i < progress.cursor.length; i++) {
                    ps.setString(i + 1, progress.cursor[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ChangeEvent e = new ChangeEvent();
                    e.table = t.ref().dotted();
                    e.op = ChangeEvent.READ;
                    e.columns = columns;
                    e.types = types;
                    e.layout = layout;
                    e.values = new String[columns.length];
                    for (int i = 0; i < columns.length; i++) {
                        e.values[i] = rs.getString(i + 1);
                    }
                    e.key = ChangeEventDeserializer.key(e.table, keys, e.values);
                    e.txId = progress.current.txId();
                    e.sourceTsMicros = progress.current.sourceTsMicros();
                    out.add(e);
                }
            }
        }
        return out;
    }
}
