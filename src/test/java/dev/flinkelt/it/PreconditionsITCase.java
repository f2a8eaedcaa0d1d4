package dev.flinkelt.it;

import dev.flinkelt.cli.Main;
import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.demo.PgServer;
import dev.flinkelt.extractload.ExtractLoadLauncher;
import dev.flinkelt.runtime.Resume;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.support.TestServers;
import dev.flinkelt.track.SourcePreparer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;

import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every start-time check fails with a message that names the problem and the fix, before any job
 * runs.
 */
class PreconditionsITCase {

    static ConfigException prepareFails(PipelineConfig cfg) {
        try {
            ExtractLoadLauncher.prepare(cfg);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("prepare() accepted a config it should refuse");
    }

    @Test
    void sourceWithoutLogicalWalLevelIsRefusedWithTheSetting() throws Exception {
        try (PgServer replica = PgServer.start(Map.of("wal_level", "replica"))) {
            TestDatabases p = new TestDatabases("walrep");
            String yaml =
                    p.yaml("[public.t]", 1).replace(p.source.url(p.name), replica.url("postgres"));
            ConfigException e = prepareFails(PipelineConfig.parse(yaml, Map.of()));
            assertThat(e.getMessage())
                    .contains("wal_level = replica")
                    .contains("ALTER SYSTEM SET wal_level = logical")
                    .contains("restart");
        }
    }

    @Test
    void userWithoutReplicationPrivilegeIsRefusedAndPasswordIsNotShown() throws Exception {
        TestDatabases p = new TestDatabases("norepl");
        try (Connection src = p.src()) {
            exec(src, "CREATE ROLE elt_reader_" + p.name + " LOGIN PASSWORD 's3cret-pw'");
        }
        String yaml =
                p.yaml("[public.t]", 1)
                        .replaceFirst(
                                "username: postgres",
                                "username: elt_reader_" + p.name + "\n  password: \\${SRC_PW}");
        ConfigException e = prepareFails(PipelineConfig.parse(yaml, Map.of("SRC_PW", "s3cret-pw")));
        assertThat(e.getMessage())
                .contains("lacks the REPLICATION privilege")
                .contains("WITH REPLICATION")
                .doesNotContain("s3cret-pw");
    }

    @Test
    void missingTableIsNamed() throws Exception {
        TestDatabases p = new TestDatabases("missing");
        ConfigException e = prepareFails(p.config("[public.nope]", 1));
        assertThat(e.getMessage()).contains("public.nope").contains("does not exist");
        ConfigException pattern = prepareFails(p.config("['nosuchschema.*']", 1));
        assertThat(pattern.getMessage()).contains("nosuchschema.*").contains("matches no table");
    }

    /**
     * A run that resumes from a checkpoint and finds no slot (a failover to a server it was not
     * synced to, a dropped slot) stops: a new slot would start at the current position and skip the
     * changes in between without a word.
     */
    @Test
    void aResumedRunWhoseSlotIsGoneIsRefusedNamingFresh() throws Exception {
        TestDatabases p = new TestDatabases("noslot");
        try (Connection src = p.src()) {
            exec(src, "CREATE TABLE public.t (id int PRIMARY KEY)");
        }
        PipelineConfig cfg = p.config("[public.t]", 1);
        Resume resumed = new Resume("file:///checkpoints/chk-7", OptionalLong.of(7));
        assertThatThrownBy(
                        () ->
                                ExtractLoadLauncher.prepare(
                                        cfg,
                                        resumed,
                                        false,
                                        new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "replication slot '" + p.name + "' does not exist, but this run resumes")
                .hasMessageContaining("--fresh");
        try (Connection src = p.src()) {
            assertThat(
                            rows(
                                    src,
                                    "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                                            + p.name
                                            + "'"))
                    .as("no slot was made")
                    .containsExactly("0");
        }
        // a fresh start makes it
        ExtractLoadLauncher.prepare(cfg);
        try (Connection src = p.src()) {
            assertThat(
                            rows(
                                    src,
                                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                                            + " WHERE slot_name = '"
                                            + p.name
                                            + "'"))
                    .hasSize(1);
        }
    }

    @Test
    void activeSlotIsRefusedWithItsUser() throws Exception {
        TestDatabases p = new TestDatabases("active");
        try (Connection src = p.src()) {
            exec(
                    src,
                    "CREATE TABLE public.t (id int PRIMARY KEY)",
                    "CREATE PUBLICATION other_pub FOR TABLE public.t",
                    "SELECT pg_create_logical_replication_slot('" + p.name + "', 'pgoutput')");
        }
        Properties props = new Properties();
        PGProperty.USER.set(props, PgServer.USER);
        PGProperty.REPLICATION.set(props, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        try (Connection repl = DriverManager.getConnection(p.source.url(p.name), props);
                PGReplicationStream stream =
                        repl.unwrap(PGConnection.class)
                                .getReplicationAPI()
                                .replicationStream()
                                .logical()
                                .withSlotName(p.name)
                                .withSlotOption("proto_version", 1)
                                .withSlotOption("publication_names", "other_pub")
                                .start()) {
            ConfigException e = prepareFails(p.config("[public.t]", 1));
            assertThat(e.getMessage())
                    .contains("replication slot '" + p.name + "' is active")
                    .contains("its own source.slot");
        }
    }

    @Test
    void warehouseWithoutPreparedTransactionsIsRefused() throws Exception {
        TestDatabases p = new TestDatabases("noprep");
        try (Connection src = p.src()) {
            exec(src, "CREATE TABLE public.t (id int PRIMARY KEY)");
        }
        // the source server has max_prepared_transactions = 0: use it as the warehouse
        String yaml =
                p.yaml("[public.t]", 1).replace(p.warehouse.url(p.name), p.source.url(p.name));
        ConfigException e = prepareFails(PipelineConfig.parse(yaml, Map.of()));
        assertThat(e.getMessage())
                .contains("max_prepared_transactions = 0")
                .contains("ALTER SYSTEM SET max_prepared_transactions");
    }

    @Test
    void warehouseWithTooFewFreeConnectionsIsRefusedWhateverTheTableCount() throws Exception {
        // 11 connections, 3 reserved for superusers, 1 for the check itself: 7 free, and
        // parallelism 3 needs 19
        Map<String, String> settings = new HashMap<>(PgServer.warehouseSettings());
        settings.put("max_connections", "11");
        try (PgServer small = PgServer.start(settings)) {
            TestDatabases p = new TestDatabases("fewconn", TestServers.source(), small);
            try (Connection src = p.src()) {
                exec(src, "CREATE TABLE public.t (id int PRIMARY KEY)");
            }
            ConfigException e = prepareFails(p.config("[public.t]", 3));
            assertThat(e.getMessage())
                    .contains("target server has 7 free connection(s)")
                    .contains("the pipeline needs 19 at parallelism 3")
                    .contains("raise max_connections");
            ExtractLoadLauncher.prepare(p.config("[public.t]", 1)); // 7 are enough at parallelism 1
        }
    }

    @Test
    void unreachableWarehouseIsNamedWithoutCredentials() throws Exception {
        TestDatabases p = new TestDatabases("unreach");
        try (Connection src = p.src()) {
            exec(src, "CREATE TABLE public.t (id int PRIMARY KEY)");
        }
        String yaml =
                p.yaml("[public.t]", 1)
                        .replace(p.warehouse.url(p.name), "jdbc:postgresql://127.0.0.1:1/warehouse")
                        .replaceFirst(
                                "(target:\\n  url: .*\\n  username: postgres)",
                                "$1\n  password: hunter2-secret");
        ConfigException e = prepareFails(PipelineConfig.parse(yaml, Map.of()));
        assertThat(e.getMessage())
                .contains("target database postgres@127.0.0.1:1/warehouse is not reachable")
                .contains("target.url")
                .doesNotContain("hunter2-secret");
    }

    @Test
    void aTableWithoutAReplicaIdentityIsPublishedForInsertsOnlySoItsUpdatesStillWork()
            throws Exception {
        TestDatabases p = new TestDatabases("nopk");
        try (Connection src = p.src()) {
            exec(
                    src,
                    "CREATE TABLE public.events (a int, b text)",
                    "CREATE TABLE public.\"odd.name \"\"%\" (id int PRIMARY KEY)");
            String withKey =
                    p.yaml("[public.events, 'public.\"odd.name \"\"%\"']", 1)
                            .replace("  slot:", "  key-columns: { public.events: [a] }\n  slot:");
            SourcePreparer.Result r =
                    ExtractLoadLauncher.prepare(PipelineConfig.parse(withKey, Map.of()));
            assertThat(r.tables())
                    .extracting(t -> t.ref().table() + " " + t.keyColumns() + " " + t.insertOnly())
                    .containsExactly("events [a] true", "odd.name \"% [id] false");
            assertThat(
                            rows(
                                    src,
                                    "SELECT p.pubname || ' ' || p.pubupdate || ' ' || t.tablename FROM pg_publication p"
                                            + " JOIN pg_publication_tables t USING (pubname) WHERE p.pubname LIKE '"
                                            + p.name
                                            + "%' ORDER BY 1"))
                    .containsExactly(
                            p.name + " true odd.name \"%", p.name + "_inserts false events");
            // PostgreSQL refuses UPDATE and DELETE on a table without a replica identity that
            // publishes them: this one does not, so the application's statements go on
            exec(
                    src,
                    "INSERT INTO public.events VALUES (1, 'x')",
                    "UPDATE public.events SET b = 'y'",
                    "DELETE FROM public.events");
        }
    }

    @Test
    void cliExitsNonZeroWithTheMessage(@TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("cli");
        Path cfg = tmp.resolve("pipeline.yaml");
        Files.writeString(cfg, p.yaml("[public.absent]", 1));
        StringWriter err = new StringWriter();
        int code =
                Main.run(
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err, true),
                        "extract-load",
                        "--config",
                        cfg.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("error: source table public.absent does not exist");
        Files.writeString(
                cfg, p.yaml("[public.absent]", 1).replace("slot: " + p.name, "slot: MySlot"));
        StringWriter err2 = new StringWriter();
        assertThat(
                        Main.run(
                                new PrintWriter(new StringWriter()),
                                new PrintWriter(err2, true),
                                "verify",
                                "--config",
                                cfg.toString()))
                .isEqualTo(2);
        assertThat(err2.toString())
                .contains("source.slot 'MySlot' is not a usable replication slot name")
                .contains("myslot");
    }
}
