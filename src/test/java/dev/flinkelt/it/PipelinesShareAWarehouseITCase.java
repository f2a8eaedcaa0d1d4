package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.load.sink.TransactionName;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Poll;
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
import java.time.Duration;
import java.util.Map;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two pipelines load the same source tables into one warehouse database, each into its own raw
 * schema. A fresh start of one rolls back its own crashed run's prepared transactions and leaves
 * the other's alone (the connector's XA sink told them apart by table only, so same-named tables
 * collided).
 */
class PipelinesShareAWarehouseITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    @Test
    void aFreshStartRollsBackOnlyItsOwnPipelinesPreparedTransactions(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("share");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.orders (id int PRIMARY KEY, note text)",
                    "INSERT INTO public.orders SELECT g, 'order ' || g FROM generate_series(1, 1000) g");
            PipelineConfig a = p.config("[public.orders]", 2);
            String yamlB =
                    p.yaml("[public.orders]", 2)
                            .replace("slot: " + p.name, "slot: " + p.name + "_b")
                            .replace("publication: " + p.name, "publication: " + p.name + "_b")
                            .replace(
                                    "  username: postgres\npipeline:",
                                    "  username: postgres\n  raw-schema: raw_b\npipeline:");
            PipelineConfig b = PipelineConfig.parse(yamlB, Map.of());
            assertThat(b.rawSchema).isEqualTo("raw_b");

            try (RunningJob jobB = RunningJob.start(b, cluster)) {
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "B's snapshot",
                        () -> {
                            jobB.assertRunning();
                            return count(dst, "SELECT count(*) FROM raw_b.public__orders") == 1000;
                        });
                // B is running; its in-flight prepared transaction, and one a crashed run of A left
                // behind
                exec(dst, "CREATE TABLE public.scratch (v text)");
                String ofB =
                        prepare(
                                p,
                                new TransactionName(
                                                TransactionName.pipelineOf(b),
                                                0,
                                                1_000_000,
                                                "planted1")
                                        .gid());
                String ofA =
                        prepare(
                                p,
                                new TransactionName(TransactionName.pipelineOf(a), 0, 7, "planted2")
                                        .gid());
                String foreign = prepare(p, "planted3-not-flink-elt");
                String planted =
                        "SELECT gid FROM pg_prepared_xacts WHERE database = current_database() AND gid LIKE '%planted%'";
                try (RunningJob jobA =
                        RunningJob.start(
                                a, cluster)) { // a fresh start of A, same source tables, raw schema
                    // "raw"
                    jobA.awaitRawRows(dst, "public__orders", 1000);
                    jobA.awaitCheckpoints(2);
                    assertThat(rows(dst, planted))
                            .as("A's stray rolled back; B's and a foreign one kept")
                            .containsExactlyInAnyOrder(ofB, foreign);
                    jobA.stopWithSavepoint(tmp.resolve("a"));
                }
                jobB.awaitCheckpoints(2);
                jobB.stopWithSavepoint(tmp.resolve("b"));
                assertThat(rows(dst, planted)).containsExactlyInAnyOrder(ofB, foreign);
                assertThat(ofA).startsWith("flink-elt:" + p.name + ":");
                assertThat(ofB).startsWith("flink-elt:" + p.name + "_b:");
            }
        } finally {
            p.rollBackPreparedTransactions();
        }
    }

    private static String prepare(TestDatabases p, String gid) throws Exception {
        try (Connection c = p.dst()) {
            exec(
                    c,
                    "BEGIN",
                    "INSERT INTO public.scratch VALUES ('" + gid + "')",
                    "PREPARE TRANSACTION '" + gid + "'");
        }
        return gid;
    }
}
