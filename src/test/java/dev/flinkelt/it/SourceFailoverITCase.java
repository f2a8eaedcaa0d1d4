package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.demo.PgServer;
import dev.flinkelt.support.Accounts;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.StandbyPair;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.support.TestServers;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The source fails over (issue 24): a PostgreSQL 18 primary with a physical standby that syncs
 * slots; the pipeline's slot is a failover slot and the primary waits for the standby before it
 * sends the pipeline a change ({@code synchronized_standby_slots}). The primary is killed with
 * SIGKILL while the pipeline streams, the standby promoted; the pipeline, given both servers with
 * {@code targetServerType=primary}, goes on from the synced slot: no new snapshot, every change
 * exactly once.
 */
class SourceFailoverITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 2_000;

    /**
     * The embedded server's default is synchronous_commit = off: a commit could then return before
     * its WAL exists anywhere, and the SIGKILL would take it with it, as any server so set would.
     */
    static Map<String, String> durable(Map<String, String> settings) {
        Map<String, String> out = new HashMap<>(settings);
        out.put("synchronous_commit", "on");
        return out;
    }

    /**
     * {@code stoppedMeanwhile}: the job is stopped with a savepoint before the last changes on the
     * old primary, so the new primary's synced slot must hand it changes it never read; else the
     * job streams through the kill.
     */
    @ParameterizedTest(name = "stopped during the failover: {0}")
    @ValueSource(booleans = {false, true})
    void aPromotedStandbyKeepsTheFailoverSlotAndThePipelineGoesOnExactlyWithoutANewSnapshot(
            boolean stoppedMeanwhile,
            @TempDir Path tmp,
            @InjectClusterClient ClusterClient<?> cluster)
            throws Exception {
        Path binaries = Path.of(System.getProperty("pg18.binaries"));
        try (StandbyPair pair =
                StandbyPair.start(
                        tmp,
                        durable(PgServer.sourceSettings()),
                        binaries,
                        // the pipeline never gets a change the standby has not received
                        List.of(
                                "ALTER SYSTEM SET synchronized_standby_slots = 'standby1'",
                                // a commit returns once the standby has it: the kill right after
                                // one loses nothing the source acknowledged
                                "ALTER SYSTEM SET synchronous_standby_names = 'standby1'"),
                        List.of(
                                "hot_standby_feedback = on",
                                "sync_replication_slots = on",
                                // the primary's, copied: once promoted, no standby to wait for
                                "synchronized_standby_slots = ''",
                                "synchronous_standby_names = ''"))) {
            PgServer primary = pair.primary;
            PgServer standby = pair.standby;
            TestDatabases p = new TestDatabases("failover", primary, TestServers.warehouse());
            String yaml = pair.reachingBoth(p.yaml(Accounts.TABLES, 2), p.name);
            PipelineConfig cfg = PipelineConfig.parse(yaml, Map.of());
            Ledger ledger;
            try (Connection src = p.src()) {
                ledger = Accounts.create(src, ROWS);
            }
            CheckCommandITCase.Run checked = CheckCommandITCase.check(tmp, yaml);
            assertThat(checked.code()).as(checked.out()).isZero();
            assertThat(checked.out())
                    .contains("slot '" + p.name + "' is made a failover slot")
                    .contains("standby slot 'standby1' is in synchronized_standby_slots");
            RunningJob[] running = {RunningJob.start(cfg, cluster)};
            try (Connection dst = p.dst()) {
                RunningJob job = running[0];
                job.awaitRawRows(dst, Accounts.RAW, ROWS);
                try (Connection src = p.src()) {
                    exec(src, "UPDATE public.accounts SET version = version + 1 WHERE id <= 500");
                    ledger.expectChanges(src, "u", "id <= 500");
                }
                job.awaitRawRows(dst, Accounts.RAW, ROWS + 500);
                try (Connection sb = standby.connect(p.name)) {
                    Poll.until(
                            Duration.ofMinutes(1),
                            () -> "the standby to hold the pipeline's slot, synced",
                            () ->
                                    rows(
                                                    sb,
                                                    "SELECT synced AND NOT temporary FROM pg_replication_slots"
                                                            + " WHERE slot_name = '"
                                                            + p.name
                                                            + "'")
                                            .equals(List.of("t")));
                }
                String savepoint =
                        stoppedMeanwhile ? job.stopWithSavepoint(tmp.resolve("savepoints")) : null;
                // changes the standby has (synchronous commit) and the pipeline maybe not yet
                // (surely not when stopped): SIGKILL at once
                try (Connection src = p.src()) {
                    exec(
                            src,
                            "INSERT INTO public.accounts SELECT g, 'late', 0, 0 FROM generate_series("
                                    + (ROWS + 1)
                                    + ", "
                                    + (ROWS + 100)
                                    + ") g",
                            "UPDATE public.accounts SET version = version + 1 WHERE id BETWEEN 501 AND 700");
                    ledger.expectChanges(src, "c", "id > " + ROWS);
                    ledger.expectChanges(src, "u", "id BETWEEN 501 AND 700");
                }
                pair.killPrimary();
                long killed = System.nanoTime();
                pair.promote();
                try (Connection sb = standby.connect(p.name)) {
                    exec(
                            sb,
                            "UPDATE public.accounts SET version = version + 1 WHERE id BETWEEN 701 AND 900",
                            "INSERT INTO public.accounts SELECT g, 'after', 0, 0 FROM generate_series("
                                    + (ROWS + 101)
                                    + ", "
                                    + (ROWS + 150)
                                    + ") g");
                    ledger.expectChanges(sb, "u", "id BETWEEN 701 AND 900");
                    ledger.expectChanges(sb, "c", "id > " + (ROWS + 100));
                }
                if (stoppedMeanwhile) {
                    job.close();
                    running[0] =
                            RunningJob.start(cfg, cluster, UnaryOperator.identity(), savepoint);
                }
                Poll.untilAsserted(
                        Duration.ofMinutes(2),
                        () -> {
                            running[0].assertRunning();
                            ledger.assertRawMatches(dst);
                        });
                double downtime = (System.nanoTime() - killed) / 1e9;
                assertThat(count(dst, "SELECT count(*) FROM raw.public__accounts WHERE _op = 'r'"))
                        .as("no new snapshot")
                        .isEqualTo(ROWS);
                SnapshotThenStreamITCase.awaitVerified(cfg, running[0]);
                System.out.printf(
                        "source failover (job %s): primary SIGKILLed, standby promoted; every change in raw exactly once %.1f s after the kill, no new snapshot%n",
                        stoppedMeanwhile ? "stopped meanwhile" : "streaming", downtime);
            } finally {
                running[0].close();
            }
        }
    }

    /**
     * Before PostgreSQL 17 (here the default 14) no slot survives a failover: the promoted standby
     * has none. The standby is asynchronous and behind: the last update the pipeline loaded never
     * reached it. The pipeline reconnects, finds no slot and stops (no restart loop, no new slot at
     * the current position): nothing written on the new primary is loaded past the gap. The
     * documented recovery, a fresh start, first moves the new primary's WAL position above the raw
     * rows of the old one (else its rows would sort before them), ends each raw table's rows with a
     * {@code t} row and reads every table again: verify OK, the lost update gone as on the source.
     */
    @Test
    void withoutAFailoverSlotThePipelineStopsWithTheFixAndAFreshStartMakesEveryTableExact(
            @TempDir Path tmp, @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        try (StandbyPair pair =
                StandbyPair.start(
                        tmp, durable(PgServer.sourceSettings()), null, List.of(), List.of())) {
            TestDatabases p = new TestDatabases("noslot", pair.primary, TestServers.warehouse());
            String yaml = pair.reachingBoth(p.yaml(Accounts.TABLES, 2), p.name);
            PipelineConfig cfg = PipelineConfig.parse(yaml, Map.of());
            try (Connection dst = p.dst()) {
                long before;
                try (Connection src = p.src()) {
                    Accounts.create(src, ROWS);
                }
                try (RunningJob job = RunningJob.start(cfg, cluster)) {
                    job.awaitRawRows(dst, Accounts.RAW, ROWS);
                    pair.detachStandbyWhenCaughtUp();
                    try (Connection src = p.src()) {
                        exec(
                                src,
                                "UPDATE public.accounts SET version = version + 1 WHERE id <= 500");
                    }
                    job.awaitRawRows(dst, Accounts.RAW, ROWS + 500);
                    pair.killPrimary();
                    pair.promote();
                    try (Connection sb = pair.standby.connect(p.name)) {
                        exec(
                                sb,
                                "INSERT INTO public.accounts SELECT g, 'after', 0, 0 FROM generate_series("
                                        + (ROWS + 1)
                                        + ", "
                                        + (ROWS + 50)
                                        + ") g");
                    }
                    Poll.until(
                            Duration.ofMinutes(2),
                            () -> "the job to stop",
                            () -> job.status().isGloballyTerminalState());
                    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
                    assertThatThrownBy(job::result)
                            .hasStackTraceContaining(
                                    "replication slot '"
                                            + p.name
                                            + "' does not exist on the source")
                            .hasStackTraceContaining("--fresh");
                    before = TestDatabases.rawRows(dst, Accounts.RAW);
                    assertThat(before).as("nothing loaded past the gap").isEqualTo(ROWS + 500);
                }
                try (RunningJob job = RunningJob.start(cfg, cluster)) {
                    try (Connection src = pair.standby.connect(p.name)) {
                        exec(
                                src,
                                "UPDATE public.accounts SET version = version + 1 WHERE id > 1900");
                    }
                    SnapshotThenStreamITCase.awaitVerified(cfg, job);
                    assertThat(
                                    count(
                                            dst,
                                            "SELECT count(*) FROM raw.public__accounts WHERE _op = 't'"))
                            .as("the rows before the failover end with one t row")
                            .isOne();
                }
            }
        }
    }
}
