package dev.flinkelt.it;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.ColumnSpec;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.raw.RawNames;
import dev.flinkelt.raw.RawTables;
import dev.flinkelt.support.FlinkCluster;
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
import java.util.List;
import java.util.function.UnaryOperator;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Raw table names: tables whose {@code <schema>__<table>} names meet, or pass PostgreSQL's 63
 * bytes, each load into a raw table of their own, through a restart; a raw table an earlier version
 * named the old way is taken over.
 */
class RawNamesITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final String LONG = "o".repeat(58);
    static final List<TableRef> TABLES =
            List.of(
                    new TableRef("a__b", "c"),
                    new TableRef("a", "b__c"),
                    new TableRef("sales", LONG + "_1"),
                    new TableRef("sales", LONG + "_2"),
                    new TableRef("x_", "t"));

    @Test
    void collidingAndLongNamesLoadApartAndALegacyNamedRawTableIsTakenOver(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("rawnames");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE SCHEMA a__b",
                    "CREATE SCHEMA a",
                    "CREATE SCHEMA sales",
                    "CREATE SCHEMA x_");
            for (TableRef t : TABLES) {
                exec(
                        src,
                        "CREATE TABLE " + t.quoted() + " (id int PRIMARY KEY, v text)",
                        "INSERT INTO " + t.quoted() + " VALUES (1, 'a'), (2, 'b')");
            }
            assertThat(TABLES.stream().map(RawNames::of).distinct()).hasSize(TABLES.size());
            PipelineConfig cfg =
                    p.config(
                            "[a__b.c, a.b__c, sales." + LONG + "_1, sales." + LONG + "_2, x_.t]",
                            1);
            String savepoint;
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                for (TableRef t : TABLES) {
                    job.awaitRawRows(dst, RawNames.of(t), 2);
                }
                job.awaitCheckpoints(1);
                savepoint = job.stopWithSavepoint(tmp.resolve("savepoint"));
            }
            // as an earlier version named it: <schema>__<table>
            String legacy = RawNames.legacy(new TableRef("x_", "t"));
            exec(
                    dst,
                    "ALTER TABLE raw.\""
                            + RawNames.of(new TableRef("x_", "t"))
                            + "\" RENAME TO \""
                            + legacy
                            + "\"");

            // a raw table of a source table no longer captured, named the old way: renamed as well
            TableSchema gone =
                    new TableSchema(
                            new TableRef("y_", "gone"),
                            List.of(new ColumnSpec("id", "int")),
                            List.of("id"),
                            false);
            RawTables.ensure(dst, "raw", List.of(gone), List.of(), false);
            exec(
                    dst,
                    "ALTER TABLE raw.\""
                            + RawNames.of(gone.ref())
                            + "\" RENAME TO \""
                            + RawNames.legacy(gone.ref())
                            + "\"");

            for (TableRef t : TABLES) {
                exec(src, "INSERT INTO " + t.quoted() + " VALUES (3, 'c')");
            }
            // a transaction left prepared on the old-named table holds its lock: the start names
            // the
            // fix instead of waiting for a commit only the job could make
            try (Connection other = p.dst()) {
                exec(
                        other,
                        "BEGIN",
                        "LOCK TABLE raw.\"" + legacy + "\" IN ROW EXCLUSIVE MODE",
                        "PREPARE TRANSACTION 'rawnames-held'");
            }
            assertThatThrownBy(
                            () ->
                                    RunningJob.start(
                                            cfg, cluster, UnaryOperator.identity(), savepoint))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("raw table raw." + legacy + " must be renamed")
                    .hasMessageContaining("pg_prepared_xacts");
            exec(dst, "ROLLBACK PREPARED 'rawnames-held'");
            // the second start: names over 63 bytes used to be looked up by their uncut form here
            try (RunningJob job =
                    RunningJob.start(cfg, cluster, UnaryOperator.identity(), savepoint)) {
                for (TableRef t : TABLES) {
                    job.awaitRawRows(dst, RawNames.of(t), 3);
                }
                job.awaitCheckpoints(1);
            }
            for (TableRef t : TABLES) {
                assertThat(
                                rows(
                                        dst,
                                        "SELECT id || ':' || v FROM raw.\""
                                                + RawNames.of(t)
                                                + "\" ORDER BY id"))
                        .as("raw rows of %s", t)
                        .containsExactly("1:a", "2:b", "3:c");
            }
            assertThat(
                            count(
                                    dst,
                                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'raw' AND tablename = '"
                                            + legacy
                                            + "'"))
                    .isZero();
            assertThat(
                            count(
                                    dst,
                                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'raw' AND tablename NOT IN ('_rejected', '_paused', '_column_types', '_sink_transactions')"))
                    .isEqualTo(TABLES.size() + 1);
            assertThat(rows(dst, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'y%'"))
                    .containsExactly(RawNames.of(gone.ref()));
        } finally {
            p.rollBackPreparedTransactions();
        }
    }
}
