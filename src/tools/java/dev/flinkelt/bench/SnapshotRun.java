package dev.flinkelt.bench;

/**
 * The snapshot workload: the contender copies a table of N rows into an empty target. Time runs
 * from the contender's start (JVM start included) to the commit of the last row on the target
 * ({@code pg_xact_commit_timestamp}), so polling does not blur it.
 */
final class SnapshotRun {
    private static final long TIMEOUT_NANOS = 60L * 60 * 1_000_000_000L;

    private final BenchSetup setup;

    SnapshotRun(BenchSetup setup) {
        this.setup = setup;
    }

    RunResult run(Contender c, String db, String template, int rep, int order) throws Exception {
        setup.out().printf("snapshot %s rep %d (%s) ...%n", c.label(), rep, db);
        try (BenchRun run = new BenchRun(setup, c, db, template)) {
            BenchTable.Checksum expected =
                    BenchTable.checksum(run.source, BenchTable.QUALIFIED, null);
            try (Meter meter = new Meter(setup.postmasters(), run.harnessBackends)) {
                long startMicros = Clock.micros();
                Process jvm = run.start();
                if (jvm != null) {
                    meter.watch(jvm, true);
                }
                long deadline = System.nanoTime() + TIMEOUT_NANOS;
                while (!(c.streams() ? run.hasRows(expected.rows()) : run.exited())) {
                    run.checkAlive();
                    if (System.nanoTime() > deadline) {
                        return RunResult.failed(
                                "snapshot", c.label(), rep, order, null, "not done after 60 min");
                    }
                    Thread.sleep(250);
                }
                run.checkAlive();
                Meter.Reading m = meter.stop();
                long last = run.lastCommitMicros();
                BenchTable.Checksum got = BenchTable.checksum(run.target, c.targetRelation(), null);
                if (c.kind() == Contender.Kind.PER_ROW) {
                    // time-boxed: it loaded a prefix by key; that prefix must match
                    long maxKey =
                            BenchRun.queryLong(
                                    run.target,
                                    "SELECT coalesce(max(k), 0) FROM " + c.targetRelation());
                    expected =
                            BenchTable.checksum(run.source, BenchTable.QUALIFIED, "k <= " + maxKey);
                }
                if (!got.equals(expected) || got.rows() == 0) {
                    return RunResult.failed(
                            "snapshot",
                            c.label(),
                            rep,
                            order,
                            null,
                            "target " + got + " but source " + expected);
                }
                double seconds = (last - startMicros) / 1e6;
                return new RunResult(
                        "snapshot",
                        c.label(),
                        rep,
                        order,
                        null,
                        true,
                        null,
                        got.rows(),
                        seconds,
                        got.rows() / seconds,
                        m.jvmCpu(),
                        m.sourceCpu(),
                        m.targetCpu(),
                        m.cpu() / got.rows() * 1e6,
                        m.jvmPeakRss(),
                        m.serverPeakPss(),
                        null,
                        null,
                        null,
                        null);
            }
        } catch (IllegalStateException e) {
            return RunResult.failed("snapshot", c.label(), rep, order, null, e.getMessage());
        }
    }
}
