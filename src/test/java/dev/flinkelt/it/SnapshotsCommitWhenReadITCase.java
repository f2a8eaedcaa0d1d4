package dev.flinkelt.it;

import dev.flinkelt.cli.ResnapshotCommand;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
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
import static dev.flinkelt.support.TestDatabases.rawRows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot's rows commit as soon as it is read, not at the next periodic checkpoint: with a
 * checkpoint interval of a day, the first snapshot and a re-snapshot asked for while streaming land
 * in raw within a minute each, exactly.
 */
class SnapshotsCommitWhenReadITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    @Test
    void aCheckpointFollowsEverySnapshotRead(@InjectClusterClient ClusterClient<?> cluster)
            throws Exception {
        TestDatabases p = new TestDatabases("snapread");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.big (id int PRIMARY KEY, v text)",
                    "CREATE TABLE public.small (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.big SELECT g, 'v' || g FROM generate_series(1, 9000) g",
                    "INSERT INTO public.small VALUES (1, 'a'), (2, 'b')");
            // a day: no periodic checkpoint comes during the test (Flink's first one waits a
            // random part of the interval; 2 minutes of a day is a chance of 1 in 700)
            PipelineConfig cfg =
                    PipelineConfig.parse(
                            p.yaml("['public.big', 'public.small']", 2)
                                    .replace("checkpoint-interval: 1s", "checkpoint-interval: 24h"),
                            Map.of());
            assertThat(cfg.checkpointInterval).isEqualTo(Duration.ofHours(24));
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the first snapshot committed",
                        () -> {
                            job.assertRunning();
                            return rawRows(dst, "public__big") == 9000
                                    && rawRows(dst, "public__small") == 2;
                        });
                Poll.until(
                        Duration.ofSeconds(30),
                        () -> "the triggered checkpoint in the REST API",
                        () -> job.completedCheckpoints() >= 1);
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(DISTINCT id) FROM raw.public__big WHERE _op = 'r'"
                                                + " AND v = 'v' || id"))
                        .isEqualTo(9000);

                // a re-snapshot asked for while streaming: read, and committed at once too
                long before = job.completedCheckpoints();
                ResnapshotCommand.request(cfg, TableRef.parse("public.small"), System.out);
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the re-snapshot committed",
                        () -> {
                            job.assertRunning();
                            return count(
                                            dst,
                                            "SELECT count(*) FROM raw.public__small WHERE _op = 'r'")
                                    == 4;
                        });
                // the REST API's counts lag a few seconds behind
                Poll.until(
                        Duration.ofSeconds(30),
                        () -> "a checkpoint more in the REST API",
                        () -> job.completedCheckpoints() > before);
            }
        }
    }
}
