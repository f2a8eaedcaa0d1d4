package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.config.TransformSettings.Mode;
import dev.flinkelt.demo.ShopAnalytics;
import dev.flinkelt.pg.ColumnSpec;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.raw.RawNames;
import dev.flinkelt.raw.RawTables;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.LogCapture;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.transform.TransformRunner;

import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.flinkelt.support.TestDatabases.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming transform's reader of raw tables: how fast it is live over many raw tables: from
 * its start to every mirror caught up, and from a new raw row in every table to every mirror
 * holding it. The raw tables are written here the way extract-load writes them, so only the
 * transform is timed.
 */
class TransformReaderITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 1_000;

    /** A raw table written here the way extract-load writes it. */
    static final TableSchema T =
            new TableSchema(
                    new TableRef("public", "t"),
                    List.of(new ColumnSpec("id", "bigint"), new ColumnSpec("v", "text")),
                    List.of("id"),
                    false);

    @Test
    void everyMirrorIsLiveWithinSecondsFor1_10And100RawTables(@TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("tmany");
        Path sqlDir = Files.createDirectories(tmp.resolve("sql"));
        List<String> measured = new ArrayList<>();
        try (Connection dst = p.dst()) {
            for (int n : new int[] {1, 10, 100}) {
                String rawSchema = "raw" + n;
                List<TableSchema> tables =
                        IntStream.rangeClosed(1, n)
                                .mapToObj(
                                        i ->
                                                new TableSchema(
                                                        new TableRef("public", "t" + i),
                                                        List.of(
                                                                new ColumnSpec("id", "bigint"),
                                                                new ColumnSpec("v", "text"),
                                                                new ColumnSpec(
                                                                        "n", "numeric(12,2)")),
                                                        List.of("id"),
                                                        false))
                                .toList();
                RawTables.ensure(dst, rawSchema, tables, List.of(), false);
                for (TableSchema t : tables) {
                    exec(
                            dst,
                            "INSERT INTO "
                                    + RawTables.qualified(rawSchema, t)
                                    + " (id, v, n, _op, _lsn, _seq)"
                                    + " SELECT g, 'row ' || g, g * 1.5, 'r', 100, 1 FROM generate_series(1, "
                                    + ROWS
                                    + ") g");
                }
                PipelineConfig cfg =
                        PipelineConfig.parse(
                                p.yaml("[public.t1]", 2)
                                                .replace(
                                                        "target:\n",
                                                        "target:\n  raw-schema: "
                                                                + rawSchema
                                                                + "\n")
                                        + "\ntransform: { sql-dir: '"
                                        + sqlDir
                                        + "', mirror-schema: mirror"
                                        + n
                                        + " }",
                                Map.of());
                long start = System.nanoTime();
                TableResult job = TransformRunner.submit(cfg, Mode.STREAMING, -1);
                try {
                    String counts =
                            tables.stream()
                                    .map(
                                            t ->
                                                    "(SELECT count(*) FROM \"mirror"
                                                            + n
                                                            + "\".\""
                                                            + RawNames.of(t.ref())
                                                            + "\")")
                                    .collect(Collectors.joining(" + "));
                    Poll.until(
                            Duration.ofMinutes(2),
                            () -> "all " + n + " mirrors caught up",
                            () -> TestDatabases.count(dst, "SELECT " + counts) == (long) n * ROWS);
                    double caughtUp = (System.nanoTime() - start) / 1e9;
                    // one new row in every raw table, written like the sink writes (its _load_xid
                    // from the column default)
                    long written = System.nanoTime();
                    for (TableSchema t : tables) {
                        exec(
                                dst,
                                "INSERT INTO "
                                        + RawTables.qualified(rawSchema, t)
                                        + " (id, v, n, _op, _lsn, _seq) VALUES (0, 'new', 0, 'c', 200, 1)");
                    }
                    Poll.until(
                            Duration.ofMinutes(1),
                            () -> "the new rows in all " + n + " mirrors",
                            () ->
                                    TestDatabases.count(dst, "SELECT " + counts)
                                            == (long) n * (ROWS + 1));
                    double live = (System.nanoTime() - written) / 1e9;
                    measured.add(
                            String.format(
                                    "%d raw tables (%d rows each): caught up %.1f s after the start, new rows in every mirror %.1f s"
                                            + " after they were written",
                                    n, ROWS, caughtUp, live));
                    assertThat(live)
                            .as("seconds from new raw rows to every mirror, %d tables", n)
                            .isLessThan(10);
                    assertThat(caughtUp)
                            .as("seconds from the start to every mirror caught up, %d tables", n)
                            .isLessThan(60);
                } finally {
                    TransformITCase.cancel(job);
                }
            }
        }
        measured.forEach(m -> System.out.println("MEASURED transform live: " + m));
    }

    @Test
    void rowsOfAPreparedTransactionAreReadOnceItCommitsAndNeverWhenItIsRolledBack(@TempDir Path tmp)
            throws Exception {
        TestDatabases p = new TestDatabases("tprep");
        Path sqlDir = Files.createDirectories(tmp.resolve("sql"));
        String raw = RawTables.qualified("raw", T);
        try (Connection dst = p.dst();
                Connection writer = p.dst();
                Connection later = p.dst()) {
            RawTables.ensure(dst, "raw", List.of(T), List.of(), false);
            exec(
                    dst,
                    "INSERT INTO "
                            + raw
                            + " (id, v, _op, _lsn, _seq) SELECT g, 'v', 'r', 1, 1 FROM generate_series(1, 10) g");
            PipelineConfig cfg =
                    TransformITCase.withTransform(
                            p, "[public.t]", 2, "{ sql-dir: '" + sqlDir + "' }");
            TableResult job = TransformRunner.submit(cfg, Mode.STREAMING, -1);
            try {
                String mirror = "SELECT count(*) FROM mirror.public__t";
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the first rows",
                        () -> TestDatabases.count(dst, mirror) == 10);
                // a sink transaction prepared but not committed, then a later one committed:
                // neither is read while the
                // first is open (it holds the horizon), both once it commits
                writer.setAutoCommit(false);
                exec(
                        writer,
                        "INSERT INTO "
                                + raw
                                + " (id, v, _op, _lsn, _seq) SELECT g, 'prepared', 'c', 2, 1 FROM generate_series(11, 20) g",
                        "PREPARE TRANSACTION 'tprep-1'");
                writer.setAutoCommit(true);
                exec(
                        later,
                        "INSERT INTO "
                                + raw
                                + " (id, v, _op, _lsn, _seq) SELECT g, 'later', 'c', 3, 1 FROM generate_series(21, 25) g");
                long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime()
                        < deadline) { // the reader polls every 200 ms: 15 rounds that must not read
                    // past it
                    assertThat(TestDatabases.count(dst, mirror))
                            .as("rows above an open prepared transaction")
                            .isEqualTo(10);
                    Thread.sleep(100);
                }
                exec(dst, "COMMIT PREPARED 'tprep-1'");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "rows after the commit",
                        () -> TestDatabases.count(dst, mirror) == 25);
                // rolled back: its rows never exist, the ones after it are read
                writer.setAutoCommit(false);
                exec(
                        writer,
                        "INSERT INTO "
                                + raw
                                + " (id, v, _op, _lsn, _seq) SELECT g, 'rolled back', 'c', 4, 1 FROM generate_series(31, 40) g",
                        "PREPARE TRANSACTION 'tprep-2'");
                writer.setAutoCommit(true);
                exec(
                        later,
                        "INSERT INTO "
                                + raw
                                + " (id, v, _op, _lsn, _seq) VALUES (26, 'after', 'c', 5, 1)");
                exec(dst, "ROLLBACK PREPARED 'tprep-2'");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the row after the rollback",
                        () -> TestDatabases.count(dst, mirror) == 26);
                assertThat(
                                TestDatabases.rows(
                                        dst,
                                        "SELECT v, count(*) FROM mirror.public__t GROUP BY v ORDER BY v"))
                        .containsExactly("after|1", "later|5", "prepared|10", "v|10");
            } finally {
                TransformITCase.cancel(job);
            }
        }
    }

    @Test
    void aRawTableRenamedToItsUniqueNameStopsTheTransformThatReadItInsteadOfBeingReadTwice(
            @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("trename");
        TableSchema x =
                new TableSchema(new TableRef("x_", "t"), T.columns(), T.keyColumns(), false);
        String legacy = RawNames.legacy(x.ref());
        String unique = RawNames.of(x.ref());
        assertThat(unique).isNotEqualTo(legacy);
        try (Connection dst = p.dst()) {
            // the raw table as an earlier version named it, with two rows
            RawTables.ensure(dst, "raw", List.of(x), List.of(), false);
            exec(
                    dst,
                    "ALTER TABLE raw.\"" + unique + "\" RENAME TO \"" + legacy + "\"",
                    "INSERT INTO raw.\""
                            + legacy
                            + "\" (id, v, _op, _lsn, _seq) VALUES (1, 'a', 'r', 1, 1), (2, 'b', 'r', 1, 1)");
            PipelineConfig cfg =
                    TransformITCase.withTransform(
                            p,
                            "[x_.t]",
                            1,
                            "{ sql-dir: '" + Files.createDirectories(tmp.resolve("sql")) + "' }");
            TableResult job = TransformRunner.submit(cfg, Mode.STREAMING, -1);
            try (LogCapture log = new LogCapture("renamed")) {
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the mirror under the old name",
                        () ->
                                TestDatabases.count(
                                                        dst,
                                                        "SELECT count(*) FROM pg_tables WHERE schemaname ="
                                                                + " 'mirror' AND tablename = '"
                                                                + legacy
                                                                + "'")
                                                == 1
                                        && TestDatabases.count(
                                                        dst,
                                                        "SELECT count(*) FROM mirror.\""
                                                                + legacy
                                                                + "\"")
                                                == 2);
                // what extract-load of this version does at its start
                RawTables.renameLegacy(dst, "raw");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the transform to stop, naming the fix",
                        () ->
                                log.text().contains("is now raw." + unique)
                                        && log.text().contains("--fresh"));
            } finally {
                TransformITCase.cancel(job);
            }
            // nothing was read again under the new name
            assertThat(
                            TestDatabases.count(
                                    dst,
                                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'mirror'"
                                            + " AND tablename = '"
                                            + unique
                                            + "'"))
                    .isZero();
            assertThat(TestDatabases.count(dst, "SELECT count(*) FROM mirror.\"" + legacy + "\""))
                    .isEqualTo(2);
        }
    }

    @Test
    void rowsLoadedBeforeLoadXidExistedAreNumberedInKeyOrderAndReadExactlyOnce(@TempDir Path tmp)
            throws Exception {
        TestDatabases p = new TestDatabases("tlegacy");
        Path sqlDir = Files.createDirectories(tmp.resolve("sql"));
        // order-sensitive and counting outputs over the raw rows: a row read twice, skipped or out
        // of key order shows
        Files.writeString(
                sqlDir.resolve("10_checks.sql"),
                String.join(
                        "\n",
                        "CREATE TABLE op_counts (op STRING, n BIGINT, PRIMARY KEY (op) NOT ENFORCED) WITH ('connector' = 'warehouse', 'table-name' = 'out.op_counts');",
                        "CREATE TABLE last_v (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'warehouse', 'table-name' = 'out.last_v');",
                        "INSERT INTO op_counts SELECT `_op`, COUNT(*) FROM `raw`.public__t GROUP BY `_op`;",
                        "INSERT INTO last_v SELECT id, LAST_VALUE(v) FROM `raw`.public__t GROUP BY id;"));
        String raw = RawTables.qualified("raw", T);
        try (Connection dst = p.dst()) {
            // a raw table as an earlier version made it: no _load_xid; 15,000 keys with 3 versions
            // each
            RawTables.ensure(dst, "raw", List.of(T), List.of(), false);
            exec(
                    dst,
                    "ALTER TABLE " + raw + " DROP COLUMN _load_xid",
                    "INSERT INTO "
                            + raw
                            + " (id, v, _op, _lsn, _seq) SELECT g % 15000, 'v' || g, CASE WHEN g <= 15000 THEN 'r' ELSE 'u' END,"
                            + " g, 1 FROM generate_series(1, 45000) g ORDER BY random()");
            // the slot-based transform of earlier versions left a publication on the raw tables:
            // numbering waits, naming it
            exec(dst, "CREATE PUBLICATION old_transform FOR TABLE " + raw);
            PipelineConfig cfg =
                    TransformITCase.withTransform(
                            p, "[public.t]", 2, "{ sql-dir: '" + sqlDir + "' }");
            TableResult job;
            try (LogCapture log = new LogCapture("legacy")) {
                job = TransformRunner.submit(cfg, Mode.STREAMING, -1);
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the publication named",
                        () ->
                                log.text().contains("is in publication 'old_transform'")
                                        && log.text()
                                                .contains("DROP PUBLICATION \"old_transform\""));
            }
            assertThat(TestDatabases.count(dst, "SELECT count(*) FROM mirror.public__t")).isZero();
            exec(dst, "DROP PUBLICATION old_transform");
            try {
                exec(
                        dst,
                        "INSERT INTO "
                                + raw
                                + " (id, v, _op, _lsn, _seq) VALUES (1, 'after the upgrade', 'u', 50000, 1)");
                String lastDirect =
                        "SELECT DISTINCT ON (id) id, v FROM "
                                + raw
                                + " ORDER BY id, _lsn DESC, _seq DESC";
                Poll.untilAsserted(
                        Duration.ofMinutes(2),
                        () -> {
                            assertThat(
                                            ShopAnalytics.rows(
                                                    dst,
                                                    "SELECT op, n FROM out.op_counts ORDER BY 1"))
                                    .containsExactly("r|15000", "u|30001");
                            assertThat(
                                            ShopAnalytics.rows(
                                                    dst,
                                                    "SELECT id, v FROM out.last_v ORDER BY id"))
                                    .isEqualTo(TestDatabases.rows(dst, lastDirect));
                            assertThat(
                                            TestDatabases.rows(
                                                    dst,
                                                    "SELECT id, v FROM mirror.public__t ORDER BY id"))
                                    .isEqualTo(TestDatabases.rows(dst, lastDirect));
                        });
                // numbered below every transaction id, in batches of 20,000 by (_lsn, _seq)
                assertThat(
                                TestDatabases.count(
                                        dst,
                                        "SELECT count(DISTINCT _load_xid) FROM "
                                                + raw
                                                + " WHERE _load_xid < 0"))
                        .isEqualTo(3);
                assertThat(
                                TestDatabases.count(
                                        dst,
                                        "SELECT count(*) FROM (SELECT _load_xid, lag(_load_xid) OVER (ORDER BY _lsn, _seq) AS prev FROM "
                                                + raw
                                                + " WHERE _load_xid < 0) x WHERE _load_xid < prev"))
                        .isZero();
            } finally {
                TransformITCase.cancel(job);
            }
        }
    }

    @Test
    void aMirrorRowTheWarehouseRefusesIsReportedWithoutValuesOrPasswordAndLandsOnceTheCauseIsGone(
            @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("trefuse");
        Path sqlDir = Files.createDirectories(tmp.resolve("sql"));
        String password = "pw-3c9a-do-not-log";
        String secret = "value-5d2e-do-not-log";
        String raw = RawTables.qualified("raw", T);
        try (Connection dst = p.dst();
                LogCapture log = new LogCapture("refuse")) {
            RawTables.ensure(dst, "raw", List.of(T), List.of(), false);
            exec(
                    dst,
                    "INSERT INTO " + raw + " (id, v, _op, _lsn, _seq) VALUES (1, 'ok', 'r', 1, 1)");
            PipelineConfig cfg =
                    PipelineConfig.parse(
                            p.yaml("[public.t]", 1)
                                            .replaceFirst(
                                                    "(target:\n  url: .*\n  username: postgres)",
                                                    "$1\n  password: " + password)
                                    + "\ntransform: { sql-dir: '"
                                    + sqlDir
                                    + "' }",
                            Map.of());
            TableResult job = TransformRunner.submit(cfg, Mode.STREAMING, -1);
            try {
                String mirror = "SELECT count(*) FROM mirror.public__t";
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the first row",
                        () -> TestDatabases.count(dst, mirror) == 1);
                // a constraint someone added to the mirror refuses the next row: the job fails and
                // restarts, saying why
                exec(
                        dst,
                        "ALTER TABLE mirror.public__t ADD CONSTRAINT no_secrets CHECK (v NOT LIKE 'value-%')",
                        "INSERT INTO "
                                + raw
                                + " (id, v, _op, _lsn, _seq) VALUES (2, '"
                                + secret
                                + "', 'c', 2, 1)");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the refusal logged",
                        () ->
                                log.text().contains("writing mirror rows failed: SQLSTATE 23514")
                                        && log.text().contains("constraint no_secrets"));
                exec(dst, "ALTER TABLE mirror.public__t DROP CONSTRAINT no_secrets");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the row once the constraint is gone",
                        () -> TestDatabases.count(dst, mirror) == 2);
                TransformITCase.assertRunning(job);
                assertThat(log.text())
                        .as("no row value in the log")
                        .doesNotContain(secret)
                        .as("nor the password")
                        .doesNotContain(password);
                assertThat(Files.readString(sqlDir.resolve("compiled-plan.json")))
                        .as("no password in the compiled plan")
                        .doesNotContain(password);
            } finally {
                TransformITCase.cancel(job);
            }
        }
    }
}
