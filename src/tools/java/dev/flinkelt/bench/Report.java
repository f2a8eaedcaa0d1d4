package dev.flinkelt.bench;

import dev.flinkelt.bench.tpch.TpchReport;
import dev.flinkelt.bench.tpch.TpchResult;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Writes a run's results: {@code results.json} (everything), {@code results.md} (tables, targets)
 * and {@code results.png}.
 */
final class Report {
    private final BenchOptions options;
    private final List<RunResult> results;
    private final List<TpchResult> tpch;
    private final Map<String, Object> environment;

    Report(
            BenchOptions options,
            List<RunResult> results,
            List<TpchResult> tpch,
            Map<String, Object> environment) {
        this.options = options;
        this.results = results;
        this.tpch = tpch;
        this.environment = environment;
    }

    void write() throws Exception {
        writeJson();
        Files.writeString(options.out().resolve("results.md"), markdown());
        Plot.write(this, options.out().resolve("results.png"));
    }

    void writeJson() throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("environment", environment);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("snapshotRows", options.snapshotRows());
        settings.put("streamRows", options.streamRows());
        settings.put("reps", options.reps());
        settings.put("rates", rates());
        settings.put("rateSearchFrom", options.rateSearchFrom());
        settings.put("warmupSeconds", options.warmupSeconds());
        settings.put("measureSeconds", options.measureSeconds());
        settings.put("perRowSeconds", options.perRowSeconds());
        settings.put("contenders", options.contenders().stream().map(Contender::label).toList());
        settings.put(
                "streamContenders",
                options.streamContenders().stream().map(Contender::label).toList());
        settings.put(
                "baselineJars",
                options.contenders().stream()
                        .filter(c -> c.jar() != null)
                        .map(c -> c.jar().toString())
                        .distinct()
                        .toList());
        settings.put("flinkEltSettings", options.flinkEltSettings());
        settings.put("jvmOptions", options.jvmOptions());
        settings.put("serverSettings", Bench.SERVER_SETTINGS);
        settings.put("tpchScale", options.tpchScale());
        json.put("settings", settings);
        json.put("runs", results);
        json.put("tpchRuns", tpch);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(options.out().resolve("results.json").toFile(), json);
    }

    /** The contenders that ran {@code workload}, in the order they were given. */
    List<String> contenders(String workload) {
        List<String> given = options.contenders().stream().map(Contender::label).toList();
        return results.stream()
                .filter(r -> r.workload().equals(workload))
                .map(RunResult::contender)
                .distinct()
                .sorted(Comparator.comparingInt(given::indexOf))
                .toList();
    }

    /**
     * Every run of {@code contender} in {@code workload} at {@code rate} (null for the snapshot).
     */
    List<RunResult> runs(String workload, String contender, Integer rate) {
        return results.stream()
                .filter(
                        r ->
                                r.workload().equals(workload)
                                        && r.contender().equals(contender)
                                        && Objects.equals(r.rate(), rate))
                .toList();
    }

    List<RunResult> valid(String workload, String contender, Integer rate) {
        return runs(workload, contender, rate).stream().filter(RunResult::valid).toList();
    }

    static double median(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double min(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
        return runs.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    static double max(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
        return runs.stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    /** Median rows/s of the snapshot workload per contender. */
    double snapshotRate(String contender) {
        return median(valid("snapshot", contender, null), RunResult::rowsPerSecond);
    }

    /** The streaming rates run: those given, or those a ceiling search tried. */
    List<Integer> rates() {
        return results.stream()
                .filter(r -> r.workload().equals("streaming") && r.rate() != null)
                .map(RunResult::rate)
                .distinct()
                .sorted()
                .toList();
    }

    /** The lowest tested rate some run of {@code contender} did not sustain, or 0. */
    int minUnsustained(String contender) {
        for (int rate : rates()) {
            List<RunResult> runs = runs("streaming", contender, rate);
            if (!runs.isEmpty()
                    && !runs.stream()
                            .allMatch(r -> r.valid() && Boolean.TRUE.equals(r.sustained()))) {
                return rate;
            }
        }
        return 0;
    }

    /** The highest tested rate every run of {@code contender} sustained, or 0. */
    int maxSustained(String contender) {
        int best = 0;
        for (int rate : rates()) {
            List<RunResult> runs = runs("streaming", contender, rate);
            if (!runs.isEmpty()
                    && runs.stream()
                            .allMatch(r -> r.valid() && Boolean.TRUE.equals(r.sustained()))) {
                best = Math.max(best, rate);
            }
        }
        return best;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        "Machine: %s; %s; %s; %s.%n%n",
                        environment.get("cpu"),
                        environment.get("java"),
                        environment.get("flink"),
                        environment.get("postgres")));
        if (!contenders("snapshot").isEmpty()) {
            md.append(
                    String.format(
                            "### Snapshot of %,d rows (%d repetitions, order rotated)%n%n",
                            options.snapshotRows(), options.reps()));
            md.append(
                    "| contender | rows/s median (min–max) | valid runs | × COPY | CPU s per M rows: all (JVM / source / target) | JVM peak RSS | servers peak PSS |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|\n");
            double copy = snapshotRate("copy");
            for (String c : contenders("snapshot")) {
                List<RunResult> v = valid("snapshot", c, null);
                md.append(
                        String.format(
                                "| %s | %,.0f (%,.0f–%,.0f) | %d/%d | %.3f | %s | %s | %s |%n",
                                c,
                                snapshotRate(c),
                                min(v, RunResult::rowsPerSecond),
                                max(v, RunResult::rowsPerSecond),
                                v.size(),
                                runs("snapshot", c, null).size(),
                                snapshotRate(c) / copy,
                                cpu(v),
                                mb(median(v, r -> r.jvmPeakRssBytes())),
                                mb(median(v, r -> r.serverPeakPssBytes()))));
            }
            md.append('\n');
        }
        if (!contenders("streaming").isEmpty()) {
            md.append(
                    String.format(
                            "### Streaming (open loop, %d-change transactions 60/30/10 %% insert/update/delete, %.0f s warm-up + %.0f s measured (at least 3 checkpoint intervals), %d repetitions)%n%n",
                            ChangeLoad.TX_SIZE,
                            options.warmupSeconds(),
                            options.measureSeconds(),
                            options.reps()));
            md.append(
                    "| rate/s | contender | sustained | achieved/s | latency p50 / p95 / p99 ms (median of runs) | max ms | drain s | CPU s per M changes: all (JVM / source / target) |\n");
            md.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
            for (int rate : rates()) {
                for (String c : contenders("streaming")) {
                    if (runs("streaming", c, rate).isEmpty()) {
                        continue; // a ceiling search tries its own rates per contender
                    }
                    List<RunResult> v = valid("streaming", c, rate);
                    long sustained =
                            v.stream().filter(r -> Boolean.TRUE.equals(r.sustained())).count();
                    md.append(
                            String.format(
                                    "| %,d | %s | %d/%d | %,.0f | %.0f / %.0f / %.0f | %.0f | %.1f | %s |%n",
                                    rate,
                                    c,
                                    sustained,
                                    runs("streaming", c, rate).size(),
                                    median(v, RunResult::rowsPerSecond),
                                    median(v, r -> r.latency().p50()),
                                    median(v, r -> r.latency().p95()),
                                    median(v, r -> r.latency().p99()),
                                    max(v, r -> r.latency().max()),
                                    median(v, RunResult::drainSeconds),
                                    cpu(v)));
                }
            }
            md.append("\nHighest tested rate sustained in every run: ");
            List<String> parts = new ArrayList<>();
            for (String c : contenders("streaming")) {
                parts.add(c + " " + String.format("%,d", maxSustained(c)) + "/s");
            }
            md.append(String.join(", ", parts)).append(".\n");
            if (options.rateSearchFrom() > 0) {
                md.append("Ceiling search (from ")
                        .append(String.format("%,d", options.rateSearchFrom()))
                        .append("/s, doubling, then two bisections): ");
                List<String> ceilings = new ArrayList<>();
                for (String c : contenders("streaming")) {
                    int bad = minUnsustained(c);
                    ceilings.add(
                            c
                                    + " sustained "
                                    + String.format("%,d", maxSustained(c))
                                    + "/s, "
                                    + (bad == 0
                                            ? "every rate tried"
                                            : String.format("not %,d/s", bad)));
                }
                md.append(String.join("; ", ceilings)).append(".\n");
            }
            md.append('\n');
        }
        md.append(TpchReport.markdown(tpch, options.reps()));
        List<String> invalid =
                results.stream()
                        .filter(r -> !r.valid())
                        .map(
                                r ->
                                        "- "
                                                + r.workload()
                                                + (r.rate() == null ? "" : "@" + r.rate())
                                                + " "
                                                + r.contender()
                                                + " rep "
                                                + r.rep()
                                                + ": "
                                                + r.problem().lines().findFirst().orElse(""))
                        .toList();
        invalid = new ArrayList<>(invalid);
        for (TpchResult r : tpch) {
            if (!r.valid()) {
                invalid.add("- tpch " + r.contender() + " rep " + r.rep() + ": " + r.problem());
            }
        }
        if (!invalid.isEmpty()) {
            md.append("Runs that did not count:\n")
                    .append(String.join("\n", invalid))
                    .append("\n\n");
        }
        return md.toString();
    }

    /**
     * Median CPU seconds per million rows, in total and per process (JVM / source server / target
     * server).
     */
    private static String cpu(List<RunResult> v) {
        ToDoubleFunction<RunResult> perM = r -> 1e6 / Math.max(1, r.rows());
        return String.format(
                "%.0f (%.0f / %.0f / %.0f)",
                median(v, RunResult::cpuSecondsPerMillionRows),
                median(v, r -> r.jvmCpuSeconds() * perM.applyAsDouble(r)),
                median(v, r -> r.sourceCpuSeconds() * perM.applyAsDouble(r)),
                median(v, r -> r.targetCpuSeconds() * perM.applyAsDouble(r)));
    }

    private static String mb(double bytes) {
        return Double.isNaN(bytes) || bytes == 0 ? "–" : String.format("%,.0f MB", bytes / 1e6);
    }

    List<RunResult> results() {
        return results;
    }

    BenchOptions options() {
        return options;
    }
}
