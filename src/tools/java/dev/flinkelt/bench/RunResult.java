package dev.flinkelt.bench;

/**
 * One contender's run of one workload. {@code valid} only if the target's rows and checksum matched
 * the source's; otherwise {@code problem} says what differed. Streaming fields are null for
 * snapshot runs.
 */
record RunResult(
        String workload,
        String contender,
        int rep,
        int order,
        Integer rate,
        boolean valid,
        String problem,
        long rows,
        double seconds,
        double rowsPerSecond,
        double jvmCpuSeconds,
        double sourceCpuSeconds,
        double targetCpuSeconds,
        double cpuSecondsPerMillionRows,
        long jvmPeakRssBytes,
        long serverPeakPssBytes,
        Latency latency,
        Boolean sustained,
        Long slotLagGrowthBytes,
        Double drainSeconds) {

    static RunResult failed(
            String workload, String contender, int rep, int order, Integer rate, String problem) {
        return new RunResult(
                workload,
                contender,
                rep,
                order,
                rate,
                false,
                problem,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                null,
                rate == null ? null : false,
                null,
                null);
    }
}
