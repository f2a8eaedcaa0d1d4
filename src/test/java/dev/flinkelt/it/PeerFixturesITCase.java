package dev.flinkelt.it;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.raw.RawTables;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.LogCapture;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.ReferenceChanges;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.verify.TableReport;
import dev.flinkelt.verify.Verifier;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peers' own PostgreSQL fixtures (Debezium's and Flink CDC's, in src/test/resources/peers, see
 * MANIFEST.md there) and pgbench's tables, every table captured by one pattern; then the peers'
 * streaming statements (DDL mid-stream, TRUNCATE, renames, new tables and partitions) while pgbench
 * runs. Every table is captured and reconciles with its raw table; per table the raw change rows
 * match what PostgreSQL's test_decoding saw; the job never restarts and no row value reaches the
 * log.
 */
class PeerFixturesITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final List<String> SETUP = List.of("debezium/10_setup.sql", "flink-cdc/15_setup.sql");
    static final List<String> STREAM =
            List.of("debezium/20_stream.sql", "debezium/21_stream.sql", "flink-cdc/25_stream.sql");

    /** A value that must never appear in a log line. */
    static final String CANARY = "canary-value-4711";

    /**
     * Tables the stream-level count does not apply to, each reconciled by verify: renamed (their
     * changes count under two names), or captured anew mid-stream, where a snapshot supersedes the
     * changes before it: a table whose primary key changed (changepk) and one that got a replica
     * identity while its updates were not yet published (nopk.t3).
     */
    static final Set<String> NOT_COUNTED =
            Set.of(
                    "public.test_table_rename",
                    "public.renamed_test_table",
                    "changepk.test_table",
                    "nopk.t3");

    static String fixture(String name) throws IOException {
        try (InputStream in = PeerFixturesITCase.class.getResourceAsStream("/peers/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyTableOfThePeersFixturesAndPgbenchIsCapturedExactly(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("peers");
        try (Connection src = p.src();
                Connection dst = p.dst();
                LogCapture log = new LogCapture("peers")) {
            for (String f : SETUP) {
                exec(src, fixture(f));
            }
            pgbench(p, "-i", "-s", "1", "-q");
            exec(
                    src,
                    "CREATE TABLE public.canary (id int PRIMARY KEY, secret text)",
                    "INSERT INTO public.canary VALUES (1, '" + CANARY + "')");
            exec(
                    dst,
                    "CREATE EXTENSION citext",
                    "CREATE EXTENSION hstore",
                    "CREATE EXTENSION ltree",
                    "CREATE EXTENSION isn");
            List<TableRef> atStart = new SourceCatalog(src).resolveTables(List.of("*.*"), true);
            assertThat(atStart).hasSizeGreaterThan(140);
            PipelineConfig cfg = p.config("[\"*.*\"]", 2);
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                // the snapshot: every table's rows, nothing else changes meanwhile
                List<String> behind = new ArrayList<>();
                Poll.until(
                        Duration.ofMinutes(4),
                        () -> "snapshot rows of all " + atStart.size() + " tables, still " + behind,
                        () -> {
                            job.assertRunning();
                            behind.clear();
                            for (TableRef t : atStart) {
                                long rows = count(src, "SELECT count(*) FROM " + t.quoted());
                                long raw = snapshotRows(dst, cfg, t);
                                if (raw != rows) {
                                    behind.add(t + " " + raw + "/" + rows);
                                }
                            }
                            return behind.isEmpty();
                        });
                ReferenceChanges reference = new ReferenceChanges(src, p.name + "_ref");
                CompletableFuture<Void> bench =
                        CompletableFuture.runAsync(() -> pgbench(p, "-n", "-c", "4", "-T", "10"));
                for (String f : STREAM) {
                    exec(src, fixture(f));
                }
                exec(src, "UPDATE public.canary SET secret = secret || '-2' WHERE id = 1");
                bench.get(2, TimeUnit.MINUTES);
                Map<String, long[]> expected = reference.counts(src);
                reference.drop(src);

                List<TableRef> atEnd = new SourceCatalog(src).resolveTables(List.of("*.*"), true);
                Poll.untilAsserted(
                        Duration.ofMinutes(4),
                        () -> {
                            job.assertRunning();
                            List<String> wrong = new ArrayList<>();
                            for (TableReport r : new Verifier(cfg).verify(atEnd)) {
                                if (!r.ok()) {
                                    wrong.add(r.line());
                                }
                            }
                            assertThat(wrong).as("tables that do not reconcile").isEmpty();
                        });
                // per table, raw change rows against test_decoding's count: a key change is a
                // delete and an insert (so is any update of a table without a key), nothing else
                Map<String, String> ledger = new TreeMap<>();
                for (TableRef t : atStart) {
                    if (NOT_COUNTED.contains(t.dotted())) {
                        continue;
                    }
                    long[] ref = expected.getOrDefault(t.dotted(), new long[4]);
                    long[] raw = rawChanges(dst, cfg, t);
                    long splitC = raw[0] - ref[0];
                    long splitD = raw[2] - ref[2];
                    long splitU = ref[1] - raw[1];
                    if (splitC != splitD || splitD != splitU || splitU < 0 || raw[3] != ref[3]) {
                        ledger.put(
                                t.dotted(),
                                "raw c/u/d/t "
                                        + List.of(raw[0], raw[1], raw[2], raw[3])
                                        + ", test_decoding I/U/D/T "
                                        + List.of(ref[0], ref[1], ref[2], ref[3]));
                    }
                }
                assertThat(ledger)
                        .as("tables whose raw changes differ from the source's")
                        .isEmpty();
                assertThat(expected.getOrDefault("public.pgbench_history", new long[4])[0])
                        .as("pgbench ran")
                        .isGreaterThan(100);
                job.assertNeverFailed();
            }
            assertThat(log.text()).doesNotContain(CANARY);
        }
    }

    /** Snapshot rows of {@code t} in its raw table (0 while there is none). */
    static long snapshotRows(Connection dst, PipelineConfig cfg, TableRef t) throws Exception {
        String raw = RawTables.qualified(cfg.rawSchema, t);
        if (count(
                        dst,
                        "SELECT count(*) FROM pg_class WHERE oid = to_regclass("
                                + Identifiers.literal(raw)
                                + ")")
                == 0) {
            return -1;
        }
        return count(dst, "SELECT count(*) FROM " + raw + " WHERE _op = 'r'");
    }

    /**
     * Change rows of {@code t}'s raw table: c, u, d and t, a snapshot's own t row (a table without
     * a key starts each snapshot with one, at _seq 0) left out.
     */
    static long[] rawChanges(Connection dst, PipelineConfig cfg, TableRef t) throws Exception {
        String raw = RawTables.qualified(cfg.rawSchema, t);
        long[] out = new long[4];
        String ops = "cudt";
        for (int i = 0; i < 4; i++) {
            out[i] =
                    count(
                            dst,
                            "SELECT count(*) FROM "
                                    + raw
                                    + " WHERE _op = '"
                                    + ops.charAt(i)
                                    + "'"
                                    + (i == 3 ? " AND _seq <> 0" : ""));
        }
        return out;
    }

    /** Runs pgbench against the test's source database. */
    static void pgbench(TestDatabases p, String... args) {
        List<String> cmd = new ArrayList<>(List.of("pgbench", "-h", "127.0.0.1"));
        cmd.add("-p");
        cmd.add(Integer.toString(p.source.port()));
        cmd.add("-U");
        cmd.add("postgres");
        cmd.addAll(List.of(args));
        cmd.add(p.name);
        try {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (proc.waitFor() != 0) {
                throw new AssertionError("pgbench " + List.of(args) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new AssertionError(
                    "pgbench could not run (.ci/run installs it: Debian's postgresql-15)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
