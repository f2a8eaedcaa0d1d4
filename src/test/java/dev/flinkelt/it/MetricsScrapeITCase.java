package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TransformSettings.Mode;
import dev.flinkelt.extractload.ExtractLoadLauncher;
import dev.flinkelt.load.sink.TransactionName;
import dev.flinkelt.monitor.FlinkRest;
import dev.flinkelt.monitor.StatusReport;
import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.MonitoringFiles;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.PrometheusScrape;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.transform.TransformRunner;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import static dev.flinkelt.support.PrometheusScrape.label;
import static dev.flinkelt.support.TestDatabases.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extract-load's metrics reach a Prometheus scrape (Flink's reporter, as the manifests
 * configure it) under the names and labels the dashboard and alert rules use, with values that
 * match what happened: rows by table and {@code _op} exactly, a quarantined row, freshness small
 * while changes stream and growing while the warehouse blocks the sink, the slot's lag and WAL
 * status, checkpoints. Every metric name in the shipped dashboard and alert rules is in the scrape.
 */
class MetricsScrapeITCase {
    static final int PORT = PrometheusScrape.freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            FlinkCluster.extension(
                    JobEnvironment.prometheus(new Configuration(), String.valueOf(PORT)));

    static final String OP = "flink_taskmanager_job_task_operator_";
    static final String ROWS = OP + "table_op_rowsLoaded";
    static final String FRESHNESS = OP + "table_freshnessSeconds";
    static final String QUARANTINED = OP + "table_rowsQuarantined";
    static final String LATENCY = OP + "visibleLatencyMillis";

    static Predicate<Map<String, String>> rows(String table, String op) {
        return label("table", table).and(label("op", op));
    }

    /**
     * Polls the scrape until {@code value} of it (e.g. the smallest of a metric, NaN aside) passes
     * {@code check}.
     */
    static void await(
            String metric,
            Function<PrometheusScrape, Optional<Double>> value,
            Duration timeout,
            Consumer<Double> check)
            throws Exception {
        Poll.untilAsserted(
                timeout,
                () ->
                        assertThat(value.apply(PrometheusScrape.of(PORT)))
                                .as(metric)
                                .hasValueSatisfying(check));
    }

    static void awaitMin(
            String metric,
            Predicate<Map<String, String>> labels,
            Duration timeout,
            Consumer<Double> check)
            throws Exception {
        await(metric, s -> s.min(metric, labels), timeout, check);
    }

    static void awaitMax(
            String metric,
            Predicate<Map<String, String>> labels,
            Duration timeout,
            Consumer<Double> check)
            throws Exception {
        await(metric, s -> s.max(metric, labels), timeout, check);
    }

