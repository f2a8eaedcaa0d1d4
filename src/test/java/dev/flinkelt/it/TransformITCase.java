package dev.flinkelt.it;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TransformSettings.Mode;
import dev.flinkelt.demo.ShopAnalytics;
import dev.flinkelt.demo.ShopSchema;
import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.runtime.Resume;
import dev.flinkelt.runtime.RetainedCheckpoints;
import dev.flinkelt.support.FailAtFunction;
import dev.flinkelt.support.FailureSeed;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.transform.TransformRunner;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static dev.flinkelt.it.SnapshotThenStreamITCase.awaitVerified;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransformITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static PipelineConfig withTransform(TestDatabases p, String tables, String transform) {
        return withTransform(p, tables, 1, transform);
    }

    static PipelineConfig withTransform(
            TestDatabases p, String tables, int parallelism, String transform) {
        return PipelineConfig.parse(
                p.yaml(tables, parallelism) + "\ntransform: " + transform, Map.of());
    }

    static void runBatch(PipelineConfig cfg) throws Exception {
        TableResult r = TransformRunner.submit(cfg, Mode.BATCH, -1);
        r.await(3, TimeUnit.MINUTES);
    }

    static void assertRunning(TableResult job) throws Exception {
        JobClient c = job.getJobClient().orElseThrow();
        JobStatus s = c.getJobStatus().get();
        if (s.isGloballyTerminalState()) {
            throw new IllegalStateException(
                    "transform job ended: " + s,
                    c.getJobExecutionResult().handle((r, e) -> e).get());
        }
    }

    /**
     * Cancels a transform job that still runs (a failed one keeps its own exception for the test to
     * report).
     */
    static void cancel(TableResult job) throws Exception {
        JobClient c = job.getJobClient().orElseThrow();
        if (!c.getJobStatus().get().isGloballyTerminalState()) {
            c.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    /**
     * Every row of {@code table} in {@code conn} as the text of a row of {@code columns}, sorted: a
     * mirror must equal its source.
     */
    static List<String> rowTexts(Connection conn, String table, List<String> columns)
            throws Exception {
        String cols =
                columns.stream()
                        .map(c -> "t.\"" + c.replace("\"", "\"\"") + "\"")
                        .collect(java.util.stream.Collectors.joining(", "));
        return ShopAnalytics.rows(
                conn,
                "SELECT ROW("
                        + cols
                        + ")::text FROM "
                        + table
                        + " t ORDER BY 1"); // empty until the mirror exists
    }

    /** The source table's columns in order. */
    static List<String> columns(Connection src, String schema, String table) throws Exception {
        return rows(
                src,
                "SELECT attname FROM pg_attribute WHERE attrelid = '"
                        + schema
                        + ".\""
                        + table
                        + "\"'::regclass AND attnum > 0"
                        + " AND NOT attisdropped ORDER BY attnum");
    }

    static void assertMirror(
            Connection src, Connection dst, String mirrorSchema, String schema, String table)
            throws Exception {
        List<String> cols = columns(src, schema, table);
        assertThat(rowTexts(dst, mirrorSchema + ".\"" + schema + "__" + table + "\"", cols))
                .as("mirror of %s.%s", schema, table)
                .isEqualTo(rowTexts(src, schema + ".\"" + table + "\"", cols));
    }

    static final String ITEM_TOTALS =
            "SELECT \"select\", \"Total Qty\", \"User Name\", \"Grade A Qty\" FROM analytics.\"Item Totals\" ORDER BY 1";
    static final String ITEM_TOTALS_DIRECT =
            "SELECT \"select\", sum(qty), max(\"User Name\"), sum(CASE WHEN grade = 'A' THEN qty ELSE 0 END)"
                    + " FROM public.\"OrderItems\" GROUP BY 1 ORDER BY 1";

    @Test
    void mirrorsAndOutputsFollowTheSourceExactlyWithHostileNamesThroughDdlNewTablesAndTruncate(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("mirror");
        Path sqlDir = Files.createDirectories(tmp.resolve("sql"));
        // keyword, capitals, spaces and quotes in names: in the mirror, in user SQL and in a user
        // output
        Files.writeString(
                sqlDir.resolve("10_items.sql"),
                String.join(
                        "\n",
                        "CREATE TABLE `Item Totals` (`select` STRING, `Total Qty` BIGINT, `User Name` STRING, `Grade A Qty` BIGINT,"
                                + " PRIMARY KEY (`select`) NOT ENFORCED)",
                        "  WITH ('connector' = 'warehouse', 'table-name' = 'analytics.\"Item Totals\"');",
                        // grade is char(6): 'A' matches its blank-padded value, as in PostgreSQL
                        "INSERT INTO `Item Totals` SELECT `select`, SUM(CAST(qty AS BIGINT)), MAX(`User Name`),"
                                + " SUM(CASE WHEN grade = 'A' THEN CAST(qty AS BIGINT) ELSE CAST(0 AS BIGINT) END)"
                                + " FROM mirror.`public__OrderItems` GROUP BY `select`;"));
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    TypeRoundTripITCase.ddl("types.sql"),
                    "CREATE TABLE public.\"OrderItems\" (order_id bigint, line_no int, qty int, \"select\" text, \"User Name\" text,"
                            + " \"quo\"\"te\" text, price numeric(10,2), grade char(6), PRIMARY KEY (order_id, line_no))",
                    "INSERT INTO public.\"OrderItems\" SELECT g / 3, g % 3, g, 'kind ' || (g % 4), 'user ' || g, 'it''s \""
                            + "q\"', g * 1.25, CASE WHEN g % 2 = 0 THEN 'A' ELSE 'BB' END"
                            + " FROM generate_series(1, 60) g");
            PipelineConfig cfg = withTransform(p, "['public.*']", "{ sql-dir: '" + sqlDir + "' }");
            try (RunningJob el = RunningJob.start(cfg, cluster)) {
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "snapshot",
                        () ->
                                TestDatabases.count(
                                                dst, "SELECT count(*) FROM raw.public__all_types")
                                        == 7);
                // values Flink's types cannot hold (NaN, 24:00, BC, infinities, pre-1582
                // timestamps) travel as text, exactly
                exec(
                        src,
                        TypeRoundTripITCase.ddl("types_stream.sql"),
                        TypeRoundTripITCase.ddl("types_stream_dates.sql"));
                awaitVerified(cfg, el);
                TableResult streaming = TransformRunner.submit(cfg, Mode.STREAMING, -1);
                try {
                    Poll.untilAsserted(
                            Duration.ofMinutes(1),
                            () -> {
                                assertRunning(streaming);
                                assertMirror(src, dst, "mirror", "public", "all_types");
                                assertMirror(src, dst, "mirror", "public", "OrderItems");
                                assertThat(rows(dst, ITEM_TOTALS))
                                        .isEqualTo(rows(src, ITEM_TOTALS_DIRECT));
                            });
                    // live, without a restart: changes, a new column, a new table, a TRUNCATE and
                    // rows after it
                    exec(
                            src,
                            "UPDATE public.\"OrderItems\" SET qty = qty + 100, \"select\" = 'kind 9' WHERE order_id < 5",
                            "DELETE FROM public.\"OrderItems\" WHERE order_id BETWEEN 10 AND 12",
                            "ALTER TABLE public.\"OrderItems\" ADD COLUMN \"Note\" text",
                            "UPDATE public.\"OrderItems\" SET \"Note\" = 'noted' WHERE order_id = 15",
                            "CREATE TABLE public.\"LateTable\" (id int PRIMARY KEY, \"from\" text)",
                            "INSERT INTO public.\"LateTable\" SELECT g, 'row ' || g FROM generate_series(1, 25) g",
                            "TRUNCATE public.all_types",
                            "INSERT INTO public.all_types (id, c_text, c_date) VALUES (500, 'after truncate', '0044-03-15 BC')");
                    Poll.untilAsserted(
                            Duration.ofMinutes(1),
                            () -> {
                                assertRunning(streaming);
                                assertMirror(src, dst, "mirror", "public", "all_types");
                                assertMirror(src, dst, "mirror", "public", "OrderItems");
                                assertMirror(src, dst, "mirror", "public", "LateTable");
                                assertThat(rows(dst, ITEM_TOTALS))
                                        .isEqualTo(rows(src, ITEM_TOTALS_DIRECT));
                            });
                } finally {
                    cancel(streaming);
                }
                // the batch rebuild gives the same tables from scratch
                awaitVerified(cfg, el);
                exec(
                        dst,
                        "TRUNCATE mirror.public__all_types, mirror.\"public__OrderItems\", mirror.\"public__LateTable\", analytics.\"Item Totals\"");
                runBatch(cfg);
                assertMirror(src, dst, "mirror", "public", "all_types");
                assertMirror(src, dst, "mirror", "public", "OrderItems");
                assertMirror(src, dst, "mirror", "public", "LateTable");
                assertThat(rows(dst, ITEM_TOTALS)).isEqualTo(rows(src, ITEM_TOTALS_DIRECT));
            }
        }
    }

    static String liveRows(String table) {
        return "SELECT id, to_jsonb(t)::text FROM " + table + " t ORDER BY id";
    }

    /**
     * Soft-deleted mirror rows: key, flag, and whether _deleted_at is the commit time of the key's
     * last delete in raw.
     */
    static String softDeleted(String mirror) {
        return "SELECT id, v, _deleted, _deleted_at = (SELECT max(_source_ts) FROM raw.public__items r WHERE r.id = m.id AND r._op = 'd')"
                + " FROM "
                + mirror
                + " m WHERE _deleted ORDER BY id";
    }

    @Test
    void softDeletesKeepDeletedKeysFlaggedInStreamingAndBatch(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("soft");
        Path sqlDir = Files.createDirectories(tmp.resolve("sql"));
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.items (id bigint PRIMARY KEY, v text, n numeric(8,2))",
                    "INSERT INTO public.items SELECT g, 'item ' || g, g * 1.5 FROM generate_series(1, 50) g");
            PipelineConfig stream =
                    withTransform(
                            p,
                            "[public.items]",
                            "{ sql-dir: '"
                                    + sqlDir
                                    + "', mirror-schema: soft, soft-deletes: true }");
            PipelineConfig batch =
                    withTransform(
                            p,
                            "[public.items]",
                            "{ sql-dir: '"
                                    + sqlDir
                                    + "', mirror-schema: soft_batch, soft-deletes: true }");
            try (RunningJob el = RunningJob.start(stream, cluster)) {
                awaitVerified(stream, el);
                exec(
                        src,
                        "DELETE FROM public.items WHERE id IN (1, 2, 3)",
                        "UPDATE public.items SET v = 'changed' WHERE id = 4");
                awaitVerified(stream, el);
                TableResult streaming = TransformRunner.submit(stream, Mode.STREAMING, -1);
                try {
                    Poll.untilAsserted(
                            Duration.ofMinutes(2),
                            () -> {
                                assertRunning(streaming);
                                assertThat(rows(dst, softDeleted("soft.public__items")))
                                        .containsExactly("1|null|t|t", "2|null|t|t", "3|null|t|t");
                            });
                    // while streaming: more deletes, and a deleted key that comes back is live
                    // again
                    exec(
                            src,
                            "DELETE FROM public.items WHERE id IN (4, 5)",
                            "INSERT INTO public.items VALUES (2, 'back', 9.99)",
                            "UPDATE public.items SET n = 0 WHERE id = 6");
                    List<String> live = rows(src, liveRows("public.items"));
                    Poll.untilAsserted(
                            Duration.ofMinutes(2),
                            () -> {
                                assertRunning(streaming);
                                assertThat(rows(dst, softDeleted("soft.public__items")))
                                        .containsExactly(
                                                "1|null|t|t",
                                                "3|null|t|t",
                                                "4|null|t|t",
                                                "5|null|t|t");
                                assertThat(
                                                rows(
                                                        dst,
                                                        "SELECT id, (to_jsonb(t) - '_deleted' - '_deleted_at' - '_lsn' - '_seq')::text FROM soft.public__items t"
                                                                + " WHERE NOT _deleted ORDER BY id"))
                                        .isEqualTo(live);
                            });
                    assertThat(
                                    TestDatabases.count(
                                            dst,
                                            "SELECT count(*) FROM soft.public__items WHERE NOT _deleted AND _deleted_at IS NOT NULL"))
                            .isZero();
                } finally {
                    cancel(streaming);
                }
                awaitVerified(stream, el);
                runBatch(batch);
                assertThat(rows(dst, "SELECT t::text FROM soft_batch.public__items t ORDER BY id"))
                        .isEqualTo(
                                rows(dst, "SELECT t::text FROM soft.public__items t ORDER BY id"));
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
    void exampleTransformsGiveTheSameResultStreamingBatchAndDirectlyInPostgres(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("shop");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            ShopSchema.create(src, 300);
            PipelineConfig cfg =
                    withTransform(p, "['shop.*']", "{ sql-dir: '" + exampleSql(tmp) + "' }");
            try (RunningJob el = RunningJob.start(cfg, cluster)) {
                awaitVerified(cfg, el);
                exec(
                        src,
                        "UPDATE shop.orders SET status = 'cancelled' WHERE id % 7 = 0",
                        "DELETE FROM shop.orders WHERE id % 11 = 0",
                        "UPDATE shop.orders SET total = total + 10 WHERE id % 5 = 0");
                awaitVerified(cfg, el);

                runBatch(cfg);
                List<String> revenue = rows(src, ShopAnalytics.REVENUE_DIRECT);
                List<String> status = rows(src, ShopAnalytics.STATUS_DIRECT);
                assertThat(revenue).hasSizeGreaterThan(100);
                assertThat(rows(dst, ShopAnalytics.REVENUE)).isEqualTo(revenue);
                assertThat(rows(dst, ShopAnalytics.STATUS)).isEqualTo(status);

                // batch is a full rebuild: rows that do not derive from raw any more go (a stray
                // group, a stray mirror row)
                exec(
                        dst,
                        "INSERT INTO analytics.orders_by_status VALUES ('ghost', 1, 1)",
                        "INSERT INTO mirror.shop__orders (id, customer_id, status) VALUES (999999, 1, 'new')");
                String ghosts =
                        "SELECT (SELECT count(*) FROM analytics.orders_by_status WHERE status = 'ghost')"
                                + " + (SELECT count(*) FROM mirror.shop__orders WHERE id = 999999)";
                // ... but only once it has succeeded: a run that fails at runtime changes no output
                // and leaves no staging table
                Path badSql = Files.createDirectories(tmp.resolve("bad"));
                Files.copy(
                        Path.of("transforms", "20_orders_by_status.sql"),
                        badSql.resolve("20_orders_by_status.sql"));
                Files.writeString(
                        badSql.resolve("30_bad.sql"),
                        "CREATE TABLE bad (n INT) WITH ('connector' = 'warehouse', 'table-name' = 'analytics.bad');\n"
                                + "INSERT INTO bad SELECT CAST(CAST(status AS STRING) || '?' AS INT) FROM mirror.shop__orders;");
                PipelineConfig badCfg =
                        withTransform(p, "['shop.*']", "{ sql-dir: '" + badSql + "' }");
                assertThatThrownBy(() -> runBatch(badCfg)).isInstanceOf(Exception.class);
                assertThat(TestDatabases.count(dst, ghosts)).isEqualTo(2);
                assertThat(
                                TestDatabases.count(
                                        dst,
                                        "SELECT count(*) FROM pg_tables WHERE schemaname = 'flink_elt_rebuild'"))
                        .isZero();
                runBatch(cfg);
                assertThat(TestDatabases.count(dst, ghosts)).isZero();
                assertThat(rows(dst, ShopAnalytics.REVENUE)).isEqualTo(revenue);
                assertThat(rows(dst, ShopAnalytics.STATUS)).isEqualTo(status);

                exec(
                        dst,
                        "TRUNCATE analytics.revenue_per_customer_day, analytics.orders_by_status");
                TableResult streaming = TransformRunner.submit(cfg, Mode.STREAMING, -1);
                try {
                    Poll.untilAsserted(
                            Duration.ofMinutes(2),
                            () -> {
                                assertThat(rows(dst, ShopAnalytics.REVENUE)).isEqualTo(revenue);
                                assertThat(rows(dst, ShopAnalytics.STATUS)).isEqualTo(status);
                            });
                    // changes while streaming: the aggregates follow, including groups that
                    // disappear
                    exec(
                            src,
                            "DELETE FROM shop.orders WHERE customer_id = 5",
                            "UPDATE shop.orders SET status = 'paid' WHERE id % 13 = 0",
                            "INSERT INTO shop.orders VALUES (100000, 7, 'new', 99.99, '2024-06-01 12:00:00+00', interval '1 day', gen_random_uuid(), false)");
                    List<String> revenue2 = rows(src, ShopAnalytics.REVENUE_DIRECT);
                    List<String> status2 = rows(src, ShopAnalytics.STATUS_DIRECT);
                    assertThat(revenue2).isNotEqualTo(revenue);
                    Poll.untilAsserted(
                            Duration.ofMinutes(2),
                            () -> {
                                assertThat(rows(dst, ShopAnalytics.REVENUE)).isEqualTo(revenue2);
                                assertThat(rows(dst, ShopAnalytics.STATUS)).isEqualTo(status2);
                            });
                } finally {
                    cancel(streaming);
                }
            }
        }
    }

    @ParameterizedTest(name = "state-backend: {0}")
    @ValueSource(strings = {"rocksdb", "hashmap"})
    void streamingTransformRecoversFromFailuresAtSeededRandomPointsWithExactAggregates(
            String stateBackend, @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp)
            throws Exception {
        // the example transforms, with a function that fails at five seeded points while rows
        // stream through it
        Path sqlDir = Files.createDirectories(tmp.resolve("sql"));
        for (String f : List.of("10_revenue_per_customer_day.sql", "20_orders_by_status.sql")) {
            Files.writeString(
                    sqlDir.resolve(f),
                    Files.readString(Path.of("transforms", f))
                            .replace(
                                    "SELECT customer_id, CAST(placed_at",
                                    "SELECT fail_at(customer_id) AS customer_id, CAST(placed_at"));
        }
        Files.writeString(
                sqlDir.resolve("00_functions.sql"),
                "CREATE TEMPORARY SYSTEM FUNCTION fail_at AS '"
                        + FailAtFunction.class.getName()
                        + "';");
        Files.writeString(sqlDir.resolve("30_raw_counts.sql"), RAW_COUNTS_SQL);
        FailureSeed seed = FailureSeed.pick();
        // calls: ~300 rows read at the start, then ~2 per streamed update (retraction and new
        // value)
        FailAtFunction.arm(seed.random().longs(50, 1_000).distinct().limit(5).toArray());
        TestDatabases p = new TestDatabases("tfail");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            ShopSchema.create(src, 300);
            // checkpoints every second, so the failures restore state from a checkpoint rather
            // than start from nothing
            PipelineConfig cfg =
                    withTransform(
                            p,
                            "['shop.*']",
                            "{ sql-dir: '"
                                    + sqlDir
                                    + "', state-backend: "
                                    + stateBackend
                                    + ", checkpoint-interval: 1s }");
            try (RunningJob el = RunningJob.start(cfg, cluster)) {
                awaitVerified(cfg, el);
                TableResult streaming = TransformRunner.submit(cfg, Mode.STREAMING, -1);
                try {
                    for (int round = 0; round < 10; round++) {
                        exec(
                                src,
                                "UPDATE shop.orders SET total = total + 1 WHERE id % 10 = " + round,
                                "UPDATE shop.orders SET status = 'shipped' WHERE id % 17 = "
                                        + round);
                    }
                    exec(src, "DELETE FROM shop.orders WHERE customer_id BETWEEN 10 AND 20");
                    awaitVerified(cfg, el);
                    List<String> revenue = rows(src, ShopAnalytics.REVENUE_DIRECT);
                    List<String> status = rows(src, ShopAnalytics.STATUS_DIRECT);
                    Poll.untilAsserted(
                            Duration.ofMinutes(3),
                            () -> {
                                assertRunning(streaming);
                                assertThat(FailAtFunction.fired())
                                        .as("failures injected; %s", seed)
                                        .isEqualTo(5);
                                assertExact(src, dst);
                            });
                    // a checkpoint to keep on cancel (the failures may have left none yet)
                    Poll.untilAsserted(
                            Duration.ofMinutes(1),
                            () ->
                                    assertThat(
                                                    RetainedCheckpoints.latest(
                                                            JobEnvironment.checkpointDir(
                                                                    cfg, JobEnvironment.TRANSFORM)))
                                            .isPresent());
                } finally {
                    cancel(streaming);
                }
                // the checkpoints kept on cancel restore only into their backend: a start with
                // the other one is refused up front, naming both and --fresh
                String other = stateBackend.equals("rocksdb") ? "hashmap" : "rocksdb";
                PipelineConfig switched =
                        withTransform(
                                p,
                                "['shop.*']",
                                "{ sql-dir: '" + sqlDir + "', state-backend: " + other + " }");
                assertThatThrownBy(
                                () ->
                                        Resume.choose(
                                                switched,
                                                JobEnvironment.TRANSFORM,
                                                null,
                                                false,
                                                System.out))
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("written with state backend " + stateBackend)
                        .hasMessageContaining("the config now says " + other)
                        .hasMessageContaining("--fresh");
                assertThat(
                                Resume.choose(
                                                cfg,
                                                JobEnvironment.TRANSFORM,
                                                null,
                                                false,
                                                System.out)
                                        .isFresh())
                        .as("the same backend resumes from its checkpoint")
                        .isFalse();
            }
        }
    }

    /**
     * Counts every raw row the transform reads, per table and operation: a row skipped or read
     * twice shows here.
     */
    static final String RAW_COUNTS_SQL =
            String.join(
                    "\n",
                    "CREATE TABLE raw_counts (tbl STRING, op STRING, n BIGINT, PRIMARY KEY (tbl, op) NOT ENFORCED)",
                    "  WITH ('connector' = 'warehouse', 'table-name' = 'analytics.raw_counts');",
                    "INSERT INTO raw_counts SELECT 'orders', `_op`, COUNT(*) FROM `raw`.shop__orders GROUP BY `_op`",
                    "  UNION ALL SELECT 'customers', `_op`, COUNT(*) FROM `raw`.shop__customers GROUP BY `_op`;");

    static final String RAW_COUNTS = "SELECT tbl, op, n FROM analytics.raw_counts ORDER BY 1, 2";
    static final String RAW_COUNTS_DIRECT =
            "SELECT 'orders', _op, count(*) FROM raw.shop__orders GROUP BY 2"
                    + " UNION ALL SELECT 'customers', _op, count(*) FROM raw.shop__customers GROUP BY 2 ORDER BY 1, 2";

    /**
     * The example outputs equal the source, every raw row was counted once, and the orders mirror
     * equals its source.
     */
    static void assertExact(Connection src, Connection dst) throws Exception {
        assertThat(rows(dst, ShopAnalytics.REVENUE))
                .isEqualTo(rows(src, ShopAnalytics.REVENUE_DIRECT));
        assertThat(rows(dst, ShopAnalytics.STATUS))
                .isEqualTo(rows(src, ShopAnalytics.STATUS_DIRECT));
        assertThat(ShopAnalytics.rows(dst, RAW_COUNTS)).isEqualTo(rows(dst, RAW_COUNTS_DIRECT));
        assertMirror(src, dst, "mirror", "shop", "orders");
    }

    static String savepoint(TableResult job, Path tmp) throws Exception {
        return job.getJobClient()
                .orElseThrow()
                .stopWithSavepoint(
                        false,
                        tmp.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
    }

    @Test
    void rescaleBySavepoint2To1To3AndAFreshStartIntoExistingOutputsAreExact(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("trescale");
        Path sqlDir = exampleSql(tmp);
        Files.writeString(sqlDir.resolve("30_raw_counts.sql"), RAW_COUNTS_SQL);
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            ShopSchema.create(src, 300);
            IntFunction<PipelineConfig> at =
                    n -> withTransform(p, "['shop.*']", n, "{ sql-dir: '" + sqlDir + "' }");
            try (RunningJob el = RunningJob.start(at.apply(1), cluster)) {
                String savepoint = null;
                int round = 0;
                for (int parallelism : new int[] {2, 1, 3, 2}) {
                    // the last start is a fresh one (no savepoint) into the outputs the others
                    // wrote
                    boolean fresh = parallelism == 2 && savepoint != null;
                    TableResult job =
                            TransformRunner.submit(
                                    at.apply(parallelism),
                                    Mode.STREAMING,
                                    -1,
                                    fresh ? null : savepoint);
                    try {
                        for (int i = 0; i < 3; i++, round++) { // changes while it runs
                            exec(
                                    src,
                                    "UPDATE shop.orders SET total = total + 1, status = 'shipped' WHERE id % 13 = "
                                            + round,
                                    "DELETE FROM shop.orders WHERE id % 97 = " + round,
                                    "INSERT INTO shop.customers (id, name) VALUES ("
                                            + (10_000 + round)
                                            + ", 'new "
                                            + round
                                            + "')");
                        }
                        awaitVerified(at.apply(1), el);
                        Poll.untilAsserted(
                                Duration.ofMinutes(1),
                                () -> {
                                    assertRunning(job);
                                    assertExact(src, dst);
                                });
                        savepoint = savepoint(job, tmp);
                    } finally {
                        cancel(job);
                    }
                    // and changes while it is stopped
                    exec(src, "UPDATE shop.orders SET total = total + 2 WHERE id % 11 = " + round);
                }
            }
        }
    }

    @Test
    void compatibleSqlChangeRestoresFromSavepointWithoutRecounting(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("upgrade");
        Path sqlDir = exampleSql(tmp);
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            ShopSchema.create(src, 300);
            PipelineConfig cfg = withTransform(p, "['shop.*']", "{ sql-dir: '" + sqlDir + "' }");
            try (RunningJob el = RunningJob.start(cfg, cluster)) {
                awaitVerified(cfg, el);
                TableResult v1 = TransformRunner.submit(cfg, Mode.STREAMING, -1);
                List<String> status = rows(src, ShopAnalytics.STATUS_DIRECT);
                Poll.untilAsserted(
                        Duration.ofMinutes(2),
                        () -> {
                            assertRunning(v1);
                            assertThat(rows(dst, ShopAnalytics.STATUS)).isEqualTo(status);
                        });
                assertThat(sqlDir.resolve("compiled-plan.json")).exists();
                String plan = Files.readString(sqlDir.resolve("compiled-plan.json"));
                assertThat(plan.split("\"elt-raw\"", -1).length - 1)
                        .as("scans of the raw rows in the plan: all views share one source")
                        .isEqualTo(1);
                assertThat(plan.split("\"stream-exec-rank_", -1).length - 1)
                        .as("rankings of mirror.shop__orders' versions: its three uses share one")
                        .isEqualTo(1);
                String savepoint = savepoint(v1, tmp);

                // count every write to the mirror of orders from here on: a job that lost its state
                // re-reads all raw rows
                exec(
                        dst,
                        "CREATE TABLE public.mirror_writes (n bigint)",
                        "INSERT INTO public.mirror_writes VALUES (0)",
                        "CREATE FUNCTION public.count_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE public.mirror_writes SET n = n + 1; RETURN NULL; END $$",
                        "CREATE TRIGGER count_write AFTER INSERT OR UPDATE ON mirror.shop__orders FOR EACH ROW EXECUTE FUNCTION public.count_write()");
                // a compatible change (README): a new statement after the existing ones. Restored
                // from a savepoint, it
                // sees the changes made after the savepoint (the shared source resumes there; no
                // backfill)
                Files.writeString(
                        sqlDir.resolve("30_orders_per_customer.sql"),
                        String.join(
                                "\n",
                                "CREATE TABLE order_updates (id BIGINT, status STRING, updates BIGINT, PRIMARY KEY (id) NOT ENFORCED)",
                                "  WITH ('connector' = 'warehouse', 'table-name' = 'analytics.order_updates');",
                                "INSERT INTO order_updates SELECT id, LAST_VALUE(status), COUNT(*) FROM `raw`.shop__orders WHERE _op = 'u' GROUP BY id;"));
                exec(src, "UPDATE shop.orders SET status = 'shipped' WHERE id IN (1, 2, 3)");
                long orders = TestDatabases.count(src, "SELECT count(*) FROM shop.orders");

                TableResult v2 = TransformRunner.submit(cfg, Mode.STREAMING, -1, savepoint);
                try {
                    List<String> status2 = rows(src, ShopAnalytics.STATUS_DIRECT);

                    Poll.untilAsserted(
                            Duration.ofMinutes(2),
                            () -> {
                                assertRunning(v2);
                                assertThat(rows(dst, ShopAnalytics.STATUS)).isEqualTo(status2);
                                assertThat(
                                                rows(
                                                        dst,
                                                        "SELECT id, status, updates FROM analytics.order_updates ORDER BY 1"))
                                        .containsExactly(
                                                "1|shipped|1", "2|shipped|1", "3|shipped|1");
                                // the mirror has its own sink, committed on its own: count its
                                // writes once it holds the change too
                                assertThat(
                                                rows(
                                                        dst,
                                                        "SELECT id, status FROM mirror.shop__orders WHERE id IN (1, 2, 3) ORDER BY 1"))
                                        .containsExactly("1|shipped", "2|shipped", "3|shipped");
                            });
                    long writes = TestDatabases.count(dst, "SELECT n FROM public.mirror_writes");
                    assertThat(writes)
                            .as("mirror rows rewritten after the restore (of %d orders)", orders)
                            .isBetween(3L, 10L);
                } finally {
                    cancel(v2);
                }
            }
        }
    }
}
