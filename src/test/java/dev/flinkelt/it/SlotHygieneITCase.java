package dev.flinkelt.it;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extractload.ExtractLoadLauncher;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The replication slot: it advances while captured tables are idle, its lag is a metric, and
 * pipelines cannot share it.
 */
class SlotHygieneITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    /**
     * The lag subtask 0 of the keyed stage reports (the tests run at parallelism 1); -1 while not
     * reported yet.
     */
    static long slotLagMetric(RunningJob job) throws Exception {
        return job.metricSum("Row state", "slotLagBytes");
    }

    static String lag(String slot) {
        return "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = '"
                + slot
                + "'";
    }

    @Test
    void slotAdvancesWhileCapturedTablesAreIdleAndItsLagIsReportedAsAMetric(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("idle");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.captured (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.captured VALUES (1, 'a'), (2, 'b')",
                    "CREATE TABLE public.busy (id int, pad text)");
            PipelineConfig cfg =
                    PipelineConfig.parse(
                            p.yaml("[public.captured]", 1) + "\n  heartbeat-interval: 1s",
                            Map.of());
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                job.awaitRawRows(dst, "public__captured", 2); // the snapshot
                // WAL from a table the pipeline does not capture: nothing reaches the job, the slot
                // must still move
                exec(
                        src,
                        "INSERT INTO public.busy SELECT g, repeat('x', 200) FROM generate_series(1, 100000) g");
                long behind = count(src, lag(p.name));
                assertThat(behind)
                        .as("WAL the slot holds after the writes")
                        .isGreaterThan(10_000_000);
                long start = System.nanoTime();
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "the slot to advance past the idle writes",
                        () -> {
                            job.assertRunning();
                            return count(src, lag(p.name)) < 1_000_000;
                        });
                System.out.printf(
                        "slot advanced over %,d bytes of WAL from uncaptured tables in %.1f s%n",
                        behind, (System.nanoTime() - start) / 1e9);
                Poll.untilAsserted(
                        Duration.ofSeconds(30),
                        () -> {
                            long metric = slotLagMetric(job);
                            assertThat(metric).as("slotLagBytes").isBetween(0L, 1_000_000L);
                        });
                assertThat(rows(dst, "SELECT count(*) FROM raw.public__captured"))
                        .containsExactly("2");
            }
        }
    }

    @Test
    void twoPipelinesOnOneSourceNeitherTakeEachOthersSlotNorPublication(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("pair");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.t1 (id int PRIMARY KEY, v text)",
                    "CREATE TABLE public.t2 (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.t1 SELECT g, 'one' FROM generate_series(1, 100) g",
                    "INSERT INTO public.t2 SELECT g, 'two' FROM generate_series(1, 50) g");
            String yaml = p.yaml("[public.t1]", 1);
            PipelineConfig a = PipelineConfig.parse(yaml, Map.of());
            String bYaml =
                    p.yaml("[public.t2]", 1)
                            .replace("  slot: " + p.name + "\n", "  slot: " + p.name + "_b\n")
                            .replace(
                                    "  publication: " + p.name + "\n",
                                    "  publication: " + p.name + "_b\n")
                            .replace(
                                    "  username: postgres\npipeline:",
                                    "  username: postgres\n  raw-schema: raw_b\npipeline:")
                            .replace("flink-elt-it/" + p.name, "flink-elt-it/" + p.name + "_b");
            PipelineConfig b = PipelineConfig.parse(bYaml, Map.of());
            PipelineConfig takesPublication =
                    PipelineConfig.parse(
                            bYaml.replace(
                                            "  publication: " + p.name + "_b\n",
                                            "  publication: " + p.name + "\n")
                                    .replace(
                                            "  slot: " + p.name + "_b\n",
                                            "  slot: " + p.name + "_c\n"),
                            Map.of());
            PipelineConfig takesSlot =
                    PipelineConfig.parse(
                            bYaml.replace("  slot: " + p.name + "_b\n", "  slot: " + p.name + "\n"),
                            Map.of());
            assertThat(b.slot).isNotEqualTo(a.slot);
            assertThat(b.rawSchema).isEqualTo("raw_b");
            try (RunningJob jobA = RunningJob.start(a, cluster);
                    RunningJob jobB = RunningJob.start(b, cluster)) {
                // both run side by side on one source, each on its own slot and publication
                exec(
                        src,
                        "UPDATE public.t1 SET v = 'changed' WHERE id <= 10",
                        "DELETE FROM public.t2 WHERE id > 40");
                Poll.untilAsserted(
                        Duration.ofMinutes(2),
                        () -> {
                            jobA.assertRunning();
                            jobB.assertRunning();
                            assertThat(SnapshotThenStreamITCase.verify(a).ok()).isTrue();
                            assertThat(SnapshotThenStreamITCase.verify(b).ok()).isTrue();
                        });
                assertThatThrownBy(() -> ExtractLoadLauncher.prepare(takesPublication))
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining(
                                "publication '"
                                        + p.name
                                        + "' belongs to another flink-elt pipeline")
                        .hasMessageContaining("slot " + p.name);
                // A's tables, not narrowed or widened by B
                assertThat(
                                rows(
                                        src,
                                        "SELECT tablename FROM pg_publication_tables WHERE pubname = '"
                                                + p.name
                                                + "'"))
                        .containsExactlyInAnyOrder("t1");
            }
            // pipeline A stopped: its slot is free, but it is still A's
            assertThatThrownBy(() -> ExtractLoadLauncher.prepare(takesSlot))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(
                            "replication slot '"
                                    + p.name
                                    + "' belongs to another flink-elt pipeline")
                    .hasMessageContaining("publication '" + p.name + "'");
        }
    }
}
