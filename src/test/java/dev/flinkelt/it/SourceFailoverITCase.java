package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.demo.PgServer;
import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.support.Accounts;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.support.TestServers;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void aPromotedStandbyKeepsTheFailoverSlotAndThePipelineGoesOnExactlyWithoutANewSnapshot(
            @TempDir Path tmp, @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        Path binaries = Path.of(System.getProperty("pg18.binaries"));
        int primaryPort = JobEnvironment.freePort();
        int standbyPort = JobEnvironment.freePort();
        Path primaryDir = tmp.resolve("primary");
        Path standbyDir = tmp.resolve("standby");
        Map<String, String> settings = new HashMap<>(PgServer.sourceSettings());
        PgServer primary = PgServer.startRestartable(settings, primaryDir, primaryPort, binaries);
        try (Connection c = primary.connect("postgres")) {
            exec(
                    c,
                    "SELECT pg_create_physical_replication_slot('standby1', true)",
                    // the pipeline never gets a change the standby has not received
                    "ALTER SYSTEM SET synchronized_standby_slots = 'standby1'");
        }
        // a copy of the cleanly stopped primary is the standby's starting point
        primary.close();
        copy(primaryDir, standbyDir);
        // PostgreSQL refuses a data directory others may read
        Files.setPosixFilePermissions(standbyDir, PosixFilePermissions.fromString("rwx------"));
        Files.createFile(standbyDir.resolve("standby.signal"));
        Files.writeString(
                standbyDir.resolve("postgresql.auto.conf"),
                String.join(
                        "\n",
                        "",
                        "primary_conninfo = 'host=127.0.0.1 port="
                                + primaryPort
                                + " user=postgres dbname=postgres'",
                        "primary_slot_name = 'standby1'",
                        "hot_standby_feedback = on",
                        "sync_replication_slots = on",
                        // the primary's, copied: once promoted, no standby of its own to wait for
                        "synchronized_standby_slots = ''",
                        ""),
                StandardOpenOption.APPEND);
        primary = PgServer.startRestartable(settings, primaryDir, primaryPort, binaries);
        PgServer standby = PgServer.startRestartable(settings, standbyDir, standbyPort, binaries);
        try {
            TestDatabases p = new TestDatabases("failover", primary, TestServers.warehouse());
            String both =
                    "jdbc:postgresql://127.0.0.1:"
                            + primaryPort
                            + ",127.0.0.1:"
                            + standbyPort
                            + "/"
                            + p.name
                            + "?targetServerType=primary";
            String yaml = p.yaml(Accounts.TABLES, 2).replace(primary.url(p.name), both);
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
            try (Connection dst = p.dst();
                    RunningJob job = RunningJob.start(cfg, cluster)) {
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
                // changes the standby has received and the pipeline maybe not yet: then SIGKILL
                String lsn;
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
                    lsn = rows(src, "SELECT pg_current_wal_lsn()").get(0);
                }
                try (Connection sb = standby.connect(p.name)) {
                    Poll.until(
                            Duration.ofMinutes(1),
                            () -> "the standby to replay " + lsn,
                            () ->
                                    rows(sb, "SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'")
                                            .equals(List.of("t")));
                }
                long pid =
                        Long.parseLong(
                                Files.readAllLines(primaryDir.resolve("postmaster.pid")).get(0));
                ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
                postmaster.destroyForcibly();
                postmaster.onExit().get();
                long killed = System.nanoTime();
                try (Connection sb = standby.connect(p.name)) {
                    exec(sb, "SELECT pg_promote()");
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
                Poll.untilAsserted(
                        Duration.ofMinutes(2),
                        () -> {
                            job.assertRunning();
                            ledger.assertRawMatches(dst);
                        });
                double downtime = (System.nanoTime() - killed) / 1e9;
                assertThat(count(dst, "SELECT count(*) FROM raw.public__accounts WHERE _op = 'r'"))
                        .as("no new snapshot")
                        .isEqualTo(ROWS);
                SnapshotThenStreamITCase.awaitVerified(cfg, job);
                System.out.printf(
                        "source failover: primary SIGKILLed, standby promoted; every change in raw exactly once %.1f s after the kill, no new snapshot%n",
                        downtime);
            }
        } finally {
            standby.close();
            try {
                primary.close();
            } catch (IOException | RuntimeException e) {
                // killed above: nothing left to stop
            }
        }
    }

    /** The data directory without what belongs to the running or last process. */
    static void copy(Path from, Path to) throws IOException {
        Set<String> skip = Set.of("postmaster.pid", "postmaster.opts", "epg-lock");
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!skip.contains(f.getFileName().toString())) {
                    Files.copy(f, target);
                }
            }
        }
    }
}
