package dev.flinkelt.it;

import dev.flinkelt.cli.ResnapshotCommand;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.support.DeclineCheckpointOnce;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.JsonLedger;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changes to the set of tables and whole-table events while the pipeline streams (parallelism 2):
 * tables created later, a re-snapshot of one table on request (exactly once across a failure),
 * TRUNCATE, a dropped table, and a table added to source.tables across a savepoint. The other
 * tables keep loading throughout.
 */
class TableChangesITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static PipelineConfig config(TestDatabases p, String tables, int chunk) {
        return PipelineConfig.parse(
                p.yaml(tables, 2)
                        .replace("snapshot-chunk-size: 4000", "snapshot-chunk-size: " + chunk),
                Map.of());
    }

    /** No key has two snapshot rows of one generation, and no change is in raw twice. */
    static void assertNothingTwice(Connection dst, String raw) throws Exception {
        assertThat(
                        rows(
                                dst,
                                "SELECT id FROM raw."
                                        + raw
                                        + " WHERE _op = 'r' GROUP BY id, _tx_id HAVING count(*) > 1"))
                .as("keys with two snapshot rows of one generation in %s", raw)
                .isEmpty();
        assertThat(
                        rows(
                                dst,
                                "SELECT id FROM raw."
                                        + raw
                                        + " WHERE _op <> 'r' GROUP BY id, _op, _lsn HAVING count(*) > 1"))
                .as("changes in %s twice", raw)
                .isEmpty();
    }

    @Test
    void tablesCreatedLaterAreCapturedWithEveryRowWhileTheOthersStreamAndADroppedOneIsRecorded(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("newtab");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.items SELECT g, 'v' || g FROM generate_series(1, 100) g");
            PipelineConfig cfg = config(p, "['public.*']", 1000);
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                job.awaitRawRows(dst, "public__items", 100);

                // created and filled in one transaction, after the start: every row arrives, as
                // rows of its own snapshot
                long created = System.nanoTime();
                exec(
                        src,
                        "BEGIN",
                        "CREATE TABLE public.\"Late Comer\" (id int PRIMARY KEY, v text)",
                        "CREATE TABLE public.late (id int PRIMARY KEY, v text, n numeric)",
                        "INSERT INTO public.late SELECT g, 'late ' || g, g / 3.0 FROM generate_series(1, 500) g",
                        "COMMIT");
                job.awaitRawRows(dst, "public__late", 500);
                System.out.printf(
                        "MEASURED a table created and filled after the start: its 500 rows in raw %.1f s after its CREATE%n",
                        (System.nanoTime() - created) / 1e9);
                JsonLedger late = new JsonLedger("public.late", "id");
                late.expectSnapshot(src);
                exec(
                        src,
                        "UPDATE public.late SET v = 'changed' WHERE id <= 50",
                        "DELETE FROM public.late WHERE id > 490",
                        "INSERT INTO public.late SELECT g, 'new', NULL FROM generate_series(501, 520) g");
                late.expect(src, "u", "id <= 50");
                late.expectDeletes("491, 492, 493, 494, 495, 496, 497, 498, 499, 500");
                late.expect(src, "c", "id > 500");
                exec(src, "UPDATE public.items SET v = 'meanwhile' WHERE id <= 10");
                job.awaitRawRows(dst, "public__late", 500 + 50 + 10 + 20);
                job.awaitRawRows(dst, "public__items", 110);
                late.assertRawMatches(dst);
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(DISTINCT _tx_id) FROM raw.public__late WHERE _op = 'r' AND _tx_id IS NOT NULL"))
                        .as("the snapshot rows carry their generation")
                        .isEqualTo(1);
                assertThat(
                                rows(
                                        src,
                                        "SELECT tablename FROM pg_publication_tables WHERE pubname = '"
                                                + p.name
                                                + "' ORDER BY 1"))
                        .contains("late", "items");
                assertThat(
                                count(
                                        src,
                                        "SELECT count(*) FROM pg_tables WHERE tablename = 'flink_elt_signal'"))
                        .as(
                                "signals are messages: nothing of the pipeline's is written into the source")
                        .isZero();
                // a name with a space is captured like any other
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the raw table of \"Late Comer\"",
                        () ->
                                count(
                                                dst,
                                                "SELECT count(*) FROM pg_tables WHERE tablename = 'public__Late Comer'")
                                        == 1);
                exec(src, "DROP TABLE public.\"Late Comer\"");

                // a bigger table, created later and changed while its snapshot runs: nothing lost,
                // nothing twice
                exec(
                        src,
                        "CREATE TABLE public.big (id int PRIMARY KEY, v int)",
                        "INSERT INTO public.big SELECT g, 0 FROM generate_series(1, 20000) g");
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong updates = new AtomicLong();
                Thread writer =
                        new Thread(
                                () -> {
                                    try (Connection w = p.src()) {
                                        Random r = new Random(7);
                                        while (!stop.get()) {
                                            exec(
                                                    w,
                                                    "UPDATE public.big SET v = v + 1 WHERE id = "
                                                            + (1 + r.nextInt(20000)));
                                            updates.incrementAndGet();
                                        }
                                    } catch (Exception e) {
                                        throw new RuntimeException(e);
                                    }
                                });
                writer.start();
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "the big table's snapshot",
                        () -> {
                            try {
                                return count(dst, "SELECT count(DISTINCT id) FROM raw.public__big")
                                        == 20000;
                            } catch (SQLException notYetMade) {
                                return false;
                            }
                        });
                stop.set(true);
                writer.join();
                System.out.printf(
                        "MEASURED %d updates of public.big while its snapshot ran%n",
                        updates.get());
                assertThat(updates.get()).isPositive();
                SnapshotThenStreamITCase.awaitVerified(cfg, job);
                assertNothingTwice(dst, "public__big");
                assertNothingTwice(dst, "public__late");

                // a dropped table: its raw table and rows stay, the drop is recorded; the others
                // keep loading
                exec(src, "DROP TABLE public.late");
                Poll.until(
                        Duration.ofSeconds(30),
                        () -> "the drop recorded on raw.public__late",
                        () ->
                                rows(
                                                dst,
                                                "SELECT obj_description('raw.public__late'::regclass, 'pg_class')")
                                        .get(0)
                                        .contains("dropped_before_lsn"));
                assertThat(count(dst, "SELECT count(*) FROM raw.public__late")).isEqualTo(580);
                exec(src, "UPDATE public.items SET v = 'after the drop' WHERE id = 1");
                job.awaitRawRows(dst, "public__items", 111);

                // made again under the same name: its raw table gets a TRUNCATE row that ends the
                // old table's rows,
                // then the new table's rows
                exec(
                        src,
                        "CREATE TABLE public.late (id int PRIMARY KEY, v text)",
                        "INSERT INTO public.late VALUES (1, 'second life'), (700, 'new')");
                job.awaitRawRows(dst, "public__late", 580 + 1 + 2);
                assertThat(count(dst, "SELECT count(*) FROM raw.public__late WHERE _op = 't'"))
                        .isEqualTo(1);
                // renamed within the patterns: the new name is captured like a new table, the old
                // raw table records the drop
                exec(
                        src,
                        "ALTER TABLE public.big RENAME TO big2",
                        "UPDATE public.big2 SET v = -1 WHERE id <= 3");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the renamed table's rows",
                        () -> {
                            try {
                                return count(dst, "SELECT count(DISTINCT id) FROM raw.public__big2")
                                                == 20000
                                        && count(
                                                        dst,
                                                        "SELECT count(*) FROM raw.public__big2 WHERE v = -1")
                                                >= 3;
                            } catch (SQLException notYetMade) {
                                return false;
                            }
                        });
                Poll.until(
                        Duration.ofSeconds(30),
                        () -> "the rename recorded on raw.public__big",
                        () ->
                                rows(
                                                dst,
                                                "SELECT obj_description('raw.public__big'::regclass, 'pg_class')")
                                        .get(0)
                                        .contains("dropped_before_lsn"));
                SnapshotThenStreamITCase.awaitVerified(cfg, job);
                assertNothingTwice(dst, "public__big2");
                job.assertRunning();
            }
        }
    }

    @Test
    void aResnapshotReadsOneTableAgainAsANewGenerationExactlyOnceAcrossAFailure(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("resnap");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                    "CREATE TABLE public.other (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.items SELECT g, 'v' || g FROM generate_series(1, 3000) g",
                    "INSERT INTO public.other SELECT g, 'o' || g FROM generate_series(1, 100) g");
            // signals through the signal table (source.signals: table), the route for a source that
            // cannot stream logical decoding messages
            PipelineConfig cfg =
                    PipelineConfig.parse(
                            p.yaml("[public.items, public.other]", 2)
                                    .replace(
                                            "snapshot-chunk-size: 4000",
                                            "snapshot-chunk-size: 1000")
                                    .replace(
                                            "  publication: " + p.name + "\n",
                                            "  publication: " + p.name + "\n  signals: table\n"),
                            Map.of());
            try (RunningJob job =
                    RunningJob.start(
                            cfg,
                            cluster,
                            s -> {
                                // the checkpoint after the first row of the re-snapshot fails once
                                // the sink prepared it
                                s.process(
                                                new DeclineCheckpointOnce(
                                                        p.name,
                                                        cfg.target,
                                                        e ->
                                                                e.op == ChangeEvent.READ
                                                                        && e.txId
                                                                                != ChangeEvent.NONE,
                                                        1),
                                                TypeInformation.of(ChangeEvent.class))
                                        .uid("fail-in-resnapshot")
                                        .name("fail a checkpoint in the re-snapshot")
                                        .sinkTo(new DiscardingSink<>())
                                        .uid("fail-in-resnapshot-discard");
                                return s;
                            })) {
                job.awaitRawRows(dst, "public__items", 3000);
                exec(src, "UPDATE public.items SET v = 'before' WHERE id <= 100");
                job.awaitRawRows(dst, "public__items", 3100);

                ResnapshotCommand.request(cfg, new TableRef("public", "items"), System.out);
                exec(src, "UPDATE public.other SET v = 'meanwhile' WHERE id <= 10");
                job.awaitRawRows(dst, "public__items", 6100);
                job.awaitRawRows(dst, "public__other", 110);
                assertThat(DeclineCheckpointOnce.fired(p.name))
                        .as("a checkpoint failed inside the re-snapshot")
                        .isTrue();
                job.awaitCheckpoints(2);
                assertThat(
                                rows(
                                        dst,
                                        "SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || count(DISTINCT _tx_id) || ' ' || bool_and(_source_ts IS NOT NULL)"
                                                + " FROM raw.public__items WHERE _op = 'r' AND _tx_id IS NOT NULL"))
                        .as("one new generation, every row once")
                        .containsExactly("3000 3000 1 true");
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(*) FROM raw.public__items WHERE _op = 'r' AND _tx_id IS NULL"))
                        .as("the first generation stays")
                        .isEqualTo(3000);
                // the new generation's rows are the source's rows now, and each is the last version
                // of its key
                assertThat(
                                rows(
                                        dst,
                                        "SELECT id || '|' || v FROM raw.public__items WHERE _op = 'r' AND _tx_id IS NOT NULL ORDER BY id"))
                        .isEqualTo(
                                rows(src, "SELECT id || '|' || v FROM public.items ORDER BY id"));
                assertThat(SnapshotThenStreamITCase.verify(cfg).ok()).isTrue();
                assertNothingTwice(dst, "public__items");
                assertThat(
                                count(
                                        src,
                                        "SELECT count(*) FROM public.flink_elt_signal WHERE kind IN ('low', 'high')"))
                        .as("chunk marks cleaned up")
                        .isZero();
            }
        }
    }

    @Test
    void truncateIsOneRowThatEndsEveryEarlierVersionOfTheTable(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("trunc");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                    "CREATE TABLE public.other (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.items SELECT g, 'v' || g FROM generate_series(1, 100) g",
                    "INSERT INTO public.other SELECT g, 'o' || g FROM generate_series(1, 100) g");
            PipelineConfig cfg = config(p, "[public.items, public.other]", 4000);
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                job.awaitRawRows(dst, "public__items", 100);
                exec(
                        src,
                        "TRUNCATE public.items",
                        "INSERT INTO public.items SELECT g, 'again' FROM generate_series(1, 10) g");
                // in one transaction: rows before the TRUNCATE are gone with it, rows after it stay
                exec(
                        src,
                        "BEGIN",
                        "INSERT INTO public.items VALUES (50, 'gone')",
                        "TRUNCATE public.items, public.other",
                        "INSERT INTO public.items SELECT g, 'kept' FROM generate_series(1, 3) g",
                        "COMMIT");
                job.awaitRawRows(dst, "public__items", 100 + 1 + 10 + 1 + 1 + 3);
                job.awaitRawRows(dst, "public__other", 101);
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(*) FROM raw.public__items WHERE _op = 't' AND id IS NULL AND v IS NULL"))
                        .isEqualTo(2);
                assertThat(
                                rows(
                                        dst,
                                        "SELECT id || ' ' || v FROM (SELECT DISTINCT ON (id) * FROM raw.public__items WHERE _op <> 't'"
                                                + " AND _lsn > (SELECT max(_lsn) FROM raw.public__items WHERE _op = 't') ORDER BY id, _lsn DESC, _seq DESC) s WHERE _op <> 'd' ORDER BY id"))
                        .as("the README's current-state query")
                        .containsExactly("1 kept", "2 kept", "3 kept");
                SnapshotThenStreamITCase.Verified v = SnapshotThenStreamITCase.verify(cfg);
                assertThat(v.ok()).as(v.output()).isTrue();
                assertThat(v.output())
                        .contains("source=3 derived=3")
                        .contains("source=0 derived=0");
            }
        }
    }

    @Test
    void aTableAddedToSourceTablesAcrossASavepointIsSnapshottedAlone(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("addtab");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                    "CREATE TABLE public.extra (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.items SELECT g, 'v' || g FROM generate_series(1, 200) g",
                    "INSERT INTO public.extra SELECT g, 'e' || g FROM generate_series(1, 300) g");
            String savepoint;
            try (RunningJob job = RunningJob.start(config(p, "[public.items]", 4000), cluster)) {
                job.awaitRawRows(dst, "public__items", 200);
                savepoint = job.stopWithSavepoint(tmp.resolve("savepoint"));
            }
            PipelineConfig wider = config(p, "[public.items, public.extra]", 4000);
            try (RunningJob job =
                    RunningJob.start(wider, cluster, UnaryOperator.identity(), savepoint)) {
                job.awaitRawRows(dst, "public__extra", 300);
                exec(
                        src,
                        "UPDATE public.items SET v = 'x' WHERE id = 1",
                        "UPDATE public.extra SET v = 'x' WHERE id = 1");
                job.awaitRawRows(dst, "public__items", 201);
                job.awaitRawRows(dst, "public__extra", 301);
                assertThat(count(dst, "SELECT count(*) FROM raw.public__items WHERE _op = 'r'"))
                        .as("items not read again")
                        .isEqualTo(200);
                assertThat(SnapshotThenStreamITCase.verify(wider).ok()).isTrue();
            }
        }
    }
}
