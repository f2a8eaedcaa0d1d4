package dev.flinkelt.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What to run: {@code snapshotRows} (0 skips the snapshot workload), the streaming {@code rates} in
 * changes/s over a table of {@code streamRows} (empty skips streaming), {@code warmupSeconds} then
 * {@code measureSeconds} per rate, repetitions, the per-row loader's time box, the contenders,
 * extra {@code pipeline:} settings of flink-elt and extra options of the contenders' JVMs (e.g. a
 * profiler); the TPC-H scale of the transform workload (0 skips it) and the baseline build's jar
 * (null: none); {@code rateSearchFrom}: instead of fixed rates, search each streaming contender's
 * ceiling from this rate (0: no search).
 */
public record BenchOptions(
        Path out,
        long snapshotRows,
        long streamRows,
        int reps,
        List<Integer> rates,
        double warmupSeconds,
        double measureSeconds,
        double perRowSeconds,
        List<Contender> contenders,
        List<Contender> streamContenders,
        Map<String, String> flinkEltSettings,
        List<String> jvmOptions,
        double tpchScale,
        Path baselineJar,
        int rateSearchFrom) {

    public static List<String> contenderLabels() {
        return Contender.ALL.stream().map(Contender::label).toList();
    }

    /**
     * The contenders of the streaming workload: those named (from {@code all}), or every one of
     * {@code all} that streams.
     */
    public static List<Contender> streaming(List<Contender> all, List<String> labels) {
        if (labels == null) {
            return all.stream().filter(Contender::streams).toList();
        }
        for (String l : labels) {
            if (all.stream().noneMatch(c -> c.label().equals(l))) {
                throw new IllegalArgumentException(
                        "streaming contender "
                                + l
                                + " is not among "
                                + all.stream().map(Contender::label).toList());
            }
        }
        return all.stream().filter(c -> c.streams() && labels.contains(c.label())).toList();
    }

    /**
     * The contenders named, and with {@code baselineJar} (may be null) the flink-elt ones in {@code
     * baseline} again from that jar.
     */
    public static List<Contender> contenders(
            List<String> labels, Path baselineJar, List<String> baseline) {
        List<Contender> out = new ArrayList<>(labels.stream().map(Contender::byLabel).toList());
        if (baselineJar != null) {
            out.addAll(
                    out.stream()
                            .filter(
                                    c ->
                                            c.kind() == Contender.Kind.FLINK_ELT
                                                    && (baseline == null
                                                            || baseline.contains(c.label())))
                            .map(c -> c.from(baselineJar.toAbsolutePath()))
                            .toList());
        }
        return out;
    }
}
