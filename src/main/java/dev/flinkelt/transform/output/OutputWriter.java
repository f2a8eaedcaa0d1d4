package dev.flinkelt.transform.output;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.pg.SqlErrors;
import dev.flinkelt.pg.TextSession;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Buffers the latest change per key and writes them in batches: at a size, on a timer and at each
 * checkpoint.
 */
final class OutputWriter implements SinkWriter<RowData> {
    private final OutputSink sink;
    private final OutputSink.Spec spec;
    private final ProcessingTimeService time;
    private final String insert;
    private final String delete;

    /** Keyed: key text to (values, or null for a delete). Without a key: rows in order. */
    private final Map<List<String>, String[]> latest = new LinkedHashMap<>();

    private final List<String[]> appended = new ArrayList<>();
    private Connection conn;

    OutputWriter(OutputSink sink, ProcessingTimeService time) {
        this.sink = sink;
        this.spec = sink.spec;
        this.time = time;
        String cols =
                Arrays.stream(spec.columns())
                        .map(Identifiers::quote)
                        .collect(Collectors.joining(", "));
        String params =
                Arrays.stream(spec.columns()).map(c -> "?").collect(Collectors.joining(", "));
        String keyCols =
                Arrays.stream(spec.key())
                        .mapToObj(i -> Identifiers.quote(spec.columns()[i]))
                        .collect(Collectors.joining(", "));
        List<String> rest =
                IntStream.range(0, spec.columns().length)
                        .filter(i -> Arrays.stream(spec.key()).noneMatch(k -> k == i))
                        .mapToObj(i -> Identifiers.quote(spec.columns()[i]))
                        .toList();
        String onConflict =
                spec.key().length == 0
                        ? ""
                        : " ON CONFLICT ("
                                + keyCols
                                + ") DO "
                                + (rest.isEmpty()
                                        ? "NOTHING"
                                        : "UPDATE SET "
                                                + rest.stream()
                                                        .map(c -> c + " = EXCLUDED." + c)
                                                        .collect(Collectors.joining(", ")));
        this.insert =
                "INSERT INTO "
                        + spec.table()
                        + " ("
                        + cols
                        + ") VALUES ("
                        + params
                        + ")"
                        + onConflict;
        this.delete =
                "DELETE FROM "
                        + spec.table()
                        + " WHERE "
                        + Arrays.stream(spec.key())
                                .mapToObj(i -> Identifiers.quote(spec.columns()[i]) + " = ?")
                                .collect(Collectors.joining(" AND "));
        schedule();
    }

    private void schedule() {
        time.registerTimer(
                time.getCurrentProcessingTime() + spec.flushMillis(),
                t -> {
                    flush(false);
                    schedule();
                });
    }

    @Override
    public void write(RowData row, Context context) throws IOException {
        String[] values = new String[spec.columns().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = spec.values().text(row, i);
        }
        if (spec.key().length == 0) {
            appended.add(values);
        } else if (row.getRowKind()
                != RowKind.UPDATE_BEFORE) { // upsert mode: the UPDATE_AFTER carries the row
            String[] key =
                    Arrays.stream(spec.key()).mapToObj(i -> values[i]).toArray(String[]::new);
            latest.put(Arrays.asList(key), row.getRowKind() == RowKind.DELETE ? null : values);
        }
        if (latest.size() + appended.size() >= spec.flushRows()) {
            flush(false);
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (latest.isEmpty() && appended.isEmpty()) {
            return;
        }
        try {
            Connection c = connection();
            try (PreparedStatement up = c.prepareStatement(insert);
                    PreparedStatement del =
                            spec.key().length == 0 ? null : c.prepareStatement(delete)) {
                int ups = add(up, appended);
                int dels = 0;
                List<String[]> upserts = new ArrayList<>();
                for (Map.Entry<List<String>, String[]> e : latest.entrySet()) {
                    if (e.getValue() != null) {
                        upserts.add(e.getValue());
                    } else {
                        int i = 1;
                        for (String k : e.getKey()) {
                            del.setObject(i++, k, Types.OTHER);
                        }
                        del.addBatch();
                        dels++;
                    }
                }
                ups += add(up, upserts);
                if (ups > 0) {
                    up.executeBatch();
                }
                if (dels > 0) {
                    del.executeBatch();
                }
            }
            c.commit();
            latest.clear();
            appended.clear();
        } catch (SQLException e) {
            throw SqlErrors.failure(
                    "writing to " + spec.table() + " failed", e); // no row values in logs
        }
    }

    private static int add(PreparedStatement ps, Collection<String[]> rows) throws SQLException {
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                ps.setObject(
                        i + 1,
                        r[i],
                        Types.OTHER); // typed by the column, so its input function reads the text
            }
            ps.addBatch();
        }
        return rows.size();
    }

    private Connection connection() throws SQLException {
        if (conn == null) {
            conn = TextSession.open(sink.warehouse, "flink-elt transform output");
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
