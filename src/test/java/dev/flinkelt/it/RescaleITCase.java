package dev.flinkelt.it;

import static dev.flinkelt.support.Pipeline.count;
import static dev.flinkelt.support.Pipeline.exec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.support.ChangeWriter;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.Pipeline;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Stop with a savepoint and restore it with another parallelism (2 → 1 → 3) while the source keeps changing. */
class RescaleITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 20_000;

    @Test
    void savepointsRestoreWithAnotherParallelismLosingNothingAndDuplicatingNothing(@InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp)
            throws Exception {
        Pipeline p = new Pipeline("rescale");
        String tables = "[public.accounts]";
        try (Connection src = p.src(); Connection writerConn = p.src(); Connection dst = p.dst()) {
            exec(src, "CREATE TABLE public.accounts (id bigint PRIMARY KEY, owner text, balance numeric(14,2), version int)",
                    "INSERT INTO public.accounts SELECT g, 'owner ' || g, g * 1.25, 0 FROM generate_series(1, " + ROWS + ") g");
            Ledger ledger = new Ledger("public.accounts", "id", "id, owner, balance, version");
            ledger.expectSnapshot(src);
            ChangeWriter writer = new ChangeWriter(writerConn, ledger, "public.accounts", ROWS);
            String savepoint = null;
            long last = 0;
            int previous = 0;
            try {
                for (int parallelism : new int[] {2, 1, 3}) {
                    PipelineConfig cfg = p.config(tables, parallelism);
                    long restored = System.nanoTime();
                    try (RunningJob job = RunningJob.start(cfg, cluster, UnaryOperator.identity(), savepoint)) {
                        if (savepoint == null) {
                            Poll.until(Duration.ofMinutes(2), () -> "snapshot", () -> {
                                job.assertRunning();
                                return count(dst, "SELECT count(*) FROM pg_tables WHERE schemaname = 'raw'") == 1
                                        && count(dst, "SELECT count(*) FROM raw.public__accounts") >= ROWS;
                            });
                            writer.start(); // changes continue through every stop and restore from here on
                        }
                        long floor = Math.max(ROWS, last) + 2_000;
                        Poll.until(Duration.ofMinutes(2), () -> "progress at parallelism " + parallelism, () -> {
                            job.assertRunning();
                            return count(dst, "SELECT count(*) FROM raw.public__accounts") >= floor;
                        });
                        if (savepoint != null) {
                            System.out.printf("restored %d -> %d: 2,000 new raw rows %.1f s after the restore%n",
                                    previous, parallelism, (System.nanoTime() - restored) / 1e9);
                        }
                        if (parallelism == 3) {
                            long total = ROWS + writer.finish();
                            Poll.until(Duration.ofMinutes(3), () -> total + " raw rows", () -> {
                                job.assertRunning();
                                return count(dst, "SELECT count(*) FROM raw.public__accounts") >= total;
                            });
                            job.awaitCheckpoints(2);
                            ledger.assertRawMatches(dst);
                        }
                        savepoint = job.stopWithSavepoint(tmp.resolve("savepoint-" + parallelism));
                        last = count(dst, "SELECT count(*) FROM raw.public__accounts"); // all committed by the stop
                        previous = parallelism;
                    }
                }
            } finally {
                if (writer.isAlive()) {
                    writer.finish();
                }
            }
            ledger.assertRawMatches(dst);
            assertThat(p.preparedTransactions()).as("prepared transactions left on the warehouse").isZero();
            assertThat(SnapshotThenStreamITCase.verify(p.config(tables, 1)).ok()).isTrue();
        }
    }
}
