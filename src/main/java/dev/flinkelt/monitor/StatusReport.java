package dev.flinkelt.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where an extract-load job stands, as text: the job and its last completed checkpoint, the slot's
 * lag, each table's freshness (from {@code load.sink.LoadMetrics}), and the snapshot with a
 * progress bar per table (from the metrics of {@code track.SnapshotMetrics}).
 */
public final class StatusReport {
    static final List<String> METRICS =
            List.of("snapshotTables", "snapshotRowsPerSecond", "snapshotEtaSeconds");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The sink committers' gauge of every table's freshness as JSON (Flink's REST API drops the
     * dots of table names from metric ids, so the per-table gauges cannot be told apart there).
     */
    public static final String TABLE_FRESHNESS = "tableFreshness";

    static final int MAX_TABLES = 20;
    static final int BAR = 24;

    private StatusReport() {}

    /** One table's snapshot as the metric reports it. */
    record Table(
            String name,
            long rows,
            long estimate,
            long chunks,
            long chunksEstimate,
            String state) {}

    /**
     * The report's lines for job {@code jobName} at {@code rest}; {@code slotLagBytes} -1 when
     * unknown.
     */
    public static List<String> lines(
            FlinkRest rest, String jobName, long slotLagBytes, long nowMillis) throws IOException {
        List<String> out = new ArrayList<>();
        FlinkRest.Job job = rest.job(jobName);
        if (job == null) {
            out.add("job:        none named '" + jobName + "' at " + rest.base());
            out.add("slot lag:   " + bytes(slotLagBytes));
            return out;
        }
        out.add(
                "job:        "
                        + job.name()
                        + " "
                        + job.state()
                        + " ("
                        + job.id()
                        + "), up "
                        + duration((nowMillis - job.startMillis()) / 1000));
        FlinkRest.Checkpoint c = rest.lastCheckpoint(job.id());
        out.add(
                "checkpoint: "
                        + (c == null
                                ? "none completed yet"
                                : "#"
                                        + c.id()
                                        + " completed "
                                        + duration(
                                                Math.max(0, nowMillis - c.completedMillis()) / 1000)
                                        + " ago, took "
                                        + c.durationMillis()
                                        + " ms, "
                                        + bytes(c.bytes())));
        out.add("slot lag:   " + bytes(slotLagBytes));
        out.addAll(freshness(freshnessMetrics(rest, job.id()), MAX_TABLES));
        out.addAll(snapshot(rest.metrics(job.id(), METRICS)));
        return out;
    }

    /**
     * The freshness part only, on one line (the demo prints it): each table's seconds since its
     * newest change visible in raw.
     */
    public static String freshnessLine(FlinkRest rest, String jobName) throws IOException {
        FlinkRest.Job job = rest.job(jobName);
        Map<String, Double> f = job == null ? Map.of() : freshnessMetrics(rest, job.id());
        if (f.isEmpty()) {
            return "freshness:  no change visible in raw yet";
        }
        StringBuilder b = new StringBuilder("freshness:  newest change visible");
        f.forEach(
                (table, seconds) -> b.append("  ").append(table).append(' ').append(age(seconds)));
        return b.toString();
    }

    /**
     * Per table, the freshness its committers report (gauge {@code tableFreshness} of {@code
     * load.sink.LoadMetrics}: JSON, table to seconds or null), the smallest: each subtask knows
     * only the changes it made visible. NaN: no streamed change visible yet.
     */
    static Map<String, Double> freshnessMetrics(FlinkRest rest, String job) throws IOException {
        Map<String, Double> out = new TreeMap<>();
        for (Map<String, String> m : rest.metrics(job, List.of(TABLE_FRESHNESS)).values()) {
            JsonNode tables = JSON.readTree(m.getOrDefault(TABLE_FRESHNESS, "{}"));
            tables.properties()
                    .forEach(
                            e -> {
                                double v =
                                        e.getValue().isNumber()
                                                ? e.getValue().asDouble()
                                                : Double.NaN;
                                out.merge(e.getKey(), v, StatusReport::fresher);
                            });
        }
        return out;
    }

    private static double fresher(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
    }

    /** Tables by freshness, stalest first, at most {@code max} of them. */
    static List<String> freshness(Map<String, Double> tables, int max) {
        if (tables.isEmpty()) {
            return List.of("freshness:  no change visible in raw in this run of the job yet");
        }
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(tables.entrySet());
        // NaN (no streamed change yet) last
        sorted.sort(
                Comparator.comparing(
                                (Map.Entry<String, Double> e) ->
                                        Double.isNaN(e.getValue())
                                                ? Double.NEGATIVE_INFINITY
                                                : e.getValue())
                        .reversed());
        List<String> out = new ArrayList<>();
        out.add(
                "freshness:  newest change visible in raw, per table (stalest first; an idle table's grows"
                        + " too: behind only if the slot lag grows)");
        int width =
                Math.min(48, sorted.stream().mapToInt(e -> e.getKey().length()).max().orElse(10));
        for (Map.Entry<String, Double> e : sorted.subList(0, Math.min(max, sorted.size()))) {
            out.add(
                    String.format(
                            "  %-" + width + "s %s",
                            e.getKey(),
                            Double.isNaN(e.getValue())
                                    ? "snapshot rows only, no streamed change yet"
                                    : age(e.getValue()) + " ago"));
        }
        if (sorted.size() > max) {
            out.add("  ... and " + (sorted.size() - max) + " more table(s)");
        }
        return out;
    }

