package dev.flinkelt.it;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.demo.PgServer;
import dev.flinkelt.extractload.ExtractLoadLauncher;
import dev.flinkelt.runtime.Resume;
import dev.flinkelt.runtime.RetainedCheckpoints;
import dev.flinkelt.support.Accounts;
import dev.flinkelt.support.FlinkCluster;
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

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The slot is invalidated while the pipeline is stopped ({@code max_slot_wal_keep_size} exceeded:
 * the server removed WAL the slot still needed, with the changes made meanwhile). The resumed run
 * is refused, naming {@code --fresh}; the fresh start ends each raw table's rows with a {@code t}
 * row and reads the table again, so rows deleted while nothing was captured are gone from the state
 * derived from raw, and {@code verify} passes.
 */
class SlotInvalidationITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 1_000;

    @Test
    void anInvalidatedSlotIsRefusedThenAFreshStartBringsEveryTableBackExact(
            @TempDir Path tmp, @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        Map<String, String> settings = new HashMap<>(PgServer.sourceSettings());
        settings.put("max_slot_wal_keep_size", "1MB");
        try (PgServer source = PgServer.start(settings)) {
            TestDatabases p = new TestDatabases("lostslot", source, TestServers.warehouse());
            PipelineConfig cfg = p.config(Accounts.TABLES, 2);
            String savepoint;
            try (Connection src = p.src();
                    Connection dst = p.dst()) {
                Accounts.create(src, ROWS);
                try (RunningJob job = RunningJob.start(cfg, cluster)) {
                    job.awaitRawRows(dst, Accounts.RAW, ROWS);
                    exec(src, "UPDATE public.accounts SET version = 1 WHERE id <= 100");
                    job.awaitRawRows(dst, Accounts.RAW, ROWS + 100);
                    Poll.untilAsserted(
                            Duration.ofSeconds(30),
                            () ->
                                    assertThat(job.metricSum("Row state", "slotSafeWalBytes"))
                                            .as("WAL the slot may still take before the 1 MB limit")
                                            .isPositive());
                    savepoint = job.stopWithSavepoint(tmp.resolve("savepoints"));
                }
                // while stopped: changes, then WAL enough to pass the limit, and a checkpoint
                exec(
                        src,
                        "DELETE FROM public.accounts WHERE id BETWEEN 201 AND 260",
                        "UPDATE public.accounts SET version = 2 WHERE id BETWEEN 300 AND 350",
                        "INSERT INTO public.accounts SELECT g, 'gap', 0, 0 FROM generate_series(5001, 5040) g");
                for (int i = 0; i < 4; i++) {
                    exec(
                            src,
                            "CREATE TABLE public.filler_"
                                    + i
                                    + " AS SELECT g, md5(g::text) FROM generate_series(1, 20000) g",
                            "SELECT pg_switch_wal()");
                }
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the slot to be invalidated",
                        () -> {
                            exec(src, "CHECKPOINT");
                            return rows(
                                            src,
                                            "SELECT wal_status FROM pg_replication_slots WHERE slot_name = '"
                                                    + p.name
                                                    + "'")
                                    .equals(List.of("lost"));
                        });
                Resume resumed = new Resume(savepoint, RetainedCheckpoints.checkpointId(savepoint));
                assertThatThrownBy(
                                () ->
                                        ExtractLoadLauncher.prepare(
                                                cfg,
                                                resumed,
                                                false,
                                                new PrintStream(OutputStream.nullOutputStream())))
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("was invalidated (wal_status = lost")
                        .hasMessageContaining("--fresh");

                // the documented recovery: a fresh start (a new slot, every table read again)
                try (RunningJob job = RunningJob.start(cfg, cluster)) {
                    exec(
                            src,
                            "UPDATE public.accounts SET version = 3 WHERE id BETWEEN 400 AND 420");
                    SnapshotThenStreamITCase.awaitVerified(cfg, job);
                    assertThat(
                                    count(
                                            dst,
                                            "SELECT count(*) FROM raw.public__accounts WHERE _op = 't'"))
                            .as("the rows of the lost slot end with one t row")
                            .isOne();
                    assertThat(
                                    count(
                                            dst,
                                            "SELECT count(*) FROM raw.public__accounts WHERE _op = 'r'"))
                            .as("two generations of snapshot rows")
                            .isEqualTo(ROWS + ROWS - 60 + 40);
                }
            }
        }
    }
}
