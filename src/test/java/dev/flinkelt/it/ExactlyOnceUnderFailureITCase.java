package dev.flinkelt.it;

import static dev.flinkelt.support.Pipeline.count;
import static dev.flinkelt.support.Pipeline.exec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.support.FailOnce;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.Pipeline;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ExactlyOnceUnderFailureITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 60_000;

    @Test
    void failuresMidSnapshotAndMidStreamLoseNothingAndDuplicateNothing(@InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp)
            throws Exception {
        Pipeline p = new Pipeline("fail");
        String snapshotFailure = p.name + "-snapshot";
        String streamFailure = p.name + "-stream";
        try (Connection src = p.src(); Connection dst = p.dst()) {
            exec(src, "CREATE TABLE public.accounts (id bigint PRIMARY KEY, owner text, balance numeric(14,2), version int)",
                    "INSERT INTO public.accounts SELECT g, 'owner ' || g, g * 1.25, 0 FROM generate_series(1, " + ROWS + ") g");
            Ledger ledger = new Ledger("public.accounts", "id", "id, owner, balance, version");
            ledger.expectSnapshot(src);
            PipelineConfig cfg = p.config("[public.accounts]", 2);
            try (RunningJob job = RunningJob.start(cfg, cluster, s -> s
                    .map(new FailOnce(snapshotFailure, true, ROWS / 2)).uid("inject-snapshot-failure").name("inject failure (snapshot)")
                    .map(new FailOnce(streamFailure, false, 3_000)).uid("inject-stream-failure").name("inject failure (stream)"))) {
                Poll.until(Duration.ofMinutes(3), () -> "snapshot after an injected failure", () -> {
                    job.assertRunning();
                    return count(dst, "SELECT count(*) FROM raw.public__accounts WHERE _op = 'r'") >= ROWS;
                });
                assertThat(FailOnce.fired(snapshotFailure)).as("failure injected mid-snapshot").isTrue();

                // 8 rounds of 1000 updates each, a round of deletes and inserts; the stream failure fires in round 3
                for (int round = 1; round <= 8; round++) {
                    for (int from = 1; from <= 1000; from += 250) {
                        exec(src, "UPDATE public.accounts SET version = version + 1, balance = balance + 1 WHERE id BETWEEN "
                                + (round * 1000 + from) + " AND " + (round * 1000 + from + 249));
                    }
                }
                exec(src, "DELETE FROM public.accounts WHERE id > " + (ROWS - 500),
                        "INSERT INTO public.accounts SELECT g, 'late ' || g, 0, 0 FROM generate_series(" + (ROWS + 1) + ", " + (ROWS + 500) + ") g");
                ledger.expectChanges(src, "u", "version = 1");
                ledger.expectDeletes(ROWS - 499, ROWS);
                ledger.expectChanges(src, "c", "id > " + ROWS);
                long total = ROWS + 8_000 + 500 + 500;
                Poll.until(Duration.ofMinutes(3), () -> total + " raw rows after an injected failure", () -> {
                    job.assertRunning();
                    return count(dst, "SELECT count(*) FROM raw.public__accounts") >= total;
                });
                assertThat(FailOnce.fired(streamFailure)).as("failure injected mid-stream").isTrue();
                job.awaitCheckpoints(2);
                ledger.assertRawMatches(dst);
                job.stopWithSavepoint(tmp.resolve("savepoint"));
            }
            assertThat(p.preparedTransactions()).as("prepared transactions left on the warehouse").isZero();
            assertThat(SnapshotThenStreamITCase.verify(cfg).ok()).isTrue();
        }
    }
}
