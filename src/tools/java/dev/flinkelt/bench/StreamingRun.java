package dev.flinkelt.bench;

import dev.flinkelt.demo.PgServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The streaming workload: after the contender's snapshot of a small table, an open-loop writer
 * makes changes at a fixed rate (warm-up, then a measured window). Visibility latency of a row
 * version = its commit time on the target minus its transaction's commit time on the source. The
 * rate counts as sustained when the writer kept its schedule, the replication slot's lag did not
 * grow over the window (smallest lag of the second half vs the first half, within 5 % of the WAL
 * written; the window is at least three checkpoint intervals) and everything was visible within a
 * checkpoint interval + 5 s after the writer stopped.
 */
final class StreamingRun {
    private static final long CATCH_UP_NANOS = 3L * 60 * 1_000_000_000L;

    private final BenchSetup setup;

    StreamingRun(BenchSetup setup) {
        this.setup = setup;
    }

    RunResult run(Contender c, String db, String template, int rep, int order, int rate)
            throws Exception {
        setup.out()
                .printf("streaming %,d changes/s: %s rep %d (%s) ...%n", rate, c.label(), rep, db);
        String workload = "streaming";
        // the slot of a checkpointing contender moves only when a checkpoint completes: a window of
        // three intervals
        // lets each half hold at least one
        BenchOptions options = setup.options();
        double measure =
                Math.max(options.measureSeconds(), 3.0 * c.checkpointInterval().toSeconds());
        try (BenchRun run = new BenchRun(setup, c, db, template)) {
            Process jvm = run.start();
            long initial = options.streamRows();
            long deadline = System.nanoTime() + CATCH_UP_NANOS;
            while (run.count() < initial) {
                run.checkAlive();
                if (System.nanoTime() > deadline) {
                    return RunResult.failed(
                            workload,
                            c.label(),
                            rep,
                            order,
                            rate,
                            "initial snapshot not visible after 3 min");
                }
                Thread.sleep(250);
            }
            Properties simple = new Properties();
            simple.setProperty("user", PgServer.USER);
            simple.setProperty("preferQueryMode", "simple");
            try (Connection gen = DriverManager.getConnection(setup.source().url(db), simple)) {
                run.harnessBackends.add(BenchRun.backendPid(gen));
                ChangeLoad load = new ChangeLoad(gen, initial);
                load.run(rate, options.warmupSeconds());
                long walStart = walPosition(run);
                SlotLagSampler lag = new SlotLagSampler(setup.source().url(db), run.slot());
                ChangeLoad.Window window;
                Meter.Reading m;
                try (Meter meter = new Meter(setup.postmasters(), run.harnessBackends)) {
                    if (jvm != null) {
                        meter.watch(jvm, false);
                    }
                    lag.start();
                    window = load.run(rate, measure);
                    m = meter.stop();
                } finally {
                    lag.stop();
                }
                long walBytes = walPosition(run) - walStart;
                long writerDone = Clock.micros();
                long expectedRows = c.keepsChanges() ? initial + load.changes() : -1;
                String problem = awaitMatch(run, expectedRows, System.nanoTime() + CATCH_UP_NANOS);
                if (problem != null) {
                    return RunResult.failed(workload, c.label(), rep, order, rate, problem);
                }
                double drain = Math.max(0, (run.lastCommitMicros() - writerDone) / 1e6);
                Latency latency = latency(run, load.commitTimes(), window);
                boolean onSchedule = window.seconds() <= measure * 1.05;
                long growth = lag.growth();
                boolean sustained =
                        onSchedule
                                && growth <= walBytes * 0.05
                                && drain <= c.checkpointInterval().toSeconds() + 5;
                return new RunResult(
                        workload,
                        c.label(),
                        rep,
                        order,
                        rate,
                        true,
                        null,
                        window.changes(),
                        window.seconds(),
                        window.changes() / window.seconds(),
                        m.jvmCpu(),
                        m.sourceCpu(),
                        m.targetCpu(),
                        m.cpu() / window.changes() * 1e6,
                        m.jvmPeakRss(),
                        m.serverPeakPss(),
                        latency,
                        sustained,
                        growth,
                        drain);
            }
        } catch (IllegalStateException e) {
            return RunResult.failed(workload, c.label(), rep, order, rate, e.getMessage());
        }
    }

    /** The source's WAL position in bytes. */
    private static long walPosition(BenchRun run) throws SQLException {
        return BenchRun.queryLong(run.source, "SELECT pg_current_wal_lsn() - '0/0'");
    }

