package dev.flinkelt.bench.tpch;

import java.util.Map;

/**
 * One run of the TPC-H transform workload by one contender. {@code valid} only if every output
 * equalled PostgreSQL's answer at the end of both phases; otherwise {@code problem} says which
 * differed. Transform contenders fill {@code initial} and {@code changes} with the times and CPU of
 * their JVM; the PostgreSQL peer fills {@code queries} (seconds per plain query and per
 * materialized view refresh, before and after the changes).
 */
public record TpchResult(
        String contender,
        int rep,
        int order,
        boolean valid,
        String problem,
        double scale,
        long rawRows,
        long changes,
        Phase initial,
        Phase afterChanges,
        FlinkCheckpoints.Size checkpoint,
        long jvmPeakRssBytes,
        Map<String, Double> queries,
        Map<String, Integer> answerRows) {

    /**
     * A transform phase: {@code seconds} from the transform's start (initial) or from the last
     * change visible in raw (after changes) until every output was current; {@code firstSeconds}
     * until the first one was (initial only); CPU seconds of the transform's JVM and of the servers
     * over the phase.
     */
    public record Phase(
            double seconds,
            Double firstSeconds,
            double jvmCpu,
            double sourceCpu,
            double warehouseCpu,
            double jvmCpuPerRow) {}

    public static TpchResult failed(
            String contender, int rep, int order, double scale, String problem) {
        return new TpchResult(
                contender, rep, order, false, problem, scale, 0, 0, null, null, null, 0, null,
                null);
    }
}
