package dev.flinkelt.it;

import dev.flinkelt.cli.ResnapshotCommand;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.LogCapture;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table whose change cannot be loaded (a new column of a type the warehouse does not have) stops
 * only itself: it is paused (one warning without values, named by verify), the other table goes on,
 * the job never restarts; once the warehouse has the type, {@code resnapshot --table} resumes it
 * and verify passes again, changes made while it was paused included.
 */
class PausedTableITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final String SECRET = "paused-secret-value";

    @Test
    void aTableThatCannotBeLoadedPausesAloneAndResumesExactlyWithAResnapshot(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("paused");
        try (Connection src = p.src();
                Connection dst = p.dst();
                LogCapture log = new LogCapture("paused")) {
            exec(
                    src,
                    "CREATE EXTENSION IF NOT EXISTS citext",
                    "CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                    "CREATE TABLE public.other (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.items SELECT g, 'v' || g FROM generate_series(1, 20) g",
                    "INSERT INTO public.other SELECT g, 'v' || g FROM generate_series(1, 20) g");
            PipelineConfig cfg = p.config("[public.items, public.other]", 2);
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                job.awaitRawRows(dst, "public__items", 20);
                job.awaitRawRows(dst, "public__other", 20);
                // the warehouse has no citext: the first row with the new column cannot be loaded
                exec(
                        src,
                        "ALTER TABLE public.items ADD COLUMN c citext",
                        "UPDATE public.items SET c = '" + SECRET + "' WHERE id <= 5",
                        "DELETE FROM public.items WHERE id = 6",
                        "INSERT INTO public.other SELECT g, 'v' || g FROM generate_series(21, 40) g");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "public.items paused, public.other loaded",
                        () -> {
                            job.assertRunning();
                            return pausedNow(dst, "public.items")
                                    && count(dst, "SELECT count(*) FROM raw.public__other") == 40;
                        });
                exec(src, "UPDATE public.items SET v = 'while paused' WHERE id = 7");
                SnapshotThenStreamITCase.Verified paused = SnapshotThenStreamITCase.verify(cfg);
                assertThat(paused.ok()).isFalse();
                assertThat(paused.output())
                        .contains("PAUSED public.items")
                        .contains("citext")
                        .contains("resnapshot --table 'public.items'");
                assertThat(rows(dst, "SELECT reason FROM raw._paused"))
                        .singleElement()
                        .asString()
                        .contains("\"public\".\"citext\"")
                        .contains("CREATE EXTENSION");

                // fixed: the warehouse gets the extension, a resnapshot resumes the table
                exec(dst, "CREATE EXTENSION citext");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ResnapshotCommand.request(
                        cfg,
                        TableRef.parse("public.items"),
                        new PrintStream(out, true, StandardCharsets.UTF_8));
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("was paused; it resumes");
                exec(src, "UPDATE public.items SET v = 'after' WHERE id = 8");
                SnapshotThenStreamITCase.awaitVerified(cfg, job);
                assertThat(count(dst, "SELECT count(*) FROM raw.public__items WHERE _op = 't'"))
                        .as(
                                "the rows from before the resumption end with a t row: %s",
                                rows(
                                        dst,
                                        "SELECT id || ' ' || _op || ' ' || _lsn || ' ' || _seq FROM raw.public__items"
                                                + " ORDER BY _lsn, _seq"))
                        .isEqualTo(1);
                job.assertNeverFailed();
            }
            String text = log.text();
            assertThat(text).doesNotContain(SECRET);
            assertThat(text.lines().filter(l -> l.contains("table public.items is paused")))
                    .as("one warning per keyed subtask that met the change at most")
                    .hasSizeBetween(1, 2);
        }
    }

    /**
     * A table whose snapshot cannot be read (held under an exclusive lock longer than the reader's
     * lock timeout) pauses alone: the windows before and after it load, the job never restarts, and
     * a resnapshot once the lock is gone resumes it exactly. Its read may fall in a window read
     * while the last window's rows go out: the pause is recorded after they went out. With two
     * snapshot readers the lock stops the split of the locked table's keys into ranges instead.
     */
    @ParameterizedTest(name = "snapshot-readers: {0}")
    @ValueSource(ints = {1, 2})
    void aTableWhoseSnapshotCannotBeReadPausesAloneWhileTheOthersLoad(
            int readers, @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("unreadable" + readers);
        try (Connection src = p.src();
                Connection holder = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.big (id int PRIMARY KEY, v text)",
                    "CREATE TABLE public.locked (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.big SELECT g, 'v' || g FROM generate_series(1, 9000) g",
                    "INSERT INTO public.locked SELECT g, 'v' || g FROM generate_series(1, 20) g");
            PipelineConfig cfg =
                    PipelineConfig.parse(
                            p.yaml("[public.big, public.locked]", 2)
                                    + "\n  snapshot-readers: "
                                    + readers,
                            Map.of());
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                job.awaitRawRows(dst, "public__big", 9000);
                job.awaitRawRows(dst, "public__locked", 20);
                holder.setAutoCommit(false);
                exec(holder, "LOCK TABLE public.locked IN ACCESS EXCLUSIVE MODE");
                // big's three windows (chunks of 4,000), locked's rows in the last
                ResnapshotCommand.request(cfg, TableRef.parse("public.big"), System.out);
                ResnapshotCommand.request(cfg, TableRef.parse("public.locked"), System.out);
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "public.locked paused, public.big read again",
                        () -> {
                            job.assertRunning();
                            return pausedNow(dst, "public.locked")
                                    && count(
                                                    dst,
                                                    "SELECT count(*) FROM raw.public__big WHERE _op = 'r'")
                                            == 18000;
                        });
                assertThat(rows(dst, "SELECT reason FROM raw._paused"))
                        .singleElement()
                        .asString()
                        .contains("55P03");
                assertThat(
                                count(
                                        dst,
                                        "SELECT since_lsn FROM raw._paused WHERE source_table = 'public.locked'"))
                        .as(
                                "paused at the stream's position, not the re-snapshot's floor 0 (a"
                                        + " resumption above it would keep the table resumed)")
                        .isPositive();

                holder.rollback();
                exec(src, "INSERT INTO public.locked VALUES (21, 'after the lock')");
                ResnapshotCommand.request(cfg, TableRef.parse("public.locked"), System.out);
                SnapshotThenStreamITCase.awaitVerified(cfg, job);
                job.assertNeverFailed();
            }
        }
    }

    private static boolean pausedNow(Connection dst, String table) throws Exception {
        return count(
                        dst,
                        "SELECT count(*) FROM raw._paused WHERE source_table = '"
                                + table
                                + "' AND resumed_at_lsn IS NULL")
                == 1;
    }
}
