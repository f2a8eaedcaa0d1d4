package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.runtime.RetainedCheckpoints;
import dev.flinkelt.support.Accounts;
import dev.flinkelt.support.ChangeWriter;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.TestDatabases;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.flinkelt.it.ExtractLoadCliITCase.jar;
import static dev.flinkelt.it.ExtractLoadCliITCase.read;
import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.rawRows;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole local process (JobManager and TaskManager in one JVM) killed with SIGKILL while changes
 * stream, at a moment when the warehouse holds prepared-but-uncommitted sink transactions; then the
 * same commands started again resume from the latest retained checkpoints. Ledger exact, transform
 * aggregates exact, nothing prepared left.
 */
class ProcessKillITCase {
    static final int ROWS = 20_000;

    static void signal(String signal, Process process) throws Exception {
        Process kill =
                new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                        .inheritIO()
                        .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
                .as("kill -%s", signal)
                .isTrue();
    }

    static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void sigkillBetweenPrepareAndCommitThenTheSameCommandsResumeExactlyOnce(@TempDir Path tmp)
            throws Exception {
        TestDatabases p = new TestDatabases("kill");
        Path sqlDir = Files.createDirectories(tmp.resolve("sql"));
        // an aggregate over the raw rows: a transform that recounted after the kill would show too
        // many changes
        Files.writeString(
                sqlDir.resolve("10_changes.sql"),
                String.join(
                        "\n",
                        "CREATE TABLE changes_per_account (id BIGINT, changes BIGINT, PRIMARY KEY (id) NOT ENFORCED)",
                        "  WITH ('connector' = 'warehouse', 'table-name' = 'analytics.changes_per_account');",
                        "INSERT INTO changes_per_account SELECT id, COUNT(*) FROM `raw`.public__accounts GROUP BY id;"));
        Path cfg = tmp.resolve("pipeline.yaml");
        Files.writeString(
                cfg,
                p.yaml(Accounts.TABLES, 2)
                        + "\ntransform: { sql-dir: '"
                        + sqlDir
                        + "', checkpoint-interval: 1s }\n");
        PipelineConfig config = PipelineConfig.load(cfg);
        String expectedCounts =
                "SELECT id, count(*) FROM raw.public__accounts GROUP BY id ORDER BY id";
        String actualCounts = "SELECT id, changes FROM analytics.changes_per_account ORDER BY id";
        try (Connection src = p.src();
                Connection writerConn = p.src();
                Connection dst = p.dst()) {
            Ledger ledger = Accounts.create(src, ROWS);
            String[] extractLoad = {
                "extract-load", "--config", cfg.toString(), "--web-ui-port", "0"
            };
            String[] transform = {"transform", "--config", cfg.toString(), "--web-ui-port", "0"};

            Path el1 = tmp.resolve("extract-load-1.log");
            Path tr1 = tmp.resolve("transform-1.log");
            Process elJob = jar(el1, extractLoad);
            Process trJob = null;
            ChangeWriter writer = new ChangeWriter(writerConn, ledger, Accounts.TABLE, ROWS);
            long dangling;
            List<String> atKill;
            try {
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "snapshot; log:\n" + read(el1),
                        () -> {
                            assertThat(elJob.isAlive())
                                    .as("extract-load running; log:\n%s", read(el1))
                                    .isTrue();
                            return rawRows(dst, Accounts.RAW) >= ROWS;
                        });
                Process tr = jar(tr1, transform);
                trJob = tr;
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "transform caught up; log:\n" + read(tr1),
                        () -> {
                            assertThat(tr.isAlive())
                                    .as("transform running; log:\n%s", read(tr1))
                                    .isTrue();
                            return count(
                                                    dst,
                                                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'analytics'")
                                            == 1
                                    && count(
                                                    dst,
                                                    "SELECT count(*) FROM analytics.changes_per_account")
                                            == ROWS;
                        });
                // both jobs have a retained checkpoint to resume from
                for (String job : List.of(JobEnvironment.EXTRACT_LOAD, JobEnvironment.TRANSFORM)) {
                    Poll.until(
                            Duration.ofMinutes(1),
                            () -> "a completed checkpoint of " + job,
                            () ->
                                    RetainedCheckpoints.latest(
                                                    JobEnvironment.checkpointDir(config, job))
                                            .isPresent());
                }
                writer.start();
                // kill at a moment when the sinks have prepared transactions that are not committed
                // yet: freeze the
                // process (SIGSTOP), look, and kill it if there are some, else let it go on and
                // look again shortly
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                int looks = 0;
                while (true) {
                    assertThat(System.nanoTime())
                            .as("caught prepared transactions within 2 minutes")
                            .isLessThan(deadline);
                    assertThat(elJob.isAlive())
                            .as("extract-load running; log:\n%s", read(el1))
                            .isTrue();
                    signal("STOP", elJob);
                    looks++;
                    if (p.preparedTransactions() > 0) {
                        break;
                    }
                    signal("CONT", elJob);
                    Thread.sleep(
                            37); // the next look lands at another phase of the 1 s checkpoint cycle
                }
                System.out.println("prepared transactions caught after " + looks + " looks");
                elJob.destroyForcibly(); // SIGKILL: JobManager and TaskManager go at once
                tr.destroyForcibly();
                assertThat(elJob.waitFor(1, TimeUnit.MINUTES) && tr.waitFor(1, TimeUnit.MINUTES))
                        .isTrue();
                dangling = p.preparedTransactions();
                atKill =
                        rows(
                                dst,
                                "SELECT gid || ' ' || prepared FROM pg_prepared_xacts WHERE database = current_database()");
            } finally {
                elJob.destroyForcibly();
                if (trJob != null) {
                    trJob.destroyForcibly();
                }
            }
            // the writer keeps changing the source while nothing runs
            Poll.until(
                    Duration.ofSeconds(30),
                    () -> "changes while the pipeline is down",
                    () -> writer.changes() > 2_000);

            Path el2 = tmp.resolve("extract-load-2.log");
            Path tr2 = tmp.resolve("transform-2.log");
            long restarted = System.nanoTime();
            Process elAgain = jar(el2, extractLoad);
            Process trAgain = jar(tr2, transform);
            try {
                long total = ROWS + writer.finish();
                Poll.until(
                        Duration.ofMinutes(3),
                        () -> total + " raw rows after the restart; log:\n" + read(el2),
                        () -> {
                            assertThat(elAgain.isAlive())
                                    .as("extract-load running; log:\n%s", read(el2))
                                    .isTrue();
                            return rawRows(dst, Accounts.RAW) >= total;
                        });
                double caughtUp = (System.nanoTime() - restarted) / 1e9;
                ledger.assertRawMatches(dst);
                Poll.untilAsserted(
                        Duration.ofMinutes(3),
                        () -> {
                            assertThat(trAgain.isAlive())
                                    .as("transform running; log:\n%s", read(tr2))
                                    .isTrue();
                            assertThat(rows(dst, actualCounts))
                                    .isEqualTo(rows(dst, expectedCounts));
                        });
                Poll.until(
                        Duration.ofSeconds(30),
                        () -> "no prepared transactions left",
                        () -> p.preparedTransactions() == 0);
                assertThat(read(el2)).contains("resuming from the latest retained checkpoint");
                assertThat(read(tr2)).contains("resuming from the latest retained checkpoint");
                System.out.printf(
                        "SIGKILL with %d prepared transaction(s) on the warehouse %s; %d raw rows exact %.1f s after the restart%n",
                        dangling, atKill, total, caughtUp);
                assertThat(dangling)
                        .as("prepared transactions left by the killed process")
                        .isPositive();
                ledger.assertRawMatches(dst);
            } finally {
                elAgain.destroyForcibly();
                trAgain.destroyForcibly();
                elAgain.waitFor(1, TimeUnit.MINUTES);
                trAgain.waitFor(1, TimeUnit.MINUTES);
                p.rollBackPreparedTransactions();
            }

            // without its checkpoints, a start from scratch into raw tables that hold rows is
            // refused, not silently doubled
            Path refused = tmp.resolve("refused.log");
            deleteTree(Path.of(URI.create(config.checkpointDir)));
            Process again = jar(refused, extractLoad);
            assertThat(again.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(again.exitValue()).as(read(refused)).isEqualTo(2);
            assertThat(read(refused))
                    .contains("already holds rows")
                    .contains("--from-savepoint")
                    .contains("--fresh");
        }
    }
}
