package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.support.Accounts;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshot windows read by several connections at once ({@code snapshot-readers: 3}) while the
 * source changes everywhere in the table: every change lands exactly once, every key has exactly
 * one snapshot row, and each table's raw history replays to the source.
 */
class ParallelSnapshotReadersITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 30_000;

    @Test
    void rangesReadAtOnceWhileEveryKeyChangesLoseNothingAndDuplicateNothing(
            @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("readers");
        try (Connection src = p.src();
                Connection writerConn = p.src();
                Connection dst = p.dst()) {
            Accounts.createWithoutToast(src, ROWS);
            exec(
                    src,
                    // a composite key with quoted names, a configured key that repeats and is
                    // NULL, small and empty tables, a table without a key
                    "CREATE TABLE public.pairs (\"k \"\"1\"\"\" text, \"K2\" int, v int,"
                            + " PRIMARY KEY (\"k \"\"1\"\"\", \"K2\"))",
                    "INSERT INTO public.pairs SELECT chr(8364) || ' ''q'' ' || (g % 7), g, g"
                            + " FROM generate_series(1, 4000) g",
                    "CREATE TABLE public.events (grp int, note text)",
                    "INSERT INTO public.events SELECT g % 300, 'n' || g FROM generate_series(1, 2000) g",
                    "INSERT INTO public.events SELECT NULL, 'null ' || g FROM generate_series(1, 40) g",
                    "CREATE TABLE public.small (id int PRIMARY KEY)",
                    "INSERT INTO public.small VALUES (1), (2), (3)",
                    "CREATE TABLE public.empty (id int PRIMARY KEY)",
                    "CREATE TABLE public.nokey (a int, b text)",
                    "INSERT INTO public.nokey SELECT g % 10, 'b' FROM generate_series(1, 300) g");
            Ledger pairs = new Ledger("public.pairs", "\"K2\"", "\"k \"\"1\"\"\", \"K2\", v");
            pairs.expectSnapshot(src);
            Ledger events = new Ledger("public.events", "coalesce(grp, -1)", "grp, note");
            events.expectSnapshot(src);
            Ledger accounts = new Ledger(Accounts.TABLE, "id", "id, owner, balance, version");
            String tables =
                    "[public.accounts, public.pairs, public.events, public.small, public.empty,"
                            + " public.nokey]";
            PipelineConfig cfg =
                    PipelineConfig.parse(
                            p.yaml(tables, 2)
                                    .replace(
                                            "snapshot-chunk-size: 4000",
                                            "snapshot-chunk-size: 1000\n  snapshot-readers: 3")
                                    .replace(
                                            "  slot:",
                                            "  key-columns: { public.events: [grp] }\n  slot:"),
                            Map.of());
            Writer writer = new Writer(writerConn, accounts);
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                writer.start(); // the slot exists: every change from here on is streamed
                Poll.until(
                        Duration.ofMinutes(3),
                        () -> "the snapshots of all six tables",
                        () -> {
                            job.assertRunning();
                            return job.metricSum("Source tracker", "snapshotTablesDone") == 6;
                        });
                job.assertNeverFailed(); // so the readers' connections are this attempt's
                assertThat(
                                count(
                                        src,
                                        "SELECT count(*) FROM pg_stat_activity WHERE application_name"
                                                + " = 'flink-elt snapshot reader' AND datname = current_database()"))
                        .as("the range readers' connections")
                        .isEqualTo(2);
                long changes = writer.finish();
                assertThat(changes).isGreaterThan(500);
                Poll.untilAsserted(
                        Duration.ofMinutes(2),
                        () -> {
                            job.assertRunning();
                            accounts.assertChangesMatch(dst);
                        });
                job.awaitCheckpoints(2); // anything delivered twice would now be committed too
                accounts.assertChangesMatch(dst);
                // each table's raw history replays to the source (verify derives a row per key,
                // which a configured key that repeats does not have: events is checked above)
                String verified = SnapshotThenStreamITCase.verify(cfg).output();
                for (String t : List.of("accounts", "pairs", "small", "empty", "nokey")) {
                    assertThat(verified)
                            .containsPattern(
                                    "(?m)^public\\." + t + " +source=\\d+ derived=\\d+ OK$");
                }
                pairs.assertRawMatches(dst);
                events.assertRawMatches(dst);
                // at most one snapshot row per key; a key changed while its window was open has
                // none (the change, a whole row, supersedes it), every other key still in the
                // source has one
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(*) FROM (SELECT id FROM raw.public__accounts"
                                                + " WHERE _op = 'r' GROUP BY id HAVING count(*) > 1) d"))
                        .as("keys with two snapshot rows")
                        .isZero();
                Set<String> landed =
                        new HashSet<>(
                                rows(
                                        dst,
                                        "SELECT id::text FROM raw.public__accounts WHERE _op IN ('r', 'u')"));
                assertThat(rows(src, "SELECT id::text FROM public.accounts WHERE id <= " + ROWS))
                        .as("initial keys still in the source without a snapshot row or a change")
                        .allMatch(landed::contains);
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(*) FROM raw.public__accounts WHERE _op = 'r' AND version > 0"))
                        .as(
                                "snapshot rows read after the writer changed them (ahead of the windows)")
                        .isPositive();
                assertThat(count(dst, "SELECT count(*) FROM raw.public__small WHERE _op = 'r'"))
                        .isEqualTo(3);
                assertThat(count(dst, "SELECT count(*) FROM raw.public__nokey WHERE _op = 'r'"))
                        .isEqualTo(300);
                job.stopWithSavepoint(tmp.resolve("savepoint"));
            } finally {
                if (writer.isAlive()) {
                    writer.finish();
                }
            }
            assertThat(p.preparedTransactions()).isZero();
        }
    }

    /**
     * Changes accounts all over the key range while the snapshot runs (a seeded random key per
     * statement, so changes land ahead of the windows, inside them and behind them), and keeps the
     * ledger of every change.
     */
    static final class Writer extends Thread {
        private final Connection src;
        private final Ledger ledger;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicLong changes = new AtomicLong();

        Writer(Connection src, Ledger ledger) {
            super("change-writer");
            this.src = src;
            this.ledger = ledger;
        }

        @Override
        public void run() {
            Random random = new Random(26);
            Set<Long> gone = new HashSet<>();
            long nextId = ROWS + 1;
            try {
                for (long i = 0; !stop.get(); i++) {
                    long from = 1 + random.nextInt(ROWS - 20);
                    String range = "id BETWEEN " + from + " AND " + (from + 19);
                    exec(
                            src,
                            "UPDATE public.accounts SET version = version + 1, balance = balance + 1 WHERE "
                                    + range);
                    ledger.expectChanges(src, "u", range);
                    changes.addAndGet(
                            count(src, "SELECT count(*) FROM public.accounts WHERE " + range));
                    if (i % 5 == 0) {
                        exec(
                                src,
                                "INSERT INTO public.accounts VALUES (" + nextId + ", 'new', 0, 0)");
                        ledger.expectChanges(src, "c", "id = " + nextId++);
                        changes.incrementAndGet();
                    }
                    long victim = 1 + random.nextInt(ROWS);
                    if (i % 7 == 0 && gone.add(victim)) {
                        exec(src, "DELETE FROM public.accounts WHERE id = " + victim);
                        ledger.expectDeletes(victim, victim);
                        changes.incrementAndGet();
                    }
                    Thread.sleep(5);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        long finish() throws Exception {
            stop.set(true);
            join(60_000);
            if (failure.get() != null) {
                throw new AssertionError("change writer failed", failure.get());
            }
            return changes.get();
        }
    }
}
