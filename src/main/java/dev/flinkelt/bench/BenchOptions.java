package dev.flinkelt.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What to run: {@code snapshotRows} (0 skips the snapshot workload), the streaming {@code rates} in changes/s over a
 * table of {@code streamRows} (empty skips streaming), {@code warmupSeconds} then {@code measureSeconds} per rate,
 * repetitions, the per-row loader's time box, the contenders, extra {@code pipeline:} settings of flink-elt and extra options of the contenders' JVMs (e.g. a profiler).
 */
public record BenchOptions(Path out, long snapshotRows, long streamRows, int reps, List<Integer> rates, double warmupSeconds,
                           double measureSeconds, double perRowSeconds, List<Contender> contenders,
                           java.util.Map<String, String> flinkEltSettings, List<String> jvmOptions) {

    public static List<String> contenderLabels() {
        return Contender.ALL.stream().map(Contender::label).toList();
    }

    /** The contenders named, and with {@code baselineJar} (may be null) each flink-elt one again from that jar. */
    public static List<Contender> contenders(List<String> labels, Path baselineJar) {
        List<Contender> out = new java.util.ArrayList<>(labels.stream().map(Contender::byLabel).toList());
        if (baselineJar != null) {
            out.addAll(out.stream().filter(c -> c.kind() == Contender.Kind.FLINK_ELT).map(c -> c.from(baselineJar.toAbsolutePath())).toList());
        }
        return out;
    }
}