    @Test
    void everyDashboardAndAlertMetricIsScrapedWithValuesThatMatchWhatHappened(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("scrape");
        try (Connection src = p.src();
                Connection dst = p.dst();
                Connection blocker = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.items (id int PRIMARY KEY, qty int)",
                    "CREATE TABLE public.straße (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.items SELECT g, g FROM generate_series(1, 100) g",
                    "INSERT INTO public.straße SELECT g, 'v' FROM generate_series(1, 40) g");
            PipelineConfig cfg =
                    TransformITCase.withTransform(
                            p,
                            "[public.items, public.straße]",
                            2,
                            "{ sql-dir: '" + Files.createDirectories(tmp.resolve("sql")) + "' }");
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                // snapshot rows are counted once visible, per table (a label, as the source names
                // it)
                Poll.untilAsserted(
                        Duration.ofSeconds(90),
                        () -> {
                            PrometheusScrape s = PrometheusScrape.of(PORT);
                            assertThat(s.sum(ROWS, rows("public.items", "r"))).isEqualTo(100);
                            assertThat(s.sum(ROWS, rows("public.straße", "r"))).isEqualTo(40);
                        });

                exec(
                        src,
                        "UPDATE public.items SET qty = qty + 1 WHERE id <= 30",
                        "DELETE FROM public.items WHERE id > 90",
                        "INSERT INTO public.items SELECT g, g FROM generate_series(101, 120) g",
                        "INSERT INTO public.straße VALUES (41, 'x'), (42, 'y')");
                Poll.untilAsserted(
                        Duration.ofSeconds(60),
                        () -> {
                            PrometheusScrape s = PrometheusScrape.of(PORT);
                            assertThat(s.sum(ROWS, rows("public.items", "u"))).isEqualTo(30);
                            assertThat(s.sum(ROWS, rows("public.items", "d"))).isEqualTo(10);
                            assertThat(s.sum(ROWS, rows("public.items", "c"))).isEqualTo(20);
                            assertThat(s.sum(ROWS, rows("public.straße", "c"))).isEqualTo(2);
                        });
                // the status command and the demo read the same freshness from the REST API
                Poll.untilAsserted(
                        Duration.ofSeconds(30),
                        () ->
                                assertThat(
                                                StatusReport.freshnessLine(
                                                        new FlinkRest(cluster.getWebInterfaceURL()),
                                                        ExtractLoadLauncher.jobName(cfg)))
                                        .containsPattern(
                                                "^freshness:  newest change visible  public\\.items [0-9.]+ s  public\\.straße [0-9.]+ s$"));
                PrometheusScrape streamed = PrometheusScrape.of(PORT);
                assertThat(streamed.min(FRESHNESS, label("table", "public.items")))
                        .as("seconds since the newest visible change of a table that just changed")
                        .hasValueSatisfying(v -> assertThat(v).isBetween(0.0, 30.0));
                assertThat(streamed.sum(LATENCY + "_count", l -> true))
                        .as("changes timed from source commit to visible")
                        .isEqualTo(62);
                assertThat(streamed.max(LATENCY, label("quantile", "0.99")))
                        .hasValueSatisfying(v -> assertThat(v).isBetween(0.0, 30_000.0));
                assertThat(streamed.max(OP + "slotLagBytes", l -> true))
                        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(0));
                assertThat(streamed.max(OP + "slotWalStatus", l -> true))
                        .as("reserved or extended")
                        .hasValueSatisfying(v -> assertThat(v).isIn(0.0, 1.0));

                assertThat(streamed.sum(OP + "table_paused", label("table", "public.items")))
                        .as("not paused")
                        .isZero();
                assertThat(streamed.of(OP + "table_paused", label("table", "public.items")))
                        .isNotEmpty();
                assertThat(streamed.max(OP + "oldestPreparedSeconds", l -> true))
                        .as("prepared transactions wait about a checkpoint, here 1 s")
                        .hasValueSatisfying(v -> assertThat(v).isBetween(0.0, 30.0));
                // one left prepared under this pipeline's name shows its age (and only this one)
                String stray =
                        new TransactionName(TransactionName.pipelineOf(cfg), 9, 999_999, "scrape")
                                .gid();
                try (Connection c = p.dst()) {
                    exec(
                            c,
                            "BEGIN",
                            "SELECT txid_current()",
                            "PREPARE TRANSACTION '" + stray + "'");
                    try {
                        awaitMax(
                                OP + "oldestPreparedSeconds",
                                l -> true,
                                Duration.ofSeconds(30),
                                v -> assertThat(v).isGreaterThan(3.0));
                    } finally {
                        exec(c, "ROLLBACK PREPARED '" + stray + "'");
                    }
                }

                // a row the warehouse refuses is counted as quarantined, not loaded
                exec(dst, "ALTER TABLE raw.public__items ADD CONSTRAINT small CHECK (qty < 1000)");
                exec(src, "INSERT INTO public.items VALUES (500, 5000), (501, 1)");
                Poll.untilAsserted(
                        Duration.ofSeconds(60),
                        () -> {
                            PrometheusScrape s = PrometheusScrape.of(PORT);
                            assertThat(s.sum(QUARANTINED, label("table", "public.items")))
                                    .isEqualTo(1);
                            assertThat(s.sum(ROWS, rows("public.items", "c"))).isEqualTo(21);
                        });

