package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.demo.PgServer;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.support.TestServers;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load stage does not grow with the number of tables: 200 tables at parallelism 2 into a
 * warehouse that allows 30 connections and 10 prepared transactions (one sink per table needed 800
 * prepared transactions and 400+ connections), with the highest numbers seen on the warehouse
 * asserted.
 */
class ManyTablesITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 20;
    static final int PARALLELISM = 2;
    private static PgServer warehouse;

    @BeforeAll
    static void smallWarehouse() throws Exception {
        Map<String, String> small = new HashMap<>(PgServer.warehouseSettings());
        small.put("max_connections", "30");
        small.put("max_prepared_transactions", "10");
        warehouse = PgServer.start(small);
    }

    @AfterAll
    static void stopWarehouse() throws Exception {
        warehouse.close();
    }

    @ParameterizedTest(name = "{0} tables")
    @ValueSource(ints = {1, 10, 200})
    void anyNumberOfTablesLoadsExactlyOnTwoConnectionsAndAtMostTwoPreparedTransactionsPerSubtask(
            int tables, @InjectClusterClient ClusterClient<?> cluster, @TempDir Path tmp)
            throws Exception {
        TestDatabases p = new TestDatabases("many", TestServers.source(), warehouse);
        try (Connection src = p.src();
                Connection dst = p.dst();
                Connection watch = p.dst()) {
            List<String> names = new ArrayList<>();
            StringBuilder ddl = new StringBuilder();
            for (int i = 0; i < tables; i++) {
                String t = String.format("public.t%03d", i);
                names.add(t);
                ddl.append("CREATE TABLE ")
                        .append(t)
                        .append(" (id int PRIMARY KEY, note text, n int);")
                        .append("INSERT INTO ")
                        .append(t)
                        .append(" SELECT g, 'row ' || g, 0 FROM generate_series(1, ")
                        .append(ROWS)
                        .append(") g;");
            }
            exec(src, ddl.toString());
            Map<String, Ledger> ledgers = new HashMap<>();
            for (String t : names) {
                Ledger l = new Ledger(t, "id", "id, note, n");
                l.expectSnapshot(src);
                ledgers.put(t, l);
            }
            PipelineConfig cfg = p.config("['public.t*']", PARALLELISM);
            Peaks peaks = new Peaks(watch);
            peaks.start();
            long started = System.nanoTime();
            long snapshotted;
            long changed;
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                String total =
                        "SELECT "
                                + names.stream()
                                        .map(
                                                t ->
                                                        "(SELECT count(*) FROM raw.\""
                                                                + t.replace(".", "__")
                                                                + "\")")
                                        .collect(Collectors.joining(" + "));
                Poll.until(
                        Duration.ofMinutes(4),
                        () -> "snapshot of " + tables + " tables",
                        () -> {
                            job.assertRunning();
                            return count(dst, total) == (long) tables * ROWS;
                        });
                snapshotted = System.nanoTime();
                // one source transaction that changes every table: its rows land in one sink
                // transaction per subtask
                StringBuilder changes = new StringBuilder("BEGIN;");
                for (String t : names) {
                    changes.append("UPDATE ")
                            .append(t)
                            .append(" SET n = n + 1, note = note || ' (updated)' WHERE id <= 5;")
                            .append("DELETE FROM ")
                            .append(t)
                            .append(" WHERE id = 20;")
                            .append("INSERT INTO ")
                            .append(t)
                            .append(
                                    " VALUES (21, E'tab\\there\\nnew line \\\\ back', 1), (22, NULL, NULL);");
                }
                exec(src, changes.append("COMMIT;").toString());
                long committed = System.nanoTime();
                for (String t : names) {
                    Ledger l = ledgers.get(t);
                    l.expectChanges(src, "u", "id <= 5");
                    l.expectDeletes(20, 20);
                    l.expectChanges(src, "c", "id IN (21, 22)");
                }
                long expected = (long) tables * (ROWS + 5 + 1 + 2);
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> expected + " raw rows",
                        () -> {
                            job.assertRunning();
                            return count(dst, total) == expected;
                        });
                changed = System.nanoTime() - committed;
                job.awaitCheckpoints(2);
                for (String t : names) {
                    ledgers.get(t).assertRawMatches(dst);
                }
                job.stopWithSavepoint(tmp.resolve("savepoint"));
            } finally {
                peaks.finish();
            }
            System.out.printf(
                    "MEASURED %d tables, parallelism %d: at most %d sink connections and %d prepared transactions on the"
                            + " warehouse at once; snapshot %.1f s (job start included), one transaction changing every table visible in raw"
                            + " after %.1f s%n",
                    tables,
                    PARALLELISM,
                    peaks.connections.get(),
                    peaks.prepared.get(),
                    (snapshotted - started) / 1e9,
                    changed / 1e9);
            assertThat(peaks.connections.get())
                    .as("sink connections (writer + committer per subtask)")
                    .isBetween(1L, 2L * PARALLELISM);
            // a transaction stays prepared until its checkpoint completes (milliseconds): in the
            // short runs a sampler may miss every one; the 200-table run shows that it sees them
            assertThat(peaks.prepared.get())
                    .as("prepared transactions at once")
                    .isBetween(tables >= 200 ? 1L : 0L, 2L * PARALLELISM);
            assertThat(p.preparedTransactions()).as("prepared transactions left").isZero();
        } finally {
            p.rollBackPreparedTransactions();
        }
    }

    /**
     * Samples the warehouse for the sink's connections and prepared transactions, keeping the
     * highest counts.
     */
    static final class Peaks extends Thread {
        final AtomicLong connections = new AtomicLong();
        final AtomicLong prepared = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Connection conn;
        private volatile Exception failure;

        Peaks(Connection conn) {
            super("warehouse-peaks");
            this.conn = conn;
        }

        @Override
        public void run() {
            try {
                while (!stop.get()) {
                    connections.accumulateAndGet(
                            count(
                                    conn,
                                    "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'flink-elt sink%'"
                                            + " OR application_name = 'flink-elt committer'"),
                            Math::max);
                    prepared.accumulateAndGet(
                            count(conn, "SELECT count(*) FROM pg_prepared_xacts"), Math::max);
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        void finish() throws Exception {
            stop.set(true);
            join(10_000);
            if (failure != null) {
                throw failure;
            }
        }
    }
}
