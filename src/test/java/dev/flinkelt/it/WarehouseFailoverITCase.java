package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.demo.PgServer;
import dev.flinkelt.support.Accounts;
import dev.flinkelt.support.ChangeWriter;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.StandbyPair;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.support.TestServers;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rawRows;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warehouse fails over (issue 24): a primary with a synchronous standby ({@code
 * synchronous_standby_names}), so every PREPARE TRANSACTION and COMMIT PREPARED is on the standby
 * before it returns. The primary is SIGKILLed while a checkpoint's transactions are prepared, the
 * standby promoted; the sink, given both servers with {@code targetServerType=primary}, commits
 * what its checkpoint lists and rolls back the rest on the new primary: every change exactly once.
 */
class WarehouseFailoverITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 3_000;

    @Test
    void aSynchronousStandbyPromotedWhileTransactionsArePreparedFinishesThemExactly(
            @TempDir Path tmp, @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        try (StandbyPair pair =
                StandbyPair.start(
                        tmp,
                        SourceFailoverITCase.durable(PgServer.warehouseSettings()),
                        null,
                        List.of("ALTER SYSTEM SET synchronous_standby_names = 'standby1'"),
                        // the primary's, copied: once promoted, no standby to wait for
                        List.of("synchronous_standby_names = ''"))) {
            TestDatabases p = new TestDatabases("whfailover", TestServers.source(), pair.primary);
            String yaml = pair.reachingBoth(p.yaml(Accounts.TABLES, 2), p.name);
            PipelineConfig cfg = PipelineConfig.parse(yaml, Map.of());
            try (Connection src = p.src();
                    Connection writerConn = p.src()) {
                Ledger ledger = Accounts.create(src, ROWS);
                ChangeWriter writer = new ChangeWriter(writerConn, ledger, Accounts.TABLE, ROWS);
                try (RunningJob job = RunningJob.start(cfg, cluster)) {
                    try (Connection dst = pair.primary.connect(p.name)) {
                        job.awaitRawRows(dst, Accounts.RAW, ROWS);
                        writer.start();
                        job.awaitRawRows(dst, Accounts.RAW, ROWS + 2_000);
                        assertThat(
                                        rows(
                                                dst,
                                                "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'"))
                                .as("the standby confirms every commit")
                                .containsExactly("sync");
                        Poll.until(
                                Duration.ofMinutes(1),
                                () -> "a checkpoint's transactions prepared",
                                () ->
                                        count(
                                                        dst,
                                                        "SELECT count(*) FROM pg_prepared_xacts WHERE gid LIKE 'flink-elt:%'")
                                                > 0);
                    }
                    pair.killPrimary();
                    long killed = System.nanoTime();
                    pair.promote();
                    try (Connection dst = pair.standby.connect(p.name)) {
                        long before = rawRows(dst, Accounts.RAW);
                        job.awaitRawRows(dst, Accounts.RAW, before + 2_000);
                        double resumed = (System.nanoTime() - killed) / 1e9;
                        long changes = writer.finish();
                        Poll.untilAsserted(
                                Duration.ofMinutes(2),
                                () -> {
                                    job.assertRunning();
                                    ledger.assertRawMatches(dst);
                                });
                        SnapshotThenStreamITCase.awaitVerified(cfg, job);
                        System.out.printf(
                                "warehouse failover: primary SIGKILLed with transactions prepared, synchronous standby promoted;"
                                        + " 2,000 more raw rows %.1f s after the kill; %d changes exactly once%n",
                                resumed, changes);
                    }
                }
            }
        }
    }

    /**
     * An asynchronous standby that had not received the last checkpoints' commits is promoted: the
     * new primary lacks transactions the pipeline counted as committed, while the source slot has
     * moved past their changes. The restored sink finds them missing from the warehouse's record
     * ({@code raw._sink_transactions}) and has every table read again into a new generation: verify
     * is OK afterwards, with exactly one new generation.
     */
    @Test
    void anAsynchronousStandbyThatLostCommitsIsDetectedAndEveryTableIsReadAgain(
            @TempDir Path tmp, @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        try (StandbyPair pair =
                StandbyPair.start(
                        tmp,
                        SourceFailoverITCase.durable(PgServer.warehouseSettings()),
                        null,
                        List.of(),
                        List.of())) {
            TestDatabases p = new TestDatabases("whasync", TestServers.source(), pair.primary);
            String yaml = pair.reachingBoth(p.yaml(Accounts.TABLES, 2), p.name);
            PipelineConfig cfg = PipelineConfig.parse(yaml, Map.of());
            try (Connection src = p.src()) {
                Accounts.create(src, ROWS);
                try (RunningJob job = RunningJob.start(cfg, cluster)) {
                    try (Connection dst = pair.primary.connect(p.name)) {
                        job.awaitRawRows(dst, Accounts.RAW, ROWS);
                        exec(
                                src,
                                "UPDATE public.accounts SET version = version + 1 WHERE id <= 500");
                        job.awaitRawRows(dst, Accounts.RAW, ROWS + 500);
                        pair.detachStandbyWhenCaughtUp();
                        // committed on the old primary only, and confirmed to the source slot
                        exec(
                                src,
                                "UPDATE public.accounts SET version = version + 1 WHERE id BETWEEN 501 AND 800");
                        job.awaitRawRows(dst, Accounts.RAW, ROWS + 800);
                        long sourceLsn =
                                count(src, "SELECT (pg_current_wal_lsn() - '0/0')::bigint");
                        Poll.until(
                                Duration.ofMinutes(1),
                                () -> "the slot to be confirmed past the lost changes",
                                () ->
                                        count(
                                                        src,
                                                        "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                                                                + p.name
                                                                + "' AND (confirmed_flush_lsn - '0/0')::bigint >= "
                                                                + sourceLsn)
                                                == 1);
                    }
                    pair.killPrimary();
                    long killed = System.nanoTime();
                    pair.promote();
                    try (Connection dst = pair.standby.connect(p.name)) {
                        assertThat(rawRows(dst, Accounts.RAW))
                                .as("the new primary lacks the last changes")
                                .isLessThan(ROWS + 800);
                        exec(
                                src,
                                "UPDATE public.accounts SET version = version + 1 WHERE id > 1900");
                        SnapshotThenStreamITCase.awaitVerified(cfg, job);
                        double repaired = (System.nanoTime() - killed) / 1e9;
                        assertThat(
                                        rows(
                                                dst,
                                                "SELECT kind FROM raw._sink_transactions WHERE kind <> 'committed'"))
                                .as("one repair, claimed once")
                                .containsExactly("repair");
                        assertThat(
                                        count(
                                                dst,
                                                "SELECT count(*) FROM raw.public__accounts WHERE _op = 'r'"))
                                .as("the first snapshot and exactly one new generation")
                                .isEqualTo(2L * ROWS);
                        System.out.printf(
                                "warehouse failover to an asynchronous standby that lost commits: detected at restore,"
                                        + " every table read again; verify OK %.1f s after the kill%n",
                                repaired);
                    }
                }
            }
        }
    }
}
