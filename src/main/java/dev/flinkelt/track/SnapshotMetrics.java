package dev.flinkelt.track;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How far the snapshots of this run have got, as metrics of the subtask that reads the change
 * stream (the others report zeros): {@code snapshotTablesDone}/{@code snapshotTablesTotal}, {@code
 * snapshotRowsDone}/ {@code snapshotRowsEstimated}, {@code snapshotRowsPerSecond}, {@code
 * snapshotEtaSeconds} (-1: unknown) and {@code snapshotTables}, a JSON list of each table's rows,
 * estimate, chunks (read and estimated) and state (read by {@code flink-elt status}). The task
 * thread publishes a finished summary at each window; metric reporters only read it.
 */
final class SnapshotMetrics {
    static final String TABLES = "snapshotTables";

    /** What the gauges show, replaced whole (the reporters read it from their own thread). */
    private record Summary(
            long tablesDone, long tablesTotal, long rowsDone, long rowsEstimated, String tables) {}

    private volatile Summary summary = new Summary(0, 0, 0, 0, "[]");
    private final Counter rows;
    private final MeterView rate;
    private final int windowRows;

    /** {@code windowRows}: rows per snapshot window, to estimate a table's chunks. */
    SnapshotMetrics(MetricGroup group, int windowRows) {
        this.windowRows = windowRows;
        rows = group.counter("snapshotRowsRead");
        rate = group.meter("snapshotRowsPerSecond", new MeterView(rows, 10));
        group.gauge("snapshotTablesDone", (Gauge<Long>) () -> summary.tablesDone());
        group.gauge("snapshotTablesTotal", (Gauge<Long>) () -> summary.tablesTotal());
        group.gauge("snapshotRowsDone", (Gauge<Long>) () -> summary.rowsDone());
        group.gauge("snapshotRowsEstimated", (Gauge<Long>) () -> summary.rowsEstimated());
        group.gauge("snapshotEtaSeconds", (Gauge<Long>) this::etaSeconds);
        group.gauge(TABLES, (Gauge<String>) () -> summary.tables());
    }

    void rowsRead(long n) {
        rows.inc(n);
    }

    private long etaSeconds() {
        Summary s = summary;
        double perSecond = rate.getRate();
        long left = Math.max(0, s.rowsEstimated() - s.rowsDone());
        if (s.tablesDone() == s.tablesTotal()) {
            return 0;
        }
        return perSecond <= 0 ? -1 : Math.round(left / perSecond);
    }

    /**
     * Publishes where {@code p} stands; {@code estimates}: rows per table (absent or -1: unknown).
     */
    void publish(SnapshotProgress p, Map<String, Long> estimates) {
        long done = 0;
        long rowsDone = 0;
        long estimated = 0;
        StringBuilder json = new StringBuilder("[");
        Set<String> waiting = new HashSet<>();
        p.queue.forEach(r -> waiting.add(r.table()));
        for (Map.Entry<String, long[]> e : p.read.entrySet()) {
            String table = e.getKey();
            String state =
                    p.current != null && p.current.table().equals(table)
                                    || p.windowTables.contains(table)
                            ? "reading"
                            : waiting.contains(table) ? "waiting" : "done";
            long estimate = estimates.getOrDefault(table, -1L);
            long read = e.getValue()[0];
            if (state.equals("done")) {
                done++;
                estimate = read; // the count is known now
            }
            rowsDone += read;
            estimated += Math.max(estimate, read);
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"table\":")
                    .append(quote(table))
                    .append(",\"rows\":")
                    .append(read)
                    .append(",\"estimate\":")
                    .append(estimate)
                    .append(",\"chunks\":")
                    .append(e.getValue()[1])
                    .append(",\"chunksEstimate\":")
                    .append(
                            estimate < 0
                                    ? -1
                                    : Math.max(
                                            1,
                                            (Math.max(estimate, read) + windowRows - 1)
                                                    / windowRows))
                    .append(",\"state\":\"")
                    .append(state)
                    .append("\"}");
        }
        summary =
                new Summary(done, p.read.size(), rowsDone, estimated, json.append(']').toString());
    }

    /** A JSON string: names may hold quotes, backslashes and control characters. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
