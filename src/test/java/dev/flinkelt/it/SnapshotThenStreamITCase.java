package dev.flinkelt.it;

import dev.flinkelt.cli.Main;
import dev.flinkelt.cli.VerifyCommand;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.regex.Pattern;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static org.assertj.core.api.Assertions.assertThat;

class SnapshotThenStreamITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 100_000;
    static final int UPDATES = 10_000;
    static final int DELETES = 1_000;
    static final int INSERTS = 500;

    @Test
    void snapshotThenStreamLandsEachChangeExactlyOnce(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("snap");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.items (id bigint PRIMARY KEY, grp int NOT NULL, name text, amount numeric(12,2), updated_at timestamptz)",
                    "INSERT INTO public.items SELECT g, g % 97, 'item ' || g, (g % 10000) / 100.0, timestamptz '2025-01-01 00:00:00+00' + g * interval '1 second'"
                            + " FROM generate_series(1, "
                            + ROWS
                            + ") g");
            Ledger ledger = new Ledger("public.items", "id", "id, grp, name, amount, updated_at");
            ledger.expectSnapshot(src);
            PipelineConfig cfg = p.config("[public.items]", 2);
            long started = System.nanoTime();
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                Poll.until(
                        Duration.ofMinutes(3),
                        () -> "snapshot of " + ROWS + " rows",
                        () -> {
                            job.assertRunning();
                            return count(
                                            dst,
                                            "SELECT count(*) FROM raw.public__items WHERE _op = 'r'")
                                    == ROWS;
                        });
                double snapshotSecs = (System.nanoTime() - started) / 1e9;
                System.out.printf(
                        "MEASURED snapshot: %d rows in %.1f s (%.0f rows/s, parallelism 2, checkpoint 1s, job start included)%n",
                        ROWS, snapshotSecs, ROWS / snapshotSecs);
                // the status command shows the finished snapshot (metrics reach the REST API within
                // its fetch interval)
                Path config =
                        Files.writeString(
                                tmp.resolve("pipeline.yaml"), p.yaml("[public.items]", 2));
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "status to show the finished snapshot",
                        () -> {
                            StringWriter out = new StringWriter();
                            int code =
                                    Main.run(
                                            new PrintWriter(out),
                                            new PrintWriter(new StringWriter()),
                                            "status",
                                            "--config",
                                            config.toString(),
                                            "--rest",
                                            cluster.getWebInterfaceURL());
                            assertThat(code).as(out.toString()).isZero();
                            assertThat(out.toString())
                                    .contains("RUNNING")
                                    .contains("checkpoint: #")
                                    .contains("slot lag:")
                                    .containsPattern(
                                            "slot: +snap_\\S+ read, wal_status (reserved|extended), no WAL limit")
                                    .containsPattern(
                                            "(?m)^horizon: +(no transaction open|the oldest transaction open on the warehouse began)");
                            return out.toString().contains("1 of 1 table(s) done")
                                    // the table's freshness, from the committers' metrics
                                    && Pattern.compile(
                                                    "(?m)^freshness: .*\\n  public\\.items +snapshot rows only, no streamed change yet$")
                                            .matcher(out.toString())
                                            .find()
                                    && out.toString()
                                            .contains(
                                                    "public.items ["
                                                            + "#".repeat(24)
                                                            + "] 100%  100,000 / 100,000 rows");
                        });
                assertThat(job.stateBackend()).contains("RocksDB");
                long streamStart = System.nanoTime();
                // streaming: updates on distinct keys, deletes, inserts, in transactions of 100
                // statements
                for (int from = 1; from <= UPDATES; from += 100) {
                    exec(
                            src,
                            "UPDATE public.items SET amount = amount + 1, name = name || '*' WHERE id BETWEEN "
                                    + from
                                    + " AND "
                                    + (from + 99));
                }
                exec(
                        src,
                        "DELETE FROM public.items WHERE id BETWEEN 50001 AND " + (50000 + DELETES));
                exec(
                        src,
                        "INSERT INTO public.items SELECT g, 1, 'new ' || g, 1.5, now() FROM generate_series("
                                + (ROWS + 1)
                                + ", "
                                + (ROWS + INSERTS)
                                + ") g");
                ledger.expectChanges(src, "u", "id BETWEEN 1 AND " + UPDATES);
                ledger.expectDeletes(50001, 50000 + DELETES);
                ledger.expectChanges(src, "c", "id > " + ROWS);

                long total = ROWS + UPDATES + DELETES + INSERTS;
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> total + " raw rows",
                        () -> {
                            job.assertRunning();
                            return count(dst, "SELECT count(*) FROM raw.public__items") >= total;
                        });
                double streamSecs = (System.nanoTime() - streamStart) / 1e9;
                System.out.printf(
                        "MEASURED streaming: %d changes written and landed in %.1f s (%.0f changes/s end to end)%n",
                        UPDATES + DELETES + INSERTS,
                        streamSecs,
                        (UPDATES + DELETES + INSERTS) / streamSecs);
                job.awaitCheckpoints(2); // anything delivered twice would now be committed too
                ledger.assertRawMatches(dst);
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(*) FROM raw.public__items WHERE _op = 'u' AND (_tx_id IS NULL OR _source_ts IS NULL)"))
                        .isZero();
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(*) FROM raw.public__items WHERE _op = 'r' AND (_tx_id IS NOT NULL OR _source_ts IS NOT NULL)"))
                        .isZero();
                // (_lsn, _seq) orders each key's events: snapshot read first, its change after
                assertThat(count(dst, "SELECT count(*) FROM raw.public__items WHERE _lsn <= 0"))
                        .isZero();
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(*) FROM raw.public__items r JOIN raw.public__items c ON c.id = r.id AND c._op <> 'r'"
                                                + " WHERE r._op = 'r' AND (c._lsn, c._seq) <= (r._lsn, r._seq)"))
                        .isZero();
                job.stopWithSavepoint(tmp.resolve("savepoint"));
            }
            assertThat(p.preparedTransactions()).isZero();
            assertThat(verify(cfg).ok).isTrue();

            // a deliberate mismatch: a change made while the job is stopped is not in raw yet
            exec(src, "UPDATE public.items SET name = 'changed behind the pipeline' WHERE id = 77");
            Verified v = verify(cfg);
            assertThat(v.ok).isFalse();
            assertThat(v.output).contains("MISMATCH").contains("different=1").contains("(77)");
        }
    }

    record Verified(boolean ok, String output) {}

    /** Polls until {@code verify} passes on every table, failing at once if the job ended. */
    static void awaitVerified(PipelineConfig cfg, RunningJob job) throws Exception {
        Poll.untilAsserted(
                Duration.ofMinutes(3),
                () -> {
                    job.assertRunning();
                    Verified v = verify(cfg);
                    assertThat(v.ok()).as("raw tables match the source:\n%s", v.output()).isTrue();
                });
    }

    static Verified verify(PipelineConfig cfg) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = VerifyCommand.run(cfg, new PrintStream(buf, true, StandardCharsets.UTF_8));
        return new Verified(ok, buf.toString(StandardCharsets.UTF_8));
    }
}
