package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.support.Accounts;
import dev.flinkelt.support.ChangeWriter;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.function.UnaryOperator;

import static dev.flinkelt.support.TestDatabases.rawRows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stop with a savepoint and restore it with another parallelism (2 → 1 → 3) while the source keeps
 * changing.
 */
class RescaleITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 20_000;

    @Test
    void savepointsRestoreWithAnotherParallelismLosingNothingAndDuplicatingNothing(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("rescale");
        try (Connection src = p.src();
                Connection writerConn = p.src();
                Connection dst = p.dst()) {
            // keys without state (first snapshot, no TOAST relation) move between subtasks too
            Ledger ledger = Accounts.createWithoutToast(src, ROWS);
            ChangeWriter writer = new ChangeWriter(writerConn, ledger, Accounts.TABLE, ROWS);
            String savepoint = null;
            long last = 0;
            int previous = 0;
            try {
                for (int parallelism : new int[] {2, 1, 3}) {
                    PipelineConfig cfg = p.config(Accounts.TABLES, parallelism);
                    long restored = System.nanoTime();
                    try (RunningJob job =
                            RunningJob.start(cfg, cluster, UnaryOperator.identity(), savepoint)) {
                        if (savepoint == null) {
                            job.awaitRawRows(dst, Accounts.RAW, ROWS); // the snapshot
                            writer.start(); // changes continue through every stop and restore
                            // from here on
                        }
                        job.awaitRawRows(dst, Accounts.RAW, Math.max(ROWS, last) + 2_000);
                        if (savepoint != null) {
                            System.out.printf(
                                    "restored %d -> %d: 2,000 new raw rows %.1f s after the restore%n",
                                    previous, parallelism, (System.nanoTime() - restored) / 1e9);
                        }
                        if (parallelism == 3) {
                            job.awaitRawRows(dst, Accounts.RAW, ROWS + writer.finish());
                            job.awaitCheckpoints(2);
                            ledger.assertRawMatches(dst);
                        }
                        savepoint = job.stopWithSavepoint(tmp.resolve("savepoint-" + parallelism));
                        last = rawRows(dst, Accounts.RAW); // all committed by the stop
                        previous = parallelism;
                    }
                }
            } finally {
                if (writer.isAlive()) {
                    writer.finish();
                }
            }
            ledger.assertRawMatches(dst);
            assertThat(p.preparedTransactions())
                    .as("prepared transactions left on the warehouse")
                    .isZero();
            assertThat(SnapshotThenStreamITCase.verify(p.config(Accounts.TABLES, 1)).ok()).isTrue();
        }
    }
}