    /**
     * The transform's horizon: how long the oldest transaction open on the warehouse has held it
     * ({@code oldestSeconds}), and those open over a minute ({@code holders}, by name or session).
     */
    public static List<String> horizon(double oldestSeconds, List<String> holders) {
        List<String> out = new ArrayList<>();
        out.add(
                oldestSeconds <= 0
                        ? "horizon:    no transaction open on the warehouse (the transform reads every committed raw row)"
                        : "horizon:    the oldest transaction open on the warehouse began "
                                + age(oldestSeconds)
                                + " ago; the transform reads raw rows loaded before it");
        holders.forEach(h -> out.add("  held by " + h));
        return out;
    }

    static String age(double seconds) {
        return seconds < 60
                ? String.format(Locale.ROOT, "%.1f s", seconds)
                : duration((long) seconds);
    }

    /**
     * Only the snapshot part for job {@code jobName} (the demo prints it while the first snapshot
     * runs).
     */
    public static List<String> snapshotLines(FlinkRest rest, String jobName) throws IOException {
        FlinkRest.Job job = rest.job(jobName);
        return job == null ? List.of() : snapshot(rest.metrics(job.id(), METRICS));
    }

    /**
     * The snapshot part: a summary line and a bar per table, from the subtask that reads the
     * stream.
     */
    static List<String> snapshot(Map<Integer, Map<String, String>> metrics) throws IOException {
        List<Table> tables = new ArrayList<>();
        double rate = 0;
        long eta = -1;
        for (Map<String, String> m : metrics.values()) {
            JsonNode list = JSON.readTree(m.getOrDefault("snapshotTables", "[]"));
            if (list.size() == 0) {
                continue;
            }
            for (JsonNode t : list) {
                tables.add(
                        new Table(
                                t.path("table").asText(),
                                t.path("rows").asLong(),
                                t.path("estimate").asLong(),
                                t.path("chunks").asLong(),
                                t.path("chunksEstimate").asLong(-1),
                                t.path("state").asText()));
            }
            rate = Double.parseDouble(m.getOrDefault("snapshotRowsPerSecond", "0"));
            eta = Long.parseLong(m.getOrDefault("snapshotEtaSeconds", "-1"));
        }
        return render(tables, rate, eta);
    }

    static List<String> render(List<Table> tables, double rate, long eta) {
        List<String> out = new ArrayList<>();
        if (tables.isEmpty()) {
            out.add(
                    "snapshot:   no table read in this run of the job (restored after its snapshot, or not started yet)");
            return out;
        }
        long done = tables.stream().filter(t -> t.state().equals("done")).count();
        long rows = tables.stream().mapToLong(Table::rows).sum();
        long estimate = tables.stream().mapToLong(t -> Math.max(t.rows(), t.estimate())).sum();
        out.add(
                String.format(
                        "snapshot:   %d of %d table(s) done, %,d of ~%,d rows, %,.0f rows/s, %s",
                        done,
                        tables.size(),
                        rows,
                        estimate,
                        rate,
                        done == tables.size()
                                ? "complete"
                                : eta < 0 ? "ETA unknown" : "ETA " + duration(eta)));
        int width = Math.min(48, tables.stream().mapToInt(t -> t.name().length()).max().orElse(10));
        for (Table t : tables) {
            long of = t.state().equals("done") ? t.rows() : Math.max(t.rows(), t.estimate());
            double share =
                    t.state().equals("done")
                            ? 1
                            : of <= 0 ? 0 : Math.min(1, (double) t.rows() / of);
            int filled = (int) Math.round(share * BAR);
            String name =
                    t.name().length() > width ? t.name().substring(0, width - 1) + "…" : t.name();
            String chunks =
                    t.state().equals("done") || t.chunksEstimate() < 0
                            ? t.chunks() + " chunk(s)"
                            : t.chunks()
                                    + " of ~"
                                    + Math.max(t.chunks(), t.chunksEstimate())
                                    + " chunk(s)";
            out.add(
                    String.format(
                            "  %-" + width + "s [%s%s] %3.0f%%  %,d / %s rows, %s, %s",
                            name,
                            "#".repeat(filled),
                            "-".repeat(BAR - filled),
                            100 * share,
                            t.rows(),
                            t.state().equals("done")
                                    ? String.format("%,d", t.rows())
                                    : t.estimate() < 0 ? "?" : String.format("~%,d", of),
                            chunks,
                            t.state()));
        }
        return out;
    }

    static String bytes(long b) {
        if (b < 0) {
            return "unknown";
        }
        return b < 1024
                ? b + " B"
                : b < 1 << 20
                        ? String.format("%.1f KB", b / 1024.0)
                        : b < 1L << 30
                                ? String.format("%.1f MB", b / 1048576.0)
                                : String.format("%.1f GB", b / 1073741824.0);
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format("%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format("%d h %02d min", seconds / 3600, seconds % 3600 / 60);
    }
}
