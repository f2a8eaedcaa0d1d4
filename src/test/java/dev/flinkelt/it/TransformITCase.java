package dev.flinkelt.it;

import static dev.flinkelt.support.Pipeline.exec;
import static dev.flinkelt.support.Pipeline.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TransformSettings.Mode;
import dev.flinkelt.demo.ShopAnalytics;
import dev.flinkelt.demo.ShopSchema;
import dev.flinkelt.support.FailOnceFunction;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Pipeline;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.transform.TransformRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TransformITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static PipelineConfig withTransform(Pipeline p, String tables, String transform) {
        return PipelineConfig.parse(p.yaml(tables, 1) + "\ntransform: " + transform, Map.of());
    }

    static void awaitVerified(PipelineConfig cfg, RunningJob job) throws Exception {
        Poll.untilAsserted(Duration.ofMinutes(2), () -> {
            job.assertRunning();
            SnapshotThenStreamITCase.Verified v = SnapshotThenStreamITCase.verify(cfg);
            assertThat(v.ok()).as("raw tables match the source:\n%s", v.output()).isTrue();
        });
    }

    static void runBatch(PipelineConfig cfg) throws Exception {
        TableResult r = TransformRunner.submit(cfg, Mode.BATCH, -1);
        r.await(3, TimeUnit.MINUTES);
    }

    static void assertRunning(TableResult job) throws Exception {
        org.apache.flink.core.execution.JobClient c = job.getJobClient().orElseThrow();
        org.apache.flink.api.common.JobStatus s = c.getJobStatus().get();
        if (s.isGloballyTerminalState()) {
            throw new IllegalStateException("transform job ended: " + s, c.getJobExecutionResult().handle((r, e) -> e).get());
        }
    }

    /** Cancels a transform job that still runs (a failed one keeps its own exception for the test to report). */
    static void cancel(TableResult job) throws Exception {
        org.apache.flink.core.execution.JobClient c = job.getJobClient().orElseThrow();
        if (!c.getJobStatus().get().isGloballyTerminalState()) {
            c.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    static String sourceRows(String table) {
        return "SELECT id, t::text FROM " + table + " t ORDER BY id";
    }

    static String mirrorRows(String schema, String table) {
        return "SELECT id, t::text FROM " + schema + ".\"" + table + "\" t ORDER BY id";
    }

    @Test
    void mirrorTablesEqualTheSourceInBatchAndStreaming(@InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        Pipeline p = new Pipeline("mirror");
        Path sqlDir = Files.createDirectories(tmp.resolve("sql"));
        try (Connection src = p.src(); Connection dst = p.dst()) {
            exec(src, TypeRoundTripITCase.ddl("types.sql"));
            PipelineConfig batchCfg = withTransform(p, "[public.all_types]", "{ sql-dir: '" + sqlDir + "', mirror-schema: mirror_batch }");
            PipelineConfig streamCfg = withTransform(p, "[public.all_types]", "{ sql-dir: '" + sqlDir + "' }");
            try (RunningJob el = RunningJob.start(batchCfg, cluster)) {
                // every snapshot row gets a streamed version (snapshot rows keep time at millisecond precision only)
                Poll.until(Duration.ofMinutes(2), () -> "snapshot", () -> Pipeline.count(dst, "SELECT count(*) FROM raw.public__all_types") == 3);
                exec(src, TypeRoundTripITCase.ddl("types_stream.sql"));
                awaitVerified(batchCfg, el);

                runBatch(batchCfg);
                List<String> expected = rows(src, sourceRows("public.all_types"));
                assertThat(rows(dst, mirrorRows("mirror_batch", "public__all_types"))).isEqualTo(expected);

                // the streaming transform reads raw rows that exist when it starts through Debezium's snapshot
                // (JDBC getObject), which moves timestamps before the 1582 calendar switch: row 201 has one (README)
                exec(src, "DELETE FROM public.all_types WHERE id = 201");
                awaitVerified(batchCfg, el);
                List<String> expectedStreaming = rows(src, sourceRows("public.all_types"));
                TableResult streaming = TransformRunner.submit(streamCfg, Mode.STREAMING, -1);
                try {
                    Poll.untilAsserted(Duration.ofMinutes(2), () -> {
                        assertRunning(streaming);
                        assertThat(rows(dst, mirrorRows("mirror", "public__all_types"))).isEqualTo(expectedStreaming);
                    });
                    exec(src, "UPDATE public.all_types SET c_text = 'streamed', c_numeric = 42 WHERE id IN (1, 101)",
                            "DELETE FROM public.all_types WHERE id IN (2, 200)",
                            "INSERT INTO public.all_types (id, c_text, c_int_arr) VALUES (300, 'late', '{1,2}')");
                    List<String> after = rows(src, sourceRows("public.all_types"));
                    Poll.untilAsserted(Duration.ofMinutes(2), () -> {
                        assertRunning(streaming);
                        assertThat(rows(dst, mirrorRows("mirror", "public__all_types"))).isEqualTo(after);
                    });
                } finally {
                    cancel(streaming);
                }
            }
        }
    }


    /** A copy of the example transforms (the job writes its compiled plan next to the SQL). */
    static Path exampleSql(Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sql"));
        for (String f : List.of("10_revenue_per_customer_day.sql", "20_orders_by_status.sql")) {
            Files.copy(Path.of("transforms", f), dir.resolve(f));
        }
        return dir;
    }

    @Test
    void exampleTransformsGiveTheSameResultStreamingBatchAndDirectlyInPostgres(@InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp)
            throws Exception {
        Pipeline p = new Pipeline("shop");
        try (Connection src = p.src(); Connection dst = p.dst()) {
            ShopSchema.create(src, 300);
            PipelineConfig cfg = withTransform(p, "['shop.*']", "{ sql-dir: '" + exampleSql(tmp) + "' }");
            try (RunningJob el = RunningJob.start(cfg, cluster)) {
                awaitVerified(cfg, el);
                exec(src, "UPDATE shop.orders SET status = 'cancelled' WHERE id % 7 = 0", "DELETE FROM shop.orders WHERE id % 11 = 0",
                        "UPDATE shop.orders SET total = total + 10 WHERE id % 5 = 0");
                awaitVerified(cfg, el);

                runBatch(cfg);
                List<String> revenue = rows(src, ShopAnalytics.REVENUE_DIRECT);
                List<String> status = rows(src, ShopAnalytics.STATUS_DIRECT);
                assertThat(revenue).hasSizeGreaterThan(100);
                assertThat(rows(dst, ShopAnalytics.REVENUE)).isEqualTo(revenue);
                assertThat(rows(dst, ShopAnalytics.STATUS)).isEqualTo(status);

                exec(dst, "TRUNCATE analytics.revenue_per_customer_day, analytics.orders_by_status");
                TableResult streaming = TransformRunner.submit(cfg, Mode.STREAMING, -1);
                try {
                    Poll.untilAsserted(Duration.ofMinutes(2), () -> {
                        assertThat(rows(dst, ShopAnalytics.REVENUE)).isEqualTo(revenue);
                        assertThat(rows(dst, ShopAnalytics.STATUS)).isEqualTo(status);
                    });
                    // changes while streaming: the aggregates follow, including groups that disappear
                    exec(src, "DELETE FROM shop.orders WHERE customer_id = 5", "UPDATE shop.orders SET status = 'paid' WHERE id % 13 = 0",
                            "INSERT INTO shop.orders VALUES (100000, 7, 'new', 99.99, '2024-06-01 12:00:00+00', interval '1 day', gen_random_uuid(), false)");
                    List<String> revenue2 = rows(src, ShopAnalytics.REVENUE_DIRECT);
                    List<String> status2 = rows(src, ShopAnalytics.STATUS_DIRECT);
                    assertThat(revenue2).isNotEqualTo(revenue);
                    Poll.untilAsserted(Duration.ofMinutes(2), () -> {
                        assertThat(rows(dst, ShopAnalytics.REVENUE)).isEqualTo(revenue2);
                        assertThat(rows(dst, ShopAnalytics.STATUS)).isEqualTo(status2);
                    });
                } finally {
                    cancel(streaming);
                }
            }
        }
    }

    @Test
    void streamingTransformRecoversFromAFailureWithExactAggregates(@InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        // the example transforms, with a function that fails once while rows stream through it
        Path sqlDir = Files.createDirectories(tmp.resolve("sql"));
        for (String f : List.of("10_revenue_per_customer_day.sql", "20_orders_by_status.sql")) {
            Files.writeString(sqlDir.resolve(f), Files.readString(Path.of("transforms", f))
                    .replace("SELECT customer_id, CAST(placed_at", "SELECT fail_once(customer_id) AS customer_id, CAST(placed_at"));
        }
        Files.writeString(sqlDir.resolve("00_functions.sql"),
                "CREATE TEMPORARY SYSTEM FUNCTION fail_once AS '" + FailOnceFunction.class.getName() + "';");
        FailOnceFunction.reset();
        Pipeline p = new Pipeline("tfail");
        try (Connection src = p.src(); Connection dst = p.dst()) {
            ShopSchema.create(src, 300);
            PipelineConfig cfg = withTransform(p, "['shop.*']", "{ sql-dir: '" + sqlDir + "' }");
            try (RunningJob el = RunningJob.start(cfg, cluster)) {
                awaitVerified(cfg, el);
                TableResult streaming = TransformRunner.submit(cfg, Mode.STREAMING, -1);
                try {
                    for (int round = 0; round < 10; round++) {
                        exec(src, "UPDATE shop.orders SET total = total + 1 WHERE id % 10 = " + round,
                                "UPDATE shop.orders SET status = 'shipped' WHERE id % 17 = " + round);
                    }
                    exec(src, "DELETE FROM shop.orders WHERE customer_id BETWEEN 10 AND 20");
                    awaitVerified(cfg, el);
                    List<String> revenue = rows(src, ShopAnalytics.REVENUE_DIRECT);
                    List<String> status = rows(src, ShopAnalytics.STATUS_DIRECT);
                    Poll.untilAsserted(Duration.ofMinutes(3), () -> {
                        assertRunning(streaming);
                        assertThat(FailOnceFunction.fired()).as("failure injected").isTrue();
                        assertThat(rows(dst, ShopAnalytics.REVENUE)).isEqualTo(revenue);
                        assertThat(rows(dst, ShopAnalytics.STATUS)).isEqualTo(status);
                    });
                } finally {
                    cancel(streaming);
                }
            }
        }
    }

    @Test
    void compatibleSqlChangeRestoresFromSavepointWithoutRecounting(@InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        Pipeline p = new Pipeline("upgrade");
        Path sqlDir = exampleSql(tmp);
        try (Connection src = p.src(); Connection dst = p.dst()) {
            ShopSchema.create(src, 300);
            PipelineConfig cfg = withTransform(p, "['shop.*']", "{ sql-dir: '" + sqlDir + "' }");
            try (RunningJob el = RunningJob.start(cfg, cluster)) {
                awaitVerified(cfg, el);
                TableResult v1 = TransformRunner.submit(cfg, Mode.STREAMING, -1);
                List<String> status = rows(src, ShopAnalytics.STATUS_DIRECT);
                Poll.untilAsserted(Duration.ofMinutes(2), () -> {
                    assertRunning(v1);
                    assertThat(rows(dst, ShopAnalytics.STATUS)).isEqualTo(status);
                });
                assertThat(sqlDir.resolve("compiled-plan.json")).exists();
                String savepoint = v1.getJobClient().orElseThrow()
                        .stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(), org.apache.flink.core.execution.SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);

                // count every write to the mirror of orders from here on: a job that lost its state re-reads all raw rows
                exec(dst, "CREATE TABLE public.mirror_writes (n bigint)", "INSERT INTO public.mirror_writes VALUES (0)",
                        "CREATE FUNCTION public.count_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE public.mirror_writes SET n = n + 1; RETURN NULL; END $$",
                        "CREATE TRIGGER count_write AFTER INSERT OR UPDATE ON mirror.shop__orders FOR EACH ROW EXECUTE FUNCTION public.count_write()");
                // a compatible change (README): a new statement after the existing ones. Restored from a savepoint, it
                // sees the changes made after the savepoint (the shared source resumes there; no backfill)
                Files.writeString(sqlDir.resolve("30_orders_per_customer.sql"), String.join("\n",
                        "CREATE TABLE order_updates (id BIGINT, status STRING, updates BIGINT, PRIMARY KEY (id) NOT ENFORCED)",
                        "  WITH ('connector' = 'warehouse', 'table-name' = 'analytics.order_updates');",
                        "INSERT INTO order_updates SELECT id, LAST_VALUE(status), COUNT(*) FROM `raw`.shop__orders WHERE _op = 'u' GROUP BY id;"));
                exec(src, "UPDATE shop.orders SET status = 'shipped' WHERE id IN (1, 2, 3)");
                long orders = Pipeline.count(src, "SELECT count(*) FROM shop.orders");

                TableResult v2 = TransformRunner.submit(cfg, Mode.STREAMING, -1, savepoint);
                try {
                    List<String> status2 = rows(src, ShopAnalytics.STATUS_DIRECT);

                    Poll.untilAsserted(Duration.ofMinutes(2), () -> {
                        assertRunning(v2);
                        assertThat(rows(dst, ShopAnalytics.STATUS)).isEqualTo(status2);
                        assertThat(rows(dst, "SELECT id, status, updates FROM analytics.order_updates ORDER BY 1"))
                                .containsExactly("1|shipped|1", "2|shipped|1", "3|shipped|1");
                    });
                    long writes = Pipeline.count(dst, "SELECT n FROM public.mirror_writes");
                    assertThat(writes).as("mirror rows rewritten after the restore (of %d orders)", orders).isBetween(3L, 10L);
                } finally {
                    cancel(v2);
                }
            }
        }
    }
}
