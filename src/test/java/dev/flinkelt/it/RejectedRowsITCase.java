package dev.flinkelt.it;

import dev.flinkelt.cli.VerifyCommand;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.support.DeclineCheckpointOnce;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.LogCapture;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A row the warehouse refuses (here: a CHECK constraint added on a raw table) is quarantined in
 * raw._rejected once, with its values, while every other row of every table keeps loading; no log
 * line or exception carries its values.
 */
class RejectedRowsITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    /** A value that must never reach a log line or an exception message. */
    static final String SECRET = "SECRET-4242-do-not-log";

    static final String PASSWORD = "pw-7e1f-do-not-log";

    static Ledger[] tables(Connection src) throws Exception {
        exec(
                src,
                "CREATE TABLE public.items (id int PRIMARY KEY, qty int, secret text)",
                "CREATE TABLE public.other (id int PRIMARY KEY, \"select\" text, \"Note Text\" text)",
                "INSERT INTO public.items SELECT g, g, 'nothing' FROM generate_series(1, 100) g",
                "INSERT INTO public.other SELECT g, 'note ' || g, E'tab\\t' || g FROM generate_series(1, 100) g");
        Ledger items = new Ledger("public.items", "id", "id, qty, secret");
        Ledger other = new Ledger("public.other", "id", "id, \"select\", \"Note Text\"");
        items.expectSnapshot(src);
        other.expectSnapshot(src);
        return new Ledger[] {items, other};
    }

    @Test
    void aRefusedRowIsQuarantinedOnceEvenAcrossAFailedCheckpointAndEveryOtherRowLands(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("reject");
        try (LogCapture logs = new LogCapture("reject-logs");
                Connection src = p.src();
                Connection dst = p.dst()) {
            Ledger[] ledgers = tables(src);
            Ledger items = ledgers[0];
            Ledger other = ledgers[1];
            PipelineConfig cfg =
                    PipelineConfig.parse(
                            p.yaml("[public.items, public.other]", 2)
                                    .replaceFirst(
                                            "(target:\n  url: .*\n  username: postgres)",
                                            "$1\n  password: " + PASSWORD)
                                    // batches of 7: the refused row's batch loads while the next
                                    // ones fill
                                    .replaceFirst("pipeline:\n", "pipeline:\n  batch-size: 7\n"),
                            Map.of());
            assertThat(cfg.target.password()).isEqualTo(PASSWORD);
            assertThat(cfg.batchSize).isEqualTo(7);
            try (RunningJob job =
                    RunningJob.start(
                            cfg,
                            cluster,
                            s -> {
                                // the checkpoint after the refused row fails once the sink prepared
                                // it (the prepared transaction holds the
                                // quarantined row): the job restores the checkpoint before and
                                // reads the row again
                                s.process(
                                                new DeclineCheckpointOnce(
                                                        p.name,
                                                        cfg.target,
                                                        e ->
                                                                e.table.equals("public.items")
                                                                        && e.op
                                                                                == ChangeEvent
                                                                                        .INSERT
                                                                        && "101"
                                                                                .equals(
                                                                                        e.values[
                                                                                                0]),
                                                        1),
                                                TypeInformation.of(ChangeEvent.class))
                                        .uid("fail-after-refused-row")
                                        .name("fail the checkpoint that quarantined a row")
                                        .sinkTo(new DiscardingSink<>())
                                        .uid("fail-after-refused-row-discard");
                                return s;
                            })) {
                job.awaitRawRows(dst, "public__items", 100);
                job.awaitRawRows(dst, "public__other", 100);
                exec(
                        dst,
                        "ALTER TABLE raw.public__items ADD CONSTRAINT small_qty CHECK (qty < 1000)");

                // one source transaction: 50 good updates, the refused insert, changes to the other
                // table
                exec(
                        src,
                        "BEGIN",
                        "UPDATE public.items SET qty = qty + 1 WHERE id <= 50",
                        "INSERT INTO public.items VALUES (101, 987654, '" + SECRET + "')",
                        "UPDATE public.other SET \"select\" = \"select\" || ' (changed)' WHERE id <= 50",
                        "COMMIT");
                items.expectChanges(src, "u", "id <= 50");
                other.expectChanges(src, "u", "id <= 50");
                // later changes of the refused key and of both tables land
                exec(src, "UPDATE public.items SET qty = 7 WHERE id = 101");
                items.expectChanges(src, "u", "id = 101");
                exec(
                        src,
                        "INSERT INTO public.other SELECT g, 'late', NULL FROM generate_series(101, 150) g");
                other.expectChanges(src, "c", "id > 100");

                job.awaitRawRows(dst, "public__items", 100 + 50 + 1);
                job.awaitRawRows(dst, "public__other", 100 + 50 + 50);
                assertThat(DeclineCheckpointOnce.fired(p.name))
                        .as("a checkpoint failed after the quarantine was prepared")
                        .isTrue();
                job.awaitCheckpoints(2);
                items.assertRawMatches(dst);
                other.assertRawMatches(dst);

                assertThat(
                                rows(
                                        dst,
                                        "SELECT raw_table, key::text, _op, sqlstate, row->>'secret', row->>'qty', error FROM raw._rejected"))
                        .containsExactly(
                                "public__items|{\"id\": \"101\"}|c|23514|"
                                        + SECRET
                                        + "|987654|"
                                        + "new row for relation \"public__items\" violates check constraint \"small_qty\"");
                Poll.until(
                        Duration.ofSeconds(30),
                        () -> "metric rejectedRows = 1",
                        () -> job.metricSum("Raw sink", "rejectedRows") == 1);
                ByteArrayOutputStream report = new ByteArrayOutputStream();
                assertThat(
                                VerifyCommand.run(
                                        cfg, new PrintStream(report, true, StandardCharsets.UTF_8)))
                        .as("verify with a rejected row")
                        .isFalse();
                assertThat(report.toString(StandardCharsets.UTF_8))
                        .contains(
                                "REJECTED raw.public__items: 1 row(s) refused by the warehouse (SQLSTATE 23514)")
                        .doesNotContain(SECRET);
                job.stopWithSavepoint(tmp.resolve("savepoint"));
            }
            assertThat(p.preparedTransactions())
                    .as("prepared transactions left on the warehouse")
                    .isZero();
            String logged = logs.text();
            assertThat(logged)
                    .contains("refused a row of \"raw\".\"public__items\" (key columns [id], _op c")
                    .contains("check_violation, constraint small_qty");
            assertThat(logged)
                    .as("log lines carry no row values")
                    .doesNotContain(SECRET)
                    .doesNotContain("987654");
            assertThat(logged).as("nor the warehouse password").doesNotContain(PASSWORD);
        }
    }

    @Test
    void withOnRejectFailTheJobStopsAndItsErrorNamesTheRowButNoValue(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("rejectfail");
        try (LogCapture logs = new LogCapture("rejectfail-logs");
                Connection src = p.src();
                Connection dst = p.dst()) {
            tables(src);
            String yaml =
                    p.yaml("[public.items, public.other]", 1)
                                    .replace("restart-attempts: 8", "restart-attempts: 1")
                            + "\n  on-reject: fail\n";
            PipelineConfig cfg = PipelineConfig.parse(yaml, Map.of());
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                job.awaitRawRows(dst, "public__items", 100);
                exec(
                        dst,
                        "ALTER TABLE raw.public__items ADD CONSTRAINT small_qty CHECK (qty < 1000)");
                exec(src, "INSERT INTO public.items VALUES (101, 987654, '" + SECRET + "')");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the job to fail",
                        () -> job.status() == JobStatus.FAILED);
                String exceptions = job.rest("/exceptions");
                assertThat(exceptions)
                        .contains("refused a row of")
                        .contains("public__items")
                        .contains("check_violation")
                        .contains("pipeline.on-reject is fail")
                        .doesNotContain(SECRET)
                        .doesNotContain("987654");
                assertThat(count(dst, "SELECT count(*) FROM raw._rejected")).isZero();
                assertThat(count(dst, "SELECT count(*) FROM raw.public__items"))
                        .as("rows accepted before stay")
                        .isEqualTo(100);
            } finally {
                p.rollBackPreparedTransactions();
            }
            assertThat(logs.text()).contains("refused a row of").doesNotContain(SECRET);
        }
    }
}
