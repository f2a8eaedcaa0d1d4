package dev.flinkelt.transform.mirror;

import dev.flinkelt.pg.SqlErrors;
import dev.flinkelt.pg.TextSession;
import dev.flinkelt.raw.RawCatalog;
import dev.flinkelt.raw.RawTable;
import dev.flinkelt.transform.read.RawRowType;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps every mirror table current from the raw rows of all tables. Rows are collapsed to the
 * newest version per key and written in batches (at a size, every second and at each checkpoint). A
 * raw table seen for the first time gets its mirror; a row with more values than the mirror has
 * columns (source DDL) adds them first.
 */
final class MirrorWriter implements SinkWriter<RowData> {
    private static final int MAX_BUFFERED = 5_000;
    private static final long FLUSH_MILLIS = 1_000;

    private final MirrorSink sink;
    private final ProcessingTimeService time;
    private final Map<String, MirrorTable> tables = new HashMap<>();
    private final Map<String, Map<List<String>, MirrorRow>> buffer = new LinkedHashMap<>();
    private int buffered;
    private Connection conn;

    /** The oldest {@code _loaded_at} (UTC text) among the rows buffered since the last flush. */
    private String oldestLoaded;

    private volatile double lagSeconds = Double.NaN;

    private static final DateTimeFormatter LOADED_AT =
            new DateTimeFormatterBuilder()
                    .appendPattern("uuuu-MM-dd HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .toFormatter();

    /**
     * {@code metrics}: {@code mirrorLagSeconds}, at the last flush of every buffered row, now minus
     * the oldest of their {@code _loaded_at}: raw load to mirror, so it includes the extract-load's
     * wait for the checkpoint that made the row visible.
     */
    MirrorWriter(MirrorSink sink, ProcessingTimeService time, MetricGroup metrics) {
        this.sink = sink;
        this.time = time;
        metrics.gauge("mirrorLagSeconds", (Gauge<Double>) () -> lagSeconds);
        schedule();
    }

    private void schedule() {
        time.registerTimer(
                time.getCurrentProcessingTime() + FLUSH_MILLIS,
                t -> {
                    flushAll();
                    schedule();
                });
    }

    @Override
    public void write(RowData row, Context context) throws IOException {
        try {
            String name = row.getString(RawRowType.TABLE).toString();
            ArrayData vals = row.getArray(RawRowType.VALUES);
            String[] values = new String[vals.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = vals.isNullAt(i) ? null : vals.getString(i).toString();
            }
            MirrorTable t = table(name, values.length);
            MirrorRow r =
                    new MirrorRow(
                            row.getString(RawRowType.OP).toString().charAt(0),
                            row.getLong(RawRowType.LSN),
                            row.getLong(RawRowType.SEQ),
                            row.isNullAt(RawRowType.SOURCE_TS)
                                    ? null
                                    : row.getString(RawRowType.SOURCE_TS).toString(),
                            values);
            if (!row.isNullAt(RawRowType.LOADED_AT)) {
                // one format (UTC, fraction of variable length): the text orders as the time
                String loaded = row.getString(RawRowType.LOADED_AT).toString();
                if (oldestLoaded == null || loaded.compareTo(oldestLoaded) < 0) {
                    oldestLoaded = loaded;
                }
            }
            if (r.op() == 't') {
                flush(name);
                t.truncate(connection(), r);
                connection().commit();
                return;
            }
            String[] key = new String[t.key.length];
            for (int i = 0; i < key.length; i++) {
                key[i] = t.key[i] < values.length ? values[t.key[i]] : null;
            }
            buffer.computeIfAbsent(name, k -> new LinkedHashMap<>())
                    .merge(Arrays.asList(key), r, (old, now) -> now.newerThan(old) ? now : old);
            if (++buffered >= MAX_BUFFERED) {
                flushAll();
            }
        } catch (SQLException e) {
            throw SqlErrors.failure("writing mirror rows failed", e); // no row values in logs
        }
    }

    /**
     * The mirror of raw table {@code name}, created or widened to {@code values} columns first if
     * needed.
     */
    private MirrorTable table(String name, int values) throws SQLException {
        MirrorTable t = tables.get(name);
        if (t != null && t.columns() >= values) {
            return t;
        }
        flush(name); // rows buffered for the narrower mirror go first
        Connection c = connection();
        RawTable raw = RawCatalog.describe(c, sink.rawSchema, name);
        String target = sink.target(raw);
        MirrorTables.ensure(c, target, raw, sink.softDeletes);
        c.commit();
        t = new MirrorTable(raw, target, sink.softDeletes);
        tables.put(name, t);
        return t;
    }

    private void flush(String name) throws SQLException {
        Map<List<String>, MirrorRow> rows = buffer.remove(name);
        if (rows == null || rows.isEmpty()) {
            return;
        }
        buffered -= rows.size();
        tables.get(name).write(connection(), rows.values());
        connection().commit();
    }

    private void flushAll() throws IOException {
        try {
            for (String name : List.copyOf(buffer.keySet())) {
                flush(name);
            }
            if (oldestLoaded != null) {
                lagSeconds = secondsSince(oldestLoaded);
                oldestLoaded = null;
            }
        } catch (SQLException e) {
            throw SqlErrors.failure("writing mirror rows failed", e); // no row values in logs
        }
    }

    /** Seconds from a {@code _loaded_at} text to now; NaN for a text of another form. */
    private static double secondsSince(String loadedAt) {
        try {
            Instant loaded = LocalDateTime.parse(loadedAt, LOADED_AT).toInstant(ZoneOffset.UTC);
            return Math.max(0, Duration.between(loaded, Instant.now()).toMillis() / 1000.0);
        } catch (DateTimeParseException e) {
            return Double.NaN; // a metric is never worth failing the mirrors for
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        flushAll(); // at every checkpoint: what it covers is in the mirrors before it completes
    }

    private Connection connection() throws SQLException {
        if (conn == null) {
            conn = TextSession.open(sink.warehouse, "flink-elt transform mirrors");
        }
        return conn;
    }

    @Override
    public void close() throws Exception {
        if (conn != null) {
            conn.close();
        }
    }
}
