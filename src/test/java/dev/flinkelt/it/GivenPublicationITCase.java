package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.LogCapture;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.support.TestServers;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A source as managed databases hand it out (issue 23): the pipeline's role has only LOGIN
 * REPLICATION and SELECT, and the tables' owner made the publication. The pipeline reads through it
 * without changing it; a table created later, which this role may not add, is named in one warning
 * with the owner's statement and captured once the owner has run it. The warehouse role owns its
 * raw schema and nothing else.
 */
class GivenPublicationITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    @Test
    void aPublicationTheOwnerMadeIsReadAsItIsAndALaterTableIsCapturedOnceTheOwnerAddsIt(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("givenpub");
        String role = "elt_" + p.name;
        try (Connection src = p.src();
                Connection dst = p.dst();
                LogCapture log = new LogCapture("givenpub")) {
            exec(
                    src,
                    "CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                    "CREATE TABLE public.accounts (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.items SELECT g, 'i' || g FROM generate_series(1, 20) g",
                    "INSERT INTO public.accounts SELECT g, 'a' || g FROM generate_series(1, 20) g",
                    "CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD 'given-pw'",
                    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO " + role,
                    // the owner's publication: exactly the tables, its own options
                    "CREATE PUBLICATION " + p.name + " FOR TABLE public.items, public.accounts");
            // the warehouse role owns its schema and nothing else (no CREATE on the database)
            exec(
                    dst,
                    "CREATE ROLE " + role + " LOGIN PASSWORD 'wh-pw'",
                    "CREATE SCHEMA raw AUTHORIZATION " + role);
            String yaml =
                    p.yaml("['public.*']", 2)
                            .replaceFirst(
                                    "username: postgres",
                                    "username: " + role + "\n  password: \\${SRC_PW}")
                            .replaceFirst(
                                    "username: postgres",
                                    "username: " + role + "\n  password: \\${DST_PW}");
            PipelineConfig cfg =
                    PipelineConfig.parse(yaml, Map.of("SRC_PW", "given-pw", "DST_PW", "wh-pw"));
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                job.awaitRawRows(dst, "public__items", 20);
                job.awaitRawRows(dst, "public__accounts", 20);
                exec(
                        src,
                        "UPDATE public.items SET v = 'changed' WHERE id <= 5",
                        "DELETE FROM public.accounts WHERE id = 7",
                        "CREATE TABLE public.later (id int PRIMARY KEY, v text)",
                        "INSERT INTO public.later SELECT g, 'l' || g FROM generate_series(1, 5) g");
                String statement =
                        "BEGIN; LOCK TABLE \"public\".\"later\" IN SHARE MODE; ALTER PUBLICATION \""
                                + p.name
                                + "\" ADD TABLE \"public\".\"later\"; COMMIT;";
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the warning naming the owner's statement",
                        () -> {
                            job.assertRunning();
                            return log.text().contains(statement);
                        });
                exec(src, statement);
                exec(src, "INSERT INTO public.later VALUES (6, 'after')");
                Poll.untilAsserted(
                        Duration.ofMinutes(2),
                        () -> {
                            job.assertRunning();
                            SnapshotThenStreamITCase.Verified v =
                                    SnapshotThenStreamITCase.verify(cfg);
                            assertThat(v.ok()).as(v.output()).isTrue();
                            assertThat(
                                            count(
                                                    dst,
                                                    "SELECT count(DISTINCT id) FROM raw.public__later"))
                                    .isEqualTo(6);
                        });
            }
            assertThat(
                            rows(
                                    src,
                                    "SELECT pubviaroot::text || '|' || coalesce(obj_description(oid, 'pg_publication'), 'none')"
                                            + " FROM pg_publication WHERE pubname = '"
                                            + p.name
                                            + "'"))
                    .as("the owner's publication keeps its options and gets no comment")
                    .containsExactly("false|none");
            assertThat(
                            rows(
                                    src,
                                    "SELECT tablename FROM pg_publication_tables WHERE pubname = '"
                                            + p.name
                                            + "' ORDER BY 1"))
                    .containsExactly("accounts", "items", "later");
            assertThat(
                            log.text()
                                    .lines()
                                    .filter(l -> l.contains("ADD TABLE \"public\".\"later\""))
                                    .count())
                    .as("one warning for the table")
                    .isEqualTo(1);
            assertThat(log.text()).doesNotContain("given-pw").doesNotContain("wh-pw");
        }
    }

    /**
     * A publication of a whole schema (PostgreSQL 15 on): a table created there later is in it at
     * once and is captured with a snapshot, nothing asked of the owner.
     */
    @Test
    void aSchemaPublicationCoversALaterTableWhichIsCapturedWithASnapshot(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p =
                new TestDatabases("givenschema", TestServers.source18(), TestServers.warehouse());
        String role = "elt_" + p.name;
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE SCHEMA app",
                    "CREATE TABLE app.items (id int PRIMARY KEY, v text)",
                    "INSERT INTO app.items SELECT g, 'i' || g FROM generate_series(1, 20) g",
                    "CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD 'given-pw'",
                    "GRANT USAGE ON SCHEMA app TO " + role,
                    "GRANT SELECT ON ALL TABLES IN SCHEMA app TO " + role,
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO " + role,
                    "CREATE PUBLICATION " + p.name + " FOR TABLES IN SCHEMA app");
            String yaml =
                    p.yaml("['app.*']", 2)
                            .replaceFirst(
                                    "username: postgres",
                                    "username: " + role + "\n  password: \\${SRC_PW}");
            PipelineConfig cfg = PipelineConfig.parse(yaml, Map.of("SRC_PW", "given-pw"));
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                job.awaitRawRows(dst, "app__items", 20);
                exec(
                        src,
                        "CREATE TABLE app.later (id int PRIMARY KEY, v text)",
                        "INSERT INTO app.later SELECT g, 'l' || g FROM generate_series(1, 5) g",
                        "UPDATE app.items SET v = 'changed' WHERE id <= 5");
                Poll.untilAsserted(
                        Duration.ofMinutes(2),
                        () -> {
                            job.assertRunning();
                            SnapshotThenStreamITCase.Verified v =
                                    SnapshotThenStreamITCase.verify(cfg);
                            assertThat(v.ok()).as(v.output()).isTrue();
                            assertThat(count(dst, "SELECT count(DISTINCT id) FROM raw.app__later"))
                                    .isEqualTo(5);
                        });
            }
            assertThat(
                            rows(
                                    src,
                                    "SELECT puballtables::text || '|' || coalesce(obj_description(oid, 'pg_publication'), 'none')"
                                            + " FROM pg_publication WHERE pubname = '"
                                            + p.name
                                            + "'"))
                    .containsExactly("false|none");
        }
    }

    /**
     * What the pipeline cannot do without, in a publication it may not change, refuses the start
     * with the statement for the owner: every operation published, and a partitioned table
     * published as itself.
     */
    @Test
    void aGivenPublicationLackingWhatThePipelineNeedsRefusesTheStartWithTheOwnersStatement()
            throws Exception {
        TestDatabases p = new TestDatabases("givenrefused");
        String role = "elt_" + p.name;
        try (Connection src = p.src()) {
            exec(
                    src,
                    "CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                    "CREATE TABLE public.parts (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                    "CREATE TABLE public.parts_2024 PARTITION OF public.parts FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                    "CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD 'given-pw'",
                    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
                    "CREATE PUBLICATION "
                            + p.name
                            + " FOR TABLE public.items, public.parts WITH (publish = 'insert, update')");
        }
        String yaml =
                p.yaml("[public.items, public.parts]", 1)
                        .replaceFirst(
                                "username: postgres",
                                "username: " + role + "\n  password: \\${SRC_PW}");
        PipelineConfig cfg = PipelineConfig.parse(yaml, Map.of("SRC_PW", "given-pw"));
        assertThat(PreconditionsITCase.prepareFails(cfg).getMessage())
                .contains("publishes no delete, truncate")
                .contains(
                        "ALTER PUBLICATION \""
                                + p.name
                                + "\" SET (publish = 'insert, update, delete, truncate')")
                .doesNotContain("given-pw");
        try (Connection src = p.src()) {
            exec(
                    src,
                    "ALTER PUBLICATION "
                            + p.name
                            + " SET (publish = 'insert, update, delete, truncate')");
        }
        assertThat(PreconditionsITCase.prepareFails(cfg).getMessage())
                .contains("partitioned table public.parts")
                .contains(
                        "ALTER PUBLICATION \""
                                + p.name
                                + "\" SET (publish_via_partition_root = true)");
    }
}
