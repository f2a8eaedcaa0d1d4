package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.support.Accounts;
import dev.flinkelt.support.ChangeWriter;
import dev.flinkelt.support.DeclineCheckpointOnce;
import dev.flinkelt.support.FailAt;
import dev.flinkelt.support.FailureSeed;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Random;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static org.assertj.core.api.Assertions.assertThat;

class ExactlyOnceUnderFailureITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 60_000;

    @Test
    void failuresAtSeededRandomPointsOfSnapshotAndStreamLoseNothingAndDuplicateNothing(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("fail");
        // six failures, three while snapshotting and three while streaming
        FailureSeed seed = FailureSeed.pick();
        Random random = seed.random();
        FailAt snapshotFailures =
                new FailAt(
                        p.name + "-snapshot", true, FailAt.points(random, 3, 2_000, ROWS - 2_000));
        FailAt streamFailures =
                new FailAt(p.name + "-stream", false, FailAt.points(random, 3, 200, 9_000));
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            // no TOAST relation: the keyed stage keeps nothing for the snapshot's rows, so the
            // failures hit keys that have no state yet as well as keys that have
            Ledger ledger = Accounts.createWithoutToast(src, ROWS);
            PipelineConfig cfg = p.config(Accounts.TABLES, 2);
            try (RunningJob job =
                    RunningJob.start(
                            cfg,
                            cluster,
                            s ->
                                    s.map(snapshotFailures)
                                            .uid("inject-snapshot-failure")
                                            .name("inject failures (snapshot)")
                                            .map(streamFailures)
                                            .uid("inject-stream-failure")
                                            .name("inject failures (stream)"))) {
                Poll.until(
                        Duration.ofMinutes(3),
                        () -> "snapshot after an injected failure",
                        () -> {
                            job.assertRunning();
                            return count(
                                            dst,
                                            "SELECT count(*) FROM raw.public__accounts WHERE _op = 'r'")
                                    >= ROWS;
                        });
                assertThat(snapshotFailures.fired())
                        .as("failures injected mid-snapshot; %s", seed)
                        .isEqualTo(3);
                // the rows after the last failure went without keyed state (the counter restarts
                // with each attempt; nothing fails again before the changes below)
                Poll.until(
                        Duration.ofSeconds(30),
                        () -> "snapshot rows loaded without keyed state",
                        () -> job.metricSum("Row state", "snapshotRowsWithoutState") > 0);

                // 8 rounds of 1000 updates each, a round of deletes and inserts; the stream failure
                // fires in round 3
                for (int round = 1; round <= 8; round++) {
                    for (int from = 1; from <= 1000; from += 250) {
                        exec(
                                src,
                                "UPDATE public.accounts SET version = version + 1, balance = balance + 1 WHERE id BETWEEN "
                                        + (round * 1000 + from)
                                        + " AND "
                                        + (round * 1000 + from + 249));
                    }
                }
                exec(
                        src,
                        "DELETE FROM public.accounts WHERE id > " + (ROWS - 500),
                        "INSERT INTO public.accounts SELECT g, 'late ' || g, 0, 0 FROM generate_series("
                                + (ROWS + 1)
                                + ", "
                                + (ROWS + 500)
                                + ") g");
                ledger.expectChanges(src, "u", "version = 1");
                ledger.expectDeletes(ROWS - 499, ROWS);
                ledger.expectChanges(src, "c", "id > " + ROWS);
                job.awaitRawRows(dst, Accounts.RAW, ROWS + 8_000 + 500 + 500);
                assertThat(streamFailures.fired())
                        .as("failures injected mid-stream; %s", seed)
                        .isEqualTo(3);
                job.awaitCheckpoints(2);
                ledger.assertRawMatches(dst);
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(*) FROM raw.public__accounts c JOIN raw.public__accounts r"
                                                + " ON r.id = c.id AND r._op = 'r' WHERE c._op <> 'r'"
                                                + " AND (c._lsn, c._seq) <= (r._lsn, r._seq)"))
                        .as("changes that do not sort after their key's snapshot row")
                        .isZero();
                System.out.println("6 injected failures, ledger exact; " + seed);
                job.stopWithSavepoint(tmp.resolve("savepoint"));
            }
            assertThat(p.preparedTransactions())
                    .as("prepared transactions left on the warehouse")
                    .isZero();
            assertThat(SnapshotThenStreamITCase.verify(cfg).ok()).isTrue();
        }
    }

    @Test
    void aCheckpointThatFailsAfterTheSinksPreparedCommitsNothing(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("decline");
        int rows = 10_000;
        try (Connection src = p.src();
                Connection writerConn = p.src();
                Connection dst = p.dst()) {
            Ledger ledger = Accounts.create(src, rows);
            PipelineConfig cfg = p.config(Accounts.TABLES, 2);
            ChangeWriter writer = new ChangeWriter(writerConn, ledger, Accounts.TABLE, rows);
            try (RunningJob job =
                    RunningJob.start(
                            cfg,
                            cluster,
                            s -> {
                                s.process(
                                                new DeclineCheckpointOnce(p.name, cfg.target),
                                                TypeInformation.of(ChangeEvent.class))
                                        .uid("decline-checkpoint")
                                        .name("fail a checkpoint after the sinks prepared")
                                        .sinkTo(new DiscardingSink<>())
                                        .uid("decline-checkpoint-discard");
                                return s;
                            })) {
                job.awaitRawRows(dst, Accounts.RAW, rows); // the snapshot
                writer.start();
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "the injected checkpoint failure",
                        () -> {
                            job.assertRunning();
                            return DeclineCheckpointOnce.fired(p.name);
                        });
                job.awaitRawRows(dst, Accounts.RAW, rows + writer.finish());
                job.awaitCheckpoints(2);
                ledger.assertRawMatches(dst);
                job.stopWithSavepoint(tmp.resolve("savepoint"));
            }
            assertThat(p.preparedTransactions())
                    .as("prepared transactions left on the warehouse")
                    .isZero();
            ledger.assertRawMatches(dst);
        }
    }
}
