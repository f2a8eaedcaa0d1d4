package dev.flinkelt.it;

import dev.flinkelt.cli.Main;
import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extractload.ExtractLoadLauncher;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.support.TestServers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flink-elt check}: every precondition of both servers in one report, a line with its fix
 * for each that fails, exit 0 when the pipeline can start and 2 otherwise; and a start of
 * extract-load refuses with all the failures at once. Run as roles a managed database hands out.
 */
class CheckCommandITCase {
    record Run(int code, String out) {}

    static Run check(Path dir, String yaml) throws Exception {
        Path cfg = dir.resolve("pipeline.yaml");
        Files.writeString(cfg, yaml);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Main.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "check",
                        "--config",
                        cfg.toString());
        return new Run(code, out + err.toString());
    }

    /** The yaml of {@code p} with {@code role} on both servers, passwords from the environment. */
    static String asRole(TestDatabases p, String tables, String role) {
        return p.yaml(tables, 2)
                .replaceFirst(
                        "username: postgres", "username: " + role + "\n  password: \\${SRC_PW}")
                .replaceFirst(
                        "username: postgres", "username: " + role + "\n  password: \\${DST_PW}");
    }

    @Test
    void aSuperuserPipelineCanStart(@TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("chkok");
        try (Connection src = p.src()) {
            exec(src, "CREATE TABLE public.items (id int PRIMARY KEY, v text)");
        }
        Run r = check(tmp, p.yaml("[public.items]", 2));
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out())
                .contains("ok    wal_level = logical")
                .contains("may replicate")
                .contains("1 captured table(s), each readable")
                .contains("max_prepared_transactions")
                .contains("schema \"raw\" (raw tables) is made at the first start")
                .contains("the connection is not encrypted")
                .contains("check: the pipeline can start")
                .doesNotContain("FAIL");
        try (Connection src = p.src()) {
            assertThat(
                            rows(
                                    src,
                                    "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                                            + p.name
                                            + "'"))
                    .as("check changes nothing: no slot")
                    .containsExactly("0");
            assertThat(
                            rows(
                                    src,
                                    "SELECT count(*) FROM pg_publication WHERE pubname = '"
                                            + p.name
                                            + "'"))
                    .as("and no publication")
                    .containsExactly("0");
        }
    }

    /**
     * PostgreSQL 17 on, a slot named in synchronized_standby_slots that no standby streams through
     * holds every logical stream of the server: check says so, and how to fix it.
     */
    @Test
    void aStandbySlotThatHoldsTheStreamIsWarnedAbout(@TempDir Path tmp) throws Exception {
        TestDatabases p =
                new TestDatabases("chkghost", TestServers.source18(), TestServers.warehouse());
        try (Connection src = p.src()) {
            exec(
                    src,
                    "CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                    "SELECT pg_create_physical_replication_slot('chkghost_standby')",
                    "ALTER SYSTEM SET synchronized_standby_slots = 'chkghost_standby'",
                    "SELECT pg_reload_conf()");
            try {
                Poll.until(
                        Duration.ofSeconds(30),
                        () -> "the setting to be loaded",
                        () ->
                                rows(src, "SHOW synchronized_standby_slots")
                                        .equals(List.of("chkghost_standby")));
                Run r = check(tmp, p.yaml("[public.items]", 2));
                assertThat(r.code()).as(r.out()).isZero();
                assertThat(r.out())
                        .contains(
                                "synchronized_standby_slots names 'chkghost_standby', but no standby streams through that slot")
                        .contains("remove the slot from synchronized_standby_slots");
            } finally {
                // the shared server's other pipelines must not wait for it
                exec(
                        src,
                        "ALTER SYSTEM RESET synchronized_standby_slots",
                        "SELECT pg_reload_conf()",
                        "SELECT pg_drop_replication_slot('chkghost_standby')");
            }
        }
    }

    /**
     * With signals in a table (sources before PostgreSQL 14): passes before the first start, and
     * again once the start made slot, publication and signal table; another pipeline reusing the
     * publication's name fails.
     */
    @Test
    void aPipelineWithASignalTablePassesBeforeAndAfterItsStartAndAnotherPipelineIsTold(
            @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("chkagain");
        try (Connection src = p.src()) {
            exec(src, "CREATE TABLE public.items (id int PRIMARY KEY, v text)");
        }
        String yaml =
                p.yaml("[public.items]", 1)
                        .replace("  slot: " + p.name, "  slot: " + p.name + "\n  signals: table");
        Run before = check(tmp, yaml);
        assertThat(before.code()).as(before.out()).isZero();
        assertThat(before.out())
                .contains("signal table public.flink_elt_signal is made at the first start");
        ExtractLoadLauncher.prepare(PipelineConfig.parse(yaml, Map.of()));
        try {
            Run after = check(tmp, yaml);
            assertThat(after.code()).as(after.out()).isZero();
            assertThat(after.out())
                    .contains("signal table public.flink_elt_signal is writable")
                    .contains("publication '" + p.name + "' is flink-elt's");
            Run other = check(tmp, yaml.replace("  slot: " + p.name, "  slot: other_" + p.name));
            assertThat(other.code()).as(other.out()).isEqualTo(2);
            assertThat(other.out())
                    .contains("publication '" + p.name + "' belongs to another flink-elt pipeline");
        } finally {
            try (Connection src = p.src()) {
                exec(src, "SELECT pg_drop_replication_slot('" + p.name + "')");
            }
        }
    }

    @Test
    void everyMissingGrantIsOneLineWithItsFixAndTheStartRefusesWithAllOfThem(@TempDir Path tmp)
            throws Exception {
        TestDatabases p = new TestDatabases("chkbad");
        String role = "elt_" + p.name;
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE EXTENSION IF NOT EXISTS citext",
                    "CREATE TYPE public.mood AS ENUM ('sad', 'ok')",
                    "CREATE TABLE public.items (id int PRIMARY KEY, m public.mood, c citext)",
                    "CREATE TABLE public.secret (id int PRIMARY KEY, v text)",
                    "CREATE TABLE public.events (at timestamptz, what text)",
                    // no REPLICATION, not the tables' owner, no publication made for it
                    "CREATE ROLE " + role + " LOGIN PASSWORD 'chk-src-pw'",
                    "GRANT SELECT ON public.items, public.events TO " + role);
            // a warehouse role with no schema and no CREATE anywhere (as PostgreSQL 15 has public)
            exec(
                    dst,
                    "CREATE ROLE " + role + " LOGIN PASSWORD 'chk-dst-pw'",
                    "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        }
        String yaml = asRole(p, "['public.*']", role);
        Run r =
                check(
                        tmp,
                        yaml.replace("${SRC_PW}", "chk-src-pw").replace("${DST_PW}", "chk-dst-pw"));
        assertThat(r.code()).as(r.out()).isEqualTo(2);
        assertThat(r.out().lines().filter(l -> l.startsWith("source  FAIL")))
                .as(r.out())
                .anyMatch(
                        l ->
                                l.contains("lacks the REPLICATION privilege")
                                        && l.contains(
                                                "ALTER ROLE \"" + role + "\" WITH REPLICATION")
                                        && l.contains("GRANT rds_replication"))
                .anyMatch(
                        l ->
                                l.contains(
                                        "GRANT SELECT ON \"public\".\"secret\" TO \""
                                                + role
                                                + "\""))
                .anyMatch(
                        l ->
                                l.contains("publication '" + p.name + "' does not exist")
                                        && l.contains(
                                                "CREATE PUBLICATION \"" + p.name + "\" FOR TABLE"));
        assertThat(r.out().lines().filter(l -> l.startsWith("source  WARN")))
                .anyMatch(
                        l ->
                                l.contains("\"public\".\"events\"")
                                        && l.contains("REPLICA IDENTITY FULL"));
        assertThat(r.out().lines().filter(l -> l.startsWith("target  FAIL")))
                .as(r.out())
                .anyMatch(l -> l.contains("CREATE SCHEMA \"raw\" AUTHORIZATION \"" + role + "\""))
                .anyMatch(l -> l.contains("CREATE EXTENSION IF NOT EXISTS \"citext\""))
                .anyMatch(l -> l.contains("CREATE TYPE \"public\".\"mood\" AS ENUM ('sad', 'ok')"));
        assertThat(r.out())
                .contains("problem(s) to fix before the pipeline can start")
                .doesNotContain("chk-src-pw")
                .doesNotContain("chk-dst-pw");

        // extract-load: the same failures, all in one refusal
        ConfigException e =
                PreconditionsITCase.prepareFails(
                        PipelineConfig.parse(
                                yaml, Map.of("SRC_PW", "chk-src-pw", "DST_PW", "chk-dst-pw")));
        assertThat(e.getMessage())
                .contains("problems stop the pipeline from starting")
                .contains("WITH REPLICATION")
                .contains("GRANT SELECT ON \"public\".\"secret\"")
                .contains("CREATE SCHEMA \"raw\" AUTHORIZATION")
                .contains("CREATE EXTENSION IF NOT EXISTS \"citext\"")
                .doesNotContain("chk-src-pw");
    }

    @Test
    void aLeastPrivilegePipelineWithTheOwnersPublicationCanStartAndIsToldWhatTheOwnerMustAdd(
            @TempDir Path tmp) throws Exception {
        TestDatabases p = new TestDatabases("chkgiven");
        String role = "elt_" + p.name;
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                    "CREATE TABLE public.later (id int PRIMARY KEY, v text)",
                    "CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD 'g-src-pw'",
                    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
                    "CREATE PUBLICATION " + p.name + " FOR TABLE public.items");
            exec(
                    dst,
                    "CREATE ROLE " + role + " LOGIN PASSWORD 'g-dst-pw'",
                    "CREATE SCHEMA raw AUTHORIZATION " + role,
                    "CREATE SCHEMA mirror AUTHORIZATION " + role);
        }
        Run r =
                check(
                        tmp,
                        asRole(p, "['public.*']", role)
                                .replace("${SRC_PW}", "g-src-pw")
                                .replace("${DST_PW}", "g-dst-pw"));
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out())
                .contains(
                        "publication '"
                                + p.name
                                + "' (made by its owner) carries 1 of 2 captured table(s)")
                .contains(
                        "once its owner runs: BEGIN; LOCK TABLE \"public\".\"later\" IN SHARE MODE;"
                                + " ALTER PUBLICATION \""
                                + p.name
                                + "\" ADD TABLE \"public\".\"later\"; COMMIT;")
                .contains("schema \"raw\" (raw tables) is this role's")
                .contains("schema \"mirror\" (the transform's mirror tables) is this role's")
                .contains("check: the pipeline can start");

        // the owner's publication lacks deletes: that loses changes, so it fails with the statement
        try (Connection src = p.src()) {
            exec(
                    src,
                    "ALTER PUBLICATION " + p.name + " SET (publish = 'insert, update, truncate')");
        }
        Run lacking =
                check(
                        tmp,
                        asRole(p, "['public.*']", role)
                                .replace("${SRC_PW}", "g-src-pw")
                                .replace("${DST_PW}", "g-dst-pw"));
        assertThat(lacking.code()).as(lacking.out()).isEqualTo(2);
        assertThat(lacking.out())
                .contains("publishes no delete")
                .contains(
                        "ALTER PUBLICATION \""
                                + p.name
                                + "\" SET (publish = 'insert, update, delete, truncate')");
    }
}
