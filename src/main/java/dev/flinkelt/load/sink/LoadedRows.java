package dev.flinkelt.load.sink;

import dev.flinkelt.extract.ChangeEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one prepared transaction holds: per source table the rows by {@code _op}, the rows
 * quarantined and the source commit time of its newest change; and for the changes read from the
 * stream, how many were committed at the source in each 100 ms. It travels with the committable, so
 * that rows are counted, and freshness and latency measured, when the rows become visible, not when
 * they are written. Only counts and times: no value.
 */
final class LoadedRows {
    /** {@code _op} letters of raw rows, in the order of {@link Table#rows}. */
    static final String OPS =
            new String(
                    new char[] {
                        ChangeEvent.READ,
                        ChangeEvent.INSERT,
                        ChangeEvent.UPDATE,
                        ChangeEvent.DELETE,
                        ChangeEvent.TRUNCATE
                    });

    /**
     * Steps of source time kept per transaction (200 s): the latency window holds the newest 10,000
     * changes anyway, and a transaction catching up hours of backlog would otherwise carry a step
     * per 100 ms of them in its committable.
     */
    static final int MAX_STEPS = 2_000;

    /** Width of a step of source commit times, in milliseconds. */
    static final long STEP_MILLIS = 100;

    /** One table's part. */
    static final class Table {
        final long[] rows = new long[OPS.length()];
        long quarantined;

        /** Source commit time of the newest change, microseconds since the epoch; NONE if none. */
        long newestMicros = ChangeEvent.NONE;
    }

    final Map<String, Table> tables = new LinkedHashMap<>();

    /** Streamed changes by the 100 ms step of their source commit (milliseconds / STEP_MILLIS). */
    final TreeMap<Long, Long> streamedAt = new TreeMap<>();

    boolean isEmpty() {
        return tables.isEmpty();
    }

    /** Rows {@code [from, to)} of one table are in the warehouse (not yet visible). */
    void loaded(List<ChangeEvent> rows, int from, int to) {
        Table t = null;
        String name = null;
        for (int i = from; i < to; i++) {
            ChangeEvent e = rows.get(i);
            if (t == null || !e.table.equals(name)) { // a batch's rows are of one table
                name = e.table;
                t = table(name);
            }
            int op = OPS.indexOf(e.op);
            if (op >= 0) {
                t.rows[op]++;
            }
            if (e.sourceTsMicros != ChangeEvent.NONE) {
                t.newestMicros = Math.max(t.newestMicros, e.sourceTsMicros);
                if (e.op != ChangeEvent.READ) { // a snapshot row's time is its request's
                    streamedAt.merge(
                            Math.floorDiv(e.sourceTsMicros, STEP_MILLIS * 1000), 1L, Long::sum);
                    if (streamedAt.size() > MAX_STEPS) {
                        streamedAt.pollFirstEntry();
                    }
                }
            }
        }
    }

    /** A row of {@code table} went to the quarantine table instead. */
    void quarantined(String table) {
        table(table).quarantined++;
    }

    private Table table(String name) {
        return tables.computeIfAbsent(name, k -> new Table());
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(tables.size());
        for (Map.Entry<String, Table> e : tables.entrySet()) {
            out.writeUTF(e.getKey()); // a table name: far below writeUTF's 64 KB
            for (long n : e.getValue().rows) {
                out.writeLong(n);
            }
            out.writeLong(e.getValue().quarantined);
            out.writeLong(e.getValue().newestMicros);
        }
        out.writeInt(streamedAt.size());
        for (Map.Entry<Long, Long> e : streamedAt.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    static LoadedRows read(DataInput in) throws IOException {
        LoadedRows l = new LoadedRows();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Table t = l.table(in.readUTF());
            for (int op = 0; op < t.rows.length; op++) {
                t.rows[op] = in.readLong();
            }
            t.quarantined = in.readLong();
            t.newestMicros = in.readLong();
        }
        int steps = in.readInt();
        for (int i = 0; i < steps; i++) {
            l.streamedAt.put(in.readLong(), in.readLong());
        }
        return l;
    }
}