    /**
     * Waits until the target holds the source's current state: the same table (current-state
     * contenders), or for flink-elt one raw row per change and the latest version per key equal to
     * the source.
     */
    private static String awaitMatch(BenchRun run, long expectedRawRows, long deadline)
            throws Exception {
        BenchTable.Checksum expected = BenchTable.checksum(run.source, BenchTable.QUALIFIED, null);
        String relation =
                run.contender.keepsChanges()
                        ? "(SELECT DISTINCT ON (k) * FROM "
                                + run.contender.targetRelation()
                                + " ORDER BY k, _lsn DESC, _seq DESC) latest"
                        : run.contender.targetRelation();
        String where = run.contender.keepsChanges() ? "_op <> 'd'" : null;
        BenchTable.Checksum got = null;
        long rawRows = -1;
        while (System.nanoTime() < deadline) {
            run.checkAlive();
            rawRows = expectedRawRows < 0 ? -1 : run.count();
            if (rawRows == expectedRawRows) {
                got = BenchTable.checksum(run.target, relation, where);
                if (got.equals(expected)) {
                    return null;
                }
            }
            if (rawRows > expectedRawRows && expectedRawRows >= 0) {
                return "raw table has "
                        + rawRows
                        + " rows but "
                        + expectedRawRows
                        + " changes were made (duplicates)";
            }
            Thread.sleep(500);
        }
        return "3 min after the writer stopped the target has "
                + got
                + (expectedRawRows < 0
                        ? ""
                        : " (" + rawRows + " raw rows of " + expectedRawRows + ")")
                + " but the source "
                + expected;
    }

    /**
     * Target commit time − source commit time of every row version written in the measured window,
     * in µs.
     */
    private static Latency latency(
            BenchRun run, Map<Long, Long> sourceCommit, ChangeLoad.Window window) throws Exception {
        List<Long> samples = new ArrayList<>();
        try (PreparedStatement ps =
                run.target.prepareStatement(
                        "SELECT b1, (extract(epoch FROM "
                                + run.contender.visibleAt()
                                + ") * 1000000)::bigint FROM "
                                + run.contender.targetRelation()
                                + " WHERE b1 BETWEEN ? AND ?"
                                + (run.contender.keepsChanges() ? " AND _op <> 'd'" : ""))) {
            ps.setLong(1, window.firstTx());
            ps.setLong(2, window.lastTx());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    samples.add(rs.getLong(2) - sourceCommit.get(rs.getLong(1)));
                }
            }
        }
        return Latency.of(samples.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * Samples the slot's lag (WAL bytes not yet confirmed) every 500 ms on a connection of its own.
     */
    static final class SlotLagSampler {
        private final String url;
        private final String slot;
        private final List<long[]> samples = new ArrayList<>(); // {nanos, bytes}
        private Thread thread;
        private volatile boolean running = true;

        SlotLagSampler(String url, String slot) {
            this.url = url;
            this.slot = slot;
        }

        void start() {
            thread =
                    new Thread(
                            () -> {
                                try (Connection c =
                                                DriverManager.getConnection(
                                                        url, PgServer.USER, "");
                                        PreparedStatement ps =
                                                c.prepareStatement(
                                                        "SELECT pg_current_wal_lsn() - confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = ?")) {
                                    ps.setString(1, slot);
                                    while (running) {
                                        try (ResultSet rs = ps.executeQuery()) {
                                            if (rs.next()) {
                                                synchronized (samples) {
                                                    samples.add(
                                                            new long[] {
                                                                System.nanoTime(), rs.getLong(1)
                                                            });
                                                }
                                            }
                                        }
                                        Thread.sleep(500);
                                    }
                                } catch (Exception e) {
                                    if (running) {
                                        throw new IllegalStateException(
                                                "slot lag sampling failed", e);
                                    }
                                }
                            },
                            "bench-slot-lag");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5000);
        }

        /**
         * Smallest lag in the second half of the window minus smallest lag in the first half
         * (bytes).
         */
        long growth() {
            synchronized (samples) {
                if (samples.size() < 3) {
                    return Long.MAX_VALUE;
                }
                long t0 = samples.get(0)[0];
                long t1 = samples.get(samples.size() - 1)[0];
                long half = t0 + (t1 - t0) / 2;
                long first =
                        samples.stream()
                                .filter(s -> s[0] <= half)
                                .mapToLong(s -> s[1])
                                .min()
                                .orElseThrow();
                long last =
                        samples.stream()
                                .filter(s -> s[0] > half)
                                .mapToLong(s -> s[1])
                                .min()
                                .orElseThrow();
                return last - first;
            }
        }
    }
}