                // the warehouse blocks the sink: freshness grows while changes keep coming, and
                // falls once it lets go
                AtomicBoolean writing = new AtomicBoolean(true);
                Thread writer =
                        new Thread(
                                () -> {
                                    try (Connection w = p.src()) {
                                        for (int id = 1000; writing.get(); id++) {
                                            exec(
                                                    w,
                                                    "INSERT INTO public.straße VALUES ("
                                                            + id
                                                            + ", 'w')");
                                            Thread.sleep(100);
                                        }
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                });
                writer.start();
                try {
                    awaitMin(
                            FRESHNESS,
                            label("table", "public.straße"),
                            Duration.ofSeconds(30),
                            v -> assertThat(v).isLessThan(5.0));
                    blocker.setAutoCommit(false);
                    exec(blocker, "LOCK TABLE raw.\"public__straße\" IN ACCESS EXCLUSIVE MODE");
                    awaitMin(
                            FRESHNESS,
                            label("table", "public.straße"),
                            Duration.ofSeconds(60),
                            v -> assertThat(v).isGreaterThan(10.0));
                    blocker.rollback(); // the sink goes on: fresh again
                    awaitMin(
                            FRESHNESS,
                            label("table", "public.straße"),
                            Duration.ofSeconds(60),
                            v -> assertThat(v).isLessThan(5.0));
                } finally {
                    writing.set(false);
                    writer.join();
                }

                // the transform: rows read per raw table (every raw row once), and a transaction
                // left open on the warehouse shows as the horizon's age
                TableResult transform = TransformRunner.submit(cfg, Mode.STREAMING, -1);
                try {
                    Poll.untilAsserted(
                            Duration.ofMinutes(2),
                            () -> {
                                TransformITCase.assertRunning(transform);
                                assertThat(
                                                PrometheusScrape.of(PORT)
                                                        .sum(
                                                                OP + "raw_table_rowsRead",
                                                                label(
                                                                        "raw_table",
                                                                        "public__items")))
                                        .isEqualTo(
                                                TestDatabases.count(
                                                        dst,
                                                        "SELECT count(*) FROM raw.public__items"));
                            });
                    // raw load to mirror, set at the mirror writer's next flush (every second)
                    awaitMax(
                            OP + "mirrorLagSeconds",
                            l -> true,
                            Duration.ofSeconds(30),
                            v -> assertThat(v).isGreaterThan(0.0).isLessThan(120.0));
                    blocker.setAutoCommit(false);
                    TestDatabases.count(blocker, "SELECT txid_current()");
                    awaitMax(
                            OP + "horizonHeldSeconds",
                            l -> true,
                            Duration.ofSeconds(60),
                            v -> assertThat(v).isGreaterThan(3.0));
                    blocker.rollback(); // held no more once that transaction ended
                    awaitMax(
                            OP + "horizonHeldSeconds",
                            l -> true,
                            Duration.ofSeconds(60),
                            v -> assertThat(v).isLessThan(3.0));

                    PrometheusScrape last = PrometheusScrape.of(PORT);
                    assertThat(
                                    last.max(
                                            "flink_jobmanager_job_lastCompletedCheckpointId",
                                            l -> true))
                            .hasValueSatisfying(v -> assertThat(v).isPositive());
                    Set<String> missing = new TreeSet<>(MonitoringFiles.metricNames());
                    missing.removeAll(last.names());
                    assertThat(missing)
                            .as("metrics the dashboard or alert rules use that the scrape lacks")
                            .isEmpty();
                    assertThat(last.names())
                            .as("the JSON text gauges for status are not scraped")
                            .noneMatch(
                                    n ->
                                            n.endsWith("_tableFreshness")
                                                    || n.endsWith("_snapshotTables"));
                    assertThat(
                                    last.samples.stream()
                                            .map(x -> x.labels().get("table"))
                                            .filter(t -> t != null)
                                            .distinct())
                            .as("table labels are the captured tables' names, never values")
                            .containsExactlyInAnyOrder("public.items", "public.straße");
                } finally {
                    TransformITCase.cancel(transform);
                }
            }
        }
    }
}
