package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.demo.PgServer;
import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.support.Accounts;
import dev.flinkelt.support.ChangeWriter;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.support.TestServers;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;

import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rawRows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warehouse server, then the source server, really stopped and started again while changes
 * stream.
 */
class ServerRestartITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 10_000;

    /** Waits until the job has noticed the outage: its exception history is no longer empty. */
    static void awaitFailover(RunningJob job) throws Exception {
        Poll.until(Duration.ofMinutes(1), () -> "the job to fail over", () -> failedOver(job));
    }

    static boolean failedOver(RunningJob job) throws Exception {
        String e = job.rest("/exceptions");
        return !e.contains("\"root-exception\":null") && e.contains("root-exception");
    }

    @Test
    void warehouseRestartMidStreamLosesNothingAndLeavesNoPreparedTransactions(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        PgServer warehouse =
                PgServer.startRestartable(
                        PgServer.warehouseSettings(),
                        tmp.resolve("warehouse"),
                        JobEnvironment.freePort());
        try {
            TestDatabases p = new TestDatabases("whrestart", TestServers.source(), warehouse);
            PipelineConfig cfg = p.config(Accounts.TABLES, 2);
            try (Connection src = p.src();
                    Connection writerConn = p.src()) {
                Ledger ledger = Accounts.create(src, ROWS);
                ChangeWriter writer = new ChangeWriter(writerConn, ledger, Accounts.TABLE, ROWS);
                try (RunningJob job = RunningJob.start(cfg, cluster)) {
                    try (Connection dst = p.dst()) {
                        job.awaitRawRows(dst, Accounts.RAW, ROWS);
                        writer.start();
                        job.awaitRawRows(dst, Accounts.RAW, ROWS + 3_000);
                    }
                    long down = System.nanoTime();
                    warehouse =
                            warehouse.restart(
                                    () -> {
                                        awaitFailover(
                                                job); // the server process is gone; the sinks fail
                                        // and the job restarts
                                        return null;
                                    });
                    long up = System.nanoTime();
                    try (Connection dst = p.dst()) {
                        long before = rawRows(dst, Accounts.RAW);
                        job.awaitRawRows(dst, Accounts.RAW, before + 1_000);
                        double recovered = (System.nanoTime() - up) / 1e9;
                        long total = ROWS + writer.finish();
                        job.awaitRawRows(dst, Accounts.RAW, total);
                        job.awaitCheckpoints(2);
                        ledger.assertRawMatches(dst);
                        System.out.printf(
                                "warehouse down %.1f s; writing again %.1f s after it was back; %d raw rows exact%n",
                                (up - down) / 1e9, recovered, total);
                    }
                    job.stopWithSavepoint(tmp.resolve("savepoint"));
                } finally {
                    if (writer.isAlive()) {
                        writer.finish();
                    }
                }
                assertThat(p.preparedTransactions())
                        .as("prepared transactions left on the warehouse")
                        .isZero();
            }
        } finally {
            warehouse.close();
        }
    }

    @Test
    void sourceRestartMidStreamResumesFromTheSlotWithoutLoss(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        PgServer source =
                PgServer.startRestartable(
                        PgServer.sourceSettings(),
                        tmp.resolve("source"),
                        JobEnvironment.freePort());
        try {
            TestDatabases p = new TestDatabases("srcrestart", source, TestServers.warehouse());
            PipelineConfig cfg = p.config(Accounts.TABLES, 2);
            Ledger ledger;
            try (Connection src = p.src()) {
                ledger = Accounts.create(src, ROWS);
            }
            try (RunningJob job = RunningJob.start(cfg, cluster);
                    Connection dst = p.dst()) {
                job.awaitRawRows(dst, Accounts.RAW, ROWS);
                try (Connection src = p.src()) {
                    for (int i = 0; i < 20; i++) {
                        exec(
                                src,
                                "UPDATE public.accounts SET version = version + 1 WHERE id % 20 = "
                                        + i);
                        ledger.expectChanges(src, "u", "id % 20 = " + i);
                    }
                }
                // the last changes before the stop may not have reached the job: the slot keeps
                // them
                long down = System.nanoTime();
                boolean[] noticed = new boolean[1];
                source =
                        source.restart(
                                () -> {
                                    // the source may fail over, or Debezium may retry its
                                    // connection by itself: either is fine, as
                                    // long as nothing is lost; give the job up to 10 s to notice
                                    // before the server comes back
                                    long until = System.nanoTime() + 10_000_000_000L;
                                    while (!(noticed[0] = failedOver(job))
                                            && System.nanoTime() < until) {
                                        Thread.sleep(200);
                                    }
                                    return null;
                                });
                long up = System.nanoTime();
                try (Connection src = p.src()) {
                    for (int i = 0; i < 20; i++) {
                        exec(
                                src,
                                "UPDATE public.accounts SET balance = balance + 1 WHERE id % 20 = "
                                        + i);
                        ledger.expectChanges(src, "u", "id % 20 = " + i);
                    }
                    exec(src, "DELETE FROM public.accounts WHERE id > " + (ROWS - 100));
                    ledger.expectDeletes(ROWS - 99, ROWS);
                }
                long total = ROWS + 20 * (long) ROWS / 20 * 2 + 100;
                job.awaitRawRows(dst, Accounts.RAW, total);
                System.out.printf(
                        "source down %.1f s (job %s); %d raw rows exact %.1f s after it was back%n",
                        (up - down) / 1e9,
                        noticed[0] ? "failed over" : "kept its source retrying",
                        total,
                        (System.nanoTime() - up) / 1e9);
                job.awaitCheckpoints(2);
                ledger.assertRawMatches(dst);
                job.stopWithSavepoint(tmp.resolve("savepoint"));
            }
            assertThat(p.preparedTransactions()).isZero();
        } finally {
            source.close();
        }
    }
}
