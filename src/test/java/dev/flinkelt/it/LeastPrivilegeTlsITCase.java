package dev.flinkelt.it;

import dev.flinkelt.cli.ResnapshotCommand;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.config.TransformSettings.Mode;
import dev.flinkelt.demo.PgServer;
import dev.flinkelt.support.Accounts;
import dev.flinkelt.support.ChangeWriter;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Ledger;
import dev.flinkelt.support.LogCapture;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestCertificates;
import dev.flinkelt.support.TestDatabases;
import dev.flinkelt.transform.TransformRunner;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 23 end to end, as a managed database hands a pipeline its roles: both servers accept only
 * TLS connections with SCRAM passwords, the driver verifies them ({@code sslmode=verify-full}, the
 * CA file); the source role has LOGIN REPLICATION and SELECT and may write nothing; the tables'
 * owner made the publication; the warehouse role owns its schemas (raw, mirror, an output's, the
 * batch staging) and nothing else. No session of the product runs as anyone else. Snapshot, stream,
 * a table created later (captured once the owner adds it), a resnapshot, verify, the exact multiset
 * of raw rows, and the transform as the same warehouse role: streaming, then a batch rebuild.
 */
class LeastPrivilegeTlsITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final int ROWS = 2_000;
    static final String V_COUNTS = "SELECT v, n FROM analytics.v_counts ORDER BY 1";
    static final String V_COUNTS_DIRECT =
            "SELECT v, count(*) FROM public.items GROUP BY v ORDER BY 1";

    /**
     * A server that accepts TLS only: its superuser without a password (test setup), others with
     * SCRAM.
     */
    static PgServer tlsOnly(Map<String, String> settings, TestCertificates certs) throws Exception {
        Map<String, String> s = new HashMap<>(settings);
        s.put("ssl", "on");
        s.put("ssl_cert_file", certs.serverCert().toString());
        s.put("ssl_key_file", certs.serverKey().toString());
        s.put("password_encryption", "scram-sha-256");
        PgServer server = PgServer.start(s);
        try (Connection c = server.connect("postgres")) {
            Path hba = Path.of(rows(c, "SHOW hba_file").get(0));
            Files.writeString(
                    hba,
                    String.join(
                            "\n",
                            "hostssl all " + PgServer.USER + " 127.0.0.1/32 trust",
                            "hostssl all all 127.0.0.1/32 scram-sha-256",
                            ""));
            exec(c, "SELECT pg_reload_conf()");
        }
        Poll.untilAsserted(
                Duration.ofSeconds(30),
                () ->
                        assertThatThrownBy(
                                        () ->
                                                DriverManager.getConnection(
                                                                server.url("postgres")
                                                                        + "?sslmode=disable",
                                                                PgServer.USER,
                                                                "")
                                                        .close())
                                .as("a connection without TLS is refused")
                                .hasMessageContaining("no pg_hba.conf entry"));
        return server;
    }

    static String verified(PgServer server, String db, TestCertificates certs) {
        return server.url(db) + "?sslmode=verify-full&sslrootcert=" + certs.caCert();
    }

    @Test
    void aLeastPrivilegeRoleOnTlsOnlyServersCapturesExactlyThroughTheOwnersPublication(
            @TempDir Path tmp, @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestCertificates certs = TestCertificates.create(tmp.resolve("tls"), "flink-elt test CA");
        try (PgServer source = tlsOnly(PgServer.sourceSettings(), certs);
                PgServer warehouse = tlsOnly(PgServer.warehouseSettings(), certs)) {
            TestDatabases p = new TestDatabases("lptls", source, warehouse);
            String role = "elt_" + p.name;
            try (Connection src = p.src();
                    Connection writerConn = p.src();
                    Connection dst = p.dst();
                    LogCapture log = new LogCapture("lptls")) {
                Ledger accounts = Accounts.create(src, ROWS);
                exec(
                        src,
                        "CREATE TABLE public.items (id int PRIMARY KEY, v text)",
                        "INSERT INTO public.items SELECT g, 'i' || g FROM generate_series(1, 200) g",
                        "CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD 'tls-src-pw'",
                        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
                        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO "
                                + role,
                        "CREATE PUBLICATION "
                                + p.name
                                + " FOR TABLE public.accounts, public.items");
                Ledger items = new Ledger("public.items", "id", "id, v");
                items.expectSnapshot(src);
                exec(
                        dst,
                        "CREATE ROLE " + role + " LOGIN PASSWORD 'tls-dst-pw'",
                        "CREATE SCHEMA raw AUTHORIZATION " + role,
                        "CREATE SCHEMA mirror AUTHORIZATION " + role,
                        "CREATE SCHEMA analytics AUTHORIZATION " + role,
                        "CREATE SCHEMA flink_elt_rebuild AUTHORIZATION " + role);
                Path sqlDir = Files.createDirectories(tmp.resolve("sql"));
                Files.writeString(
                        sqlDir.resolve("10_counts.sql"),
                        String.join(
                                "\n",
                                "CREATE TABLE v_counts (v STRING, n BIGINT, PRIMARY KEY (v) NOT ENFORCED)",
                                "  WITH ('connector' = 'warehouse', 'table-name' = 'analytics.v_counts');",
                                "INSERT INTO v_counts SELECT v, COUNT(*) FROM mirror.public__items GROUP BY v;"));
                String yaml =
                        p.yaml("['public.*']", 2)
                                        .replace(
                                                source.url(p.name), verified(source, p.name, certs))
                                        .replace(
                                                warehouse.url(p.name),
                                                verified(warehouse, p.name, certs))
                                        .replaceFirst(
                                                "username: postgres",
                                                "username: " + role + "\n  password: \\${SRC_PW}")
                                        .replaceFirst(
                                                "username: postgres",
                                                "username: " + role + "\n  password: \\${DST_PW}")
                                + "\ntransform: { sql-dir: '"
                                + sqlDir
                                + "' }";
                Map<String, String> env = Map.of("SRC_PW", "tls-src-pw", "DST_PW", "tls-dst-pw");
                PipelineConfig cfg = PipelineConfig.parse(yaml, env);
                String literal =
                        yaml.replace("${SRC_PW}", "tls-src-pw").replace("${DST_PW}", "tls-dst-pw");

                CheckCommandITCase.Run checked = CheckCommandITCase.check(tmp, literal);
                assertThat(checked.code()).as(checked.out()).isZero();
                assertThat(checked.out().lines())
                        .anyMatch(
                                l ->
                                        l.startsWith("source  ok    TLS (TLSv1.")
                                                && l.endsWith(
                                                        "), server certificate and name verified"))
                        .anyMatch(
                                l ->
                                        l.startsWith("target  ok    TLS (TLSv1.")
                                                && l.endsWith(
                                                        "), server certificate and name verified"));

                // a CA that did not sign the servers' certificates: refused at once, named
                TestCertificates other =
                        TestCertificates.create(tmp.resolve("other"), "another CA");
                CheckCommandITCase.Run wrongCa =
                        CheckCommandITCase.check(
                                tmp,
                                literal.replace(
                                        certs.caCert().toString(), other.caCert().toString()));
                assertThat(wrongCa.code()).as(wrongCa.out()).isEqualTo(2);
                assertThat(wrongCa.out())
                        .contains("source database " + role + "@127.0.0.1:" + source.port())
                        .contains("target database " + role + "@127.0.0.1:" + warehouse.port())
                        .contains("is not reachable")
                        .contains("SSL")
                        .doesNotContain("tls-src-pw");

                try (RunningJob job = RunningJob.start(cfg, cluster)) {
                    job.awaitRawRows(dst, Accounts.RAW, ROWS);
                    job.awaitRawRows(dst, "public__items", 200);
                    ChangeWriter writer =
                            new ChangeWriter(writerConn, accounts, Accounts.TABLE, ROWS);
                    writer.start();
                    exec(src, "UPDATE public.items SET v = 'changed' WHERE id <= 10");
                    items.expectChanges(src, "u", "id <= 10");

                    // every session of the product, on both servers: this role, on TLS
                    for (Connection c : new Connection[] {src, dst}) {
                        assertThat(
                                        rows(
                                                c,
                                                "SELECT a.usename || '|' || s.ssl FROM pg_stat_activity a"
                                                        + " JOIN pg_stat_ssl s USING (pid)"
                                                        + " WHERE a.application_name LIKE 'flink-elt%'"
                                                        + " OR a.usename = '"
                                                        + role
                                                        + "'"))
                                .isNotEmpty()
                                .allMatch(r -> r.equals(role + "|true"));
                    }
                    assertThat(
                                    count(
                                            src,
                                            "SELECT count(*) FROM pg_stat_replication r JOIN pg_stat_ssl s"
                                                    + " USING (pid) WHERE r.usename = '"
                                                    + role
                                                    + "' AND s.ssl"))
                            .as("the change stream: this role's walsender, on TLS")
                            .isOne();

                    // a table created later: the owner must add it, and then it is captured
                    exec(
                            src,
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
                    exec(src, statement, "INSERT INTO public.later VALUES (6, 'after')");
                    job.awaitRawRows(dst, "public__later", 6);

                    // a resnapshot, requested by the same role: a message, no write to any table
                    ByteArrayOutputStream said = new ByteArrayOutputStream();
                    ResnapshotCommand.request(
                            cfg,
                            TableRef.parse("public.items"),
                            new PrintStream(said, true, StandardCharsets.UTF_8));
                    items.expectSnapshot(src);
                    Poll.untilAsserted(
                            Duration.ofMinutes(2),
                            () -> {
                                job.assertRunning();
                                assertThat(
                                                count(
                                                        dst,
                                                        "SELECT count(*) FROM raw.public__items WHERE _op = 'r'"))
                                        .isEqualTo(400);
                            });

                    long changes = writer.finish();
                    Poll.untilAsserted(
                            Duration.ofMinutes(2),
                            () -> {
                                job.assertRunning();
                                accounts.assertRawMatches(dst);
                            });
                    items.assertRawMatches(dst);
                    SnapshotThenStreamITCase.awaitVerified(cfg, job);

                    // the transform, as the same warehouse role: mirrors and an output, streaming,
                    // then a batch rebuild through its staging schema
                    TableResult streaming = TransformRunner.submit(cfg, Mode.STREAMING, -1);
                    try {
                        Poll.untilAsserted(
                                Duration.ofMinutes(2),
                                () -> {
                                    TransformITCase.assertRunning(streaming);
                                    TransformITCase.assertMirror(
                                            src, dst, "mirror", "public", "items");
                                    assertThat(rows(dst, V_COUNTS))
                                            .isEqualTo(rows(src, V_COUNTS_DIRECT));
                                });
                    } finally {
                        TransformITCase.cancel(streaming);
                    }
                    exec(dst, "TRUNCATE mirror.public__items, analytics.v_counts");
                    TransformITCase.runBatch(cfg);
                    TransformITCase.assertMirror(src, dst, "mirror", "public", "items");
                    assertThat(rows(dst, V_COUNTS)).isEqualTo(rows(src, V_COUNTS_DIRECT));
                    System.out.printf(
                            "least privilege on TLS only: %d snapshot rows and %d changes exact, a later table, a resnapshot, the transform%n",
                            ROWS + 200, changes);
                }
                assertThat(
                                rows(
                                        src,
                                        "SELECT coalesce(obj_description(oid, 'pg_publication'), 'none')"
                                                + " FROM pg_publication WHERE pubname = '"
                                                + p.name
                                                + "'"))
                        .as("the owner's publication is left as it was made")
                        .containsExactly("none");
                assertThat(log.text()).doesNotContain("tls-src-pw").doesNotContain("tls-dst-pw");
            }
        }
    }
}
