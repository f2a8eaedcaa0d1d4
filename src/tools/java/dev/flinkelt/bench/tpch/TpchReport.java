package dev.flinkelt.bench.tpch;

import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/** The TPC-H transform workload's section of results.md: medians of the valid runs. */
public final class TpchReport {
    private TpchReport() {}

    public static String markdown(List<TpchResult> results, int reps) {
        if (results.isEmpty()) {
            return "";
        }
        TpchResult any = results.get(0);
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        "### Transform: TPC-H scale %s, six queries over the mirrors (%d repetitions, order rotated)%n%n",
                        any.scale(), reps));
        md.append(
                "| contender | valid runs | raw rows | to first output s | to all outputs s | JVM CPU s (µs per raw row) | warehouse CPU s | changes | last change in raw → all current s | JVM CPU s (µs per change) | warehouse CPU s | checkpoint state (last written) | JVM peak RSS |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String c : contenders(results)) {
            List<TpchResult> all = runs(results, c);
            List<TpchResult> v = all.stream().filter(TpchResult::valid).toList();
            if (c.equals("postgres") || v.isEmpty() || v.get(0).initial() == null) {
                continue;
            }
            md.append(
                    String.format(
                            "| %s | %d/%d | %,d | %.1f | %.1f | %.1f (%.1f) | %.1f | %,d | %.1f | %.1f (%.0f) | %.1f | %s | %s |%n",
                            c,
                            v.size(),
                            all.size(),
                            (long) median(v, TpchResult::rawRows),
                            median(
                                    v,
                                    r ->
                                            r.initial().firstSeconds() == null
                                                    ? Double.NaN
                                                    : r.initial().firstSeconds()),
                            median(v, r -> r.initial().seconds()),
                            median(v, r -> r.initial().jvmCpu()),
                            median(v, r -> r.initial().jvmCpuPerRow() * 1e6),
                            median(v, r -> r.initial().warehouseCpu()),
                            (long) median(v, TpchResult::changes),
                            median(v, r -> r.afterChanges().seconds()),
                            median(v, r -> r.afterChanges().jvmCpu()),
                            median(v, r -> r.afterChanges().jvmCpuPerRow() * 1e6),
                            median(v, r -> r.afterChanges().warehouseCpu()),
                            state(v),
                            mb(median(v, TpchResult::jvmPeakRssBytes))));
        }
        results.stream()
                .filter(r -> r.valid() && r.answerRows() != null)
                .findFirst()
                .ifPresent(
                        r ->
                                md.append(
                                        "\nRows of each answer (before → after the changes): "
                                                + String.join(
                                                        ", ",
                                                        r.answerRows().keySet().stream()
                                                                .filter(
                                                                        k ->
                                                                                k.startsWith(
                                                                                        "initial/"))
                                                                .map(k -> k.substring(8))
                                                                .map(
                                                                        q ->
                                                                                q
                                                                                        + " "
                                                                                        + r.answerRows()
                                                                                                .get(
                                                                                                        "initial/"
                                                                                                                + q)
                                                                                        + " → "
                                                                                        + r.answerRows()
                                                                                                .get(
                                                                                                        "afterChanges/"
                                                                                                                + q))
                                                                .toList())
                                                + ".\n"));
        List<TpchResult> pg = runs(results, "postgres");
        List<TpchResult> v = pg.stream().filter(TpchResult::valid).toList();
        if (!v.isEmpty()) {
            md.append(
                    String.format(
                            "%nPostgreSQL on the source, the same six queries (%d/%d valid runs, medians): plain queries %.2f s, REFRESH MATERIALIZED VIEW %.2f s; after the %,d changes: %.2f s and %.2f s. Per query (query / refresh s, initial): %s.%n",
                            v.size(),
                            pg.size(),
                            median(v, r -> r.queries().get("initial/query")),
                            median(v, r -> r.queries().get("initial/refresh")),
                            (long) median(v, TpchResult::changes),
                            median(v, r -> r.queries().get("afterChanges/query")),
                            median(v, r -> r.queries().get("afterChanges/refresh")),
                            String.join(
                                    ", ",
                                    v.get(0).queries().keySet().stream()
                                            .filter(k -> k.startsWith("initial/query/"))
                                            .map(k -> k.substring("initial/query/".length()))
                                            .map(
                                                    q ->
                                                            String.format(
                                                                    "%s %.2f / %.2f",
                                                                    q,
                                                                    median(
                                                                            v,
                                                                            r ->
                                                                                    r.queries()
                                                                                            .get(
                                                                                                    "initial/query/"
                                                                                                            + q)),
                                                                    median(
                                                                            v,
                                                                            r ->
                                                                                    r.queries()
                                                                                            .get(
                                                                                                    "initial/refresh/"
                                                                                                            + q))))
                                            .toList())));
        }
        return md.append('\n').toString();
    }

    private static List<String> contenders(List<TpchResult> results) {
        return results.stream().map(TpchResult::contender).distinct().toList();
    }

    private static List<TpchResult> runs(List<TpchResult> results, String contender) {
        return results.stream().filter(r -> r.contender().equals(contender)).toList();
    }

    private static String state(List<TpchResult> v) {
        List<TpchResult> with = v.stream().filter(r -> r.checkpoint() != null).toList();
        return with.isEmpty()
                ? "–"
                : mb(median(with, r -> r.checkpoint().stateBytes()))
                        + " ("
                        + mb(median(with, r -> r.checkpoint().checkpointedBytes()))
                        + ")";
    }

    static double median(List<TpchResult> runs, ToDoubleFunction<TpchResult> f) {
        double[] x = runs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (x.length == 0) {
            return Double.NaN;
        }
        return x.length % 2 == 1 ? x[x.length / 2] : (x[x.length / 2 - 1] + x[x.length / 2]) / 2;
    }

    private static String mb(double bytes) {
        return Double.isNaN(bytes) || bytes == 0 ? "–" : String.format("%,.1f MB", bytes / 1e6);
    }

    /** One line per run for the console, without row values. */
    public static String line(TpchResult r) {
        if (!r.valid()) {
            return "INVALID: " + r.problem();
        }
        if (r.initial() == null) {
            return String.format(
                    "queries %.2f s, refresh %.2f s; after %,d changes %.2f s / %.2f s",
                    r.queries().get("initial/query"),
                    r.queries().get("initial/refresh"),
                    r.changes(),
                    r.queries().get("afterChanges/query"),
                    r.queries().get("afterChanges/refresh"));
        }
        return String.format(
                "%,d raw rows: first output %.1f s, all %.1f s, %.1f µs CPU/row; %,d changes: all current %.1f s after the last in raw, %.0f µs CPU/change; state %s",
                r.rawRows(),
                Objects.requireNonNullElse(r.initial().firstSeconds(), Double.NaN),
                r.initial().seconds(),
                r.initial().jvmCpuPerRow() * 1e6,
                r.changes(),
                r.afterChanges().seconds(),
                r.afterChanges().jvmCpuPerRow() * 1e6,
                r.checkpoint() == null ? "–" : mb(r.checkpoint().stateBytes()));
    }
}
