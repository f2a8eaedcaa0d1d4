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

    /**
     * The contenders run when none are named: all but the variants with several snapshot readers,
     * which are asked for by name.
     */
    public static List<String> contenderLabels() {
        return Contender.ALL.stream()
                .filter(c -> c.snapshotReaders() == 1)
                .map(Contender::label)
                .toList();
    }

    /**
     * The contenders of the streaming workload: those named (from {@code all}), or every one of
     * {@code all} that streams.
     */
    public static List<Contender> streaming(List<Contender> all, List<String> labels) {
        if (labels == null) {
            // snapshot readers change nothing in streaming: those variants stream only when named
            return all.stream().filter(c -> c.streams() && c.snapshotReaders() == 1).toList();
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
     * baseline} again from that jar. Variants with several snapshot readers are not run from a
     * baseline jar: builds before the setting refuse it.
     */
    public static List<Contender> contenders(
            List<String> labels, Path baselineJar, List<String> baseline) {
        List<Contender> out = new ArrayList<>(labels.stream().map(Contender::byLabel).toList());
        if (baselineJar != null) {
            if (baseline != null) {
                for (String l : baseline) {
                    if (Contender.byLabel(l).snapshotReaders() > 1) {
                        throw new IllegalArgumentException(
                                "baseline contender "
                                        + l
                                        + " sets snapshot-readers, which a baseline build may not know;"
                                        + " compare it with the baseline's flink-elt-p2-cp10s instead");
                    }
                }
            }
            out.addAll(
                    out.stream()
                            .filter(
                                    c ->
                                            c.kind() == Contender.Kind.FLINK_ELT
                                                    && c.snapshotReaders() == 1
                                                    && (baseline == null
                                                            || baseline.contains(c.label())))
                            .map(c -> c.from(baselineJar.toAbsolutePath()))
                            .toList());
        }
        return out;
    }
}
