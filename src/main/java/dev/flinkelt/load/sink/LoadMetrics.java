package dev.flinkelt.load.sink;

import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.monitor.StatusReport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committer's metrics, updated when a transaction becomes visible: per table (label {@code
 * table}) {@code rowsLoaded} by {@code op} (the raw row's {@code _op}), {@code rowsQuarantined} and
 * {@code freshnessSeconds} (now minus the source commit time of the newest change of the table this
 * subtask made visible: it also grows while the table has no changes, so read it next to {@code
 * slotLagBytes}); and {@code visibleLatencyMillis}, source commit to visible in raw, over the last
 * 10,000 streamed changes. A table with only snapshot rows (the first snapshot has no source commit
 * time) has no freshness yet. Table names only, never a value.
 */
final class LoadMetrics {
    private static final int LATENCY_WINDOW = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetricGroup group;
    private final Histogram latency;
    private final Map<String, TableMetrics> tables = new ConcurrentHashMap<>();

    private static final class TableMetrics {
        MetricGroup group;

        /** Registered at the first row of each {@code _op}: series only for what happens. */
        final Counter[] rows = new Counter[LoadedRows.OPS.length()];

        Counter quarantined;
        volatile long newestMicros = ChangeEvent.NONE;
    }

    /**
     * {@code tables}: the tables known at start, registered at once (a counter's first scraped
     * value then is 0, so an alert's {@code increase()} sees the first quarantined row); tables
     * captured later register at their first commit.
     */
    LoadMetrics(MetricGroup group, Collection<String> tables) {
        this.group = group;
        // for the status command: metric ids in Flink's REST API lose the dots of table names
        group.gauge(StatusReport.TABLE_FRESHNESS, (Gauge<String>) this::freshnessJson);
        this.latency =
                group.histogram(
                        "visibleLatencyMillis", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        tables.forEach(t -> this.tables.computeIfAbsent(t, this::register));
    }

    /** {@code rows} became visible at {@code nowMillis}. */
    void visible(LoadedRows rows, long nowMillis) {
        for (Map.Entry<String, LoadedRows.Table> e : rows.tables.entrySet()) {
            TableMetrics m = tables.computeIfAbsent(e.getKey(), this::register);
            LoadedRows.Table t = e.getValue();
            for (int op = 0; op < t.rows.length; op++) {
                if (t.rows[op] > 0) {
                    if (m.rows[op] == null) {
                        m.rows[op] =
                                m.group
                                        .addGroup("op", String.valueOf(LoadedRows.OPS.charAt(op)))
                                        .counter("rowsLoaded");
                    }
                    m.rows[op].inc(t.rows[op]);
                }
            }
            m.quarantined.inc(t.quarantined);
            if (t.newestMicros != ChangeEvent.NONE && t.newestMicros > m.newestMicros) {
                m.newestMicros = t.newestMicros;
            }
        }
        // each change counts at the middle of its 100 ms step; the window keeps the newest, so
        // older steps beyond it are skipped whole
        long skip =
                Math.max(
                        0,
                        rows.streamedAt.values().stream().mapToLong(n -> n).sum() - LATENCY_WINDOW);
        for (Map.Entry<Long, Long> step : rows.streamedAt.entrySet()) {
            long n = step.getValue();
            if (skip >= n) {
                skip -= n;
                continue;
            }
            long at = step.getKey() * LoadedRows.STEP_MILLIS + LoadedRows.STEP_MILLIS / 2;
            long millis = Math.max(0, nowMillis - at);
            for (long i = skip; i < n; i++) {
                latency.update(millis);
            }
            skip = 0;
        }
    }

    private TableMetrics register(String table) {
        TableMetrics m = new TableMetrics();
        MetricGroup t = group.addGroup("table", table);
        m.group = t;
        m.quarantined = t.counter("rowsQuarantined");
        t.gauge("freshnessSeconds", (Gauge<Double>) () -> freshness(m));
        return m;
    }

    /** {@code {"schema.table": seconds or null, ...}} for every table this subtask committed. */
    private String freshnessJson() {
        ObjectNode out = JSON.createObjectNode();
        new TreeMap<>(tables)
                .forEach(
                        (table, m) -> {
                            double f = freshness(m);
                            if (Double.isNaN(f)) {
                                out.putNull(table);
                            } else {
                                out.put(table, f);
                            }
                        });
        return out.toString();
    }

    private static double freshness(TableMetrics m) {
        long newest = m.newestMicros;
        return newest == ChangeEvent.NONE
                ? Double.NaN
                : Math.max(0, System.currentTimeMillis() * 1000 - newest) / 1e6;
    }
}
