package dev.flinkelt.it;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;

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
import java.util.List;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypeRoundTripITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static String ddl(String name) throws IOException {
        try (InputStream in = TypeRoundTripITCase.class.getResourceAsStream("/ddl/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyTypeFamilyRoundTripsExactlyThroughSnapshotAndStream(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("types");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(src, ddl("types.sql"));
            PipelineConfig cfg = p.config("[public.all_types]", 1);
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "snapshot rows",
                        () -> {
                            job.assertRunning();
                            return count(dst, "SELECT count(*) FROM raw.public__all_types") == 7;
                        });
                // snapshot rows are exact in every column, NaN, infinities, 24:00, microseconds and
                // BC included
                String snapshotSql = "SELECT id, t::text FROM %s t ORDER BY id";
                String rawSnapshotSql =
                        "SELECT id, " + columns(src) + "::text FROM %s t ORDER BY id";
                assertThat(rows(dst, String.format(rawSnapshotSql, "raw.public__all_types")))
                        .isEqualTo(rows(src, String.format(snapshotSql, "public.all_types")))
                        .hasSize(7);
                exec(src, ddl("types_stream.sql"));
                exec(src, ddl("types_stream_dates.sql"));
                // the raw table has the same column types as the source
                String typesSql =
                        "SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = '%s'::regclass"
                                + " AND a.attnum > 0 AND NOT a.attisdropped AND a.attname NOT LIKE '\\_%%' ORDER BY a.attnum";
                assertThat(rows(dst, String.format(typesSql, "raw.public__all_types")))
                        .isEqualTo(rows(src, String.format(typesSql, "public.all_types")));

                String srcRows = "SELECT id, t::text FROM public.all_types t ORDER BY id";
                String derived =
                        "SELECT id, ("
                                + columns(src)
                                + ")::text FROM (SELECT DISTINCT ON (id) * FROM raw.public__all_types"
                                + " ORDER BY id, _lsn DESC, _seq DESC) d WHERE _op <> 'd' ORDER BY id";
                List<String> expected = rows(src, srcRows);
                Poll.untilAsserted(
                        Duration.ofMinutes(1),
                        () -> {
                            job.assertRunning();
                            assertThat(rows(dst, derived)).isEqualTo(expected);
                        });
                assertThat(SnapshotThenStreamITCase.verify(cfg).ok()).isTrue();
            }
        }
    }

    /**
     * The types Debezium 1.9 refused or garbled, extension types, composite and user range types,
     * multi-dimensional arrays and a colliding enum name: the raw table gets each column's own type
     * (values naming source objects, reg*, land as text), snapshot and stream rows are exact.
     */
    @Test
    void everyOtherTypeAColumnCanHaveRoundTripsExactly(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("moretypes");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(src, ddl("more_types.sql"));
            exec(
                    dst,
                    "CREATE EXTENSION citext",
                    "CREATE EXTENSION hstore",
                    "CREATE EXTENSION ltree");
            PipelineConfig cfg = p.config("[public.more_types]", 1);
            String rowSql = "SELECT id, t::text FROM %s t ORDER BY id";
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "snapshot rows",
                        () -> {
                            job.assertRunning();
                            return count(dst, "SELECT count(*) FROM raw.public__more_types") == 3;
                        });
                String rawRowSql =
                        "SELECT id, " + columns(src, "more_types") + "::text FROM %s t ORDER BY id";
                assertThat(rows(dst, String.format(rawRowSql, "raw.public__more_types")))
                        .isEqualTo(rows(src, String.format(rowSql, "public.more_types")))
                        .hasSize(3);
                String typesSql =
                        "SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                                + " WHERE a.attrelid = '%s'::regclass AND a.attnum > 0 AND NOT a.attisdropped"
                                + " AND a.attname NOT LIKE '\\_%%' ORDER BY a.attnum";
                assertThat(rows(dst, String.format(typesSql, "raw.public__more_types")))
                        .isEqualTo(
                                rows(src, String.format(typesSql, "public.more_types")).stream()
                                        .map(
                                                c ->
                                                        c.replace(" regclass", " text")
                                                                .replace(" regtype", " text"))
                                        .toList());
                exec(src, ddl("more_types_stream.sql"));
                String derived =
                        "SELECT id, "
                                + columns(src, "more_types")
                                + "::text FROM (SELECT DISTINCT ON (id) * FROM raw.public__more_types"
                                + " ORDER BY id, _lsn DESC, _seq DESC) d WHERE _op <> 'd' ORDER BY id";
                List<String> expected = rows(src, String.format(rowSql, "public.more_types"));
                Poll.untilAsserted(
                        Duration.ofMinutes(1),
                        () -> {
                            job.assertRunning();
                            assertThat(rows(dst, derived)).isEqualTo(expected);
                        });
                assertThat(SnapshotThenStreamITCase.verify(cfg).ok()).isTrue();
            }
        }
    }

    /**
     * A type the warehouse lacks (an extension not installed there) refuses the start, naming the
     * extension and the fix; with {@code target.missing-types: text} its columns land as text.
     */
    @Test
    void aTypeTheWarehouseLacksIsRefusedByNameOrLandsAsTextWhenAskedTo(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("missingtype");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE EXTENSION IF NOT EXISTS citext",
                    "CREATE TABLE public.people (id int PRIMARY KEY, name citext, aka citext[])",
                    "INSERT INTO public.people VALUES (1, 'Ada', '{LOVELACE,\"A. L.\"}'), (2, NULL, NULL)");
            PipelineConfig refused = p.config("[public.people]", 1);
            assertThatThrownBy(() -> RunningJob.start(refused, cluster))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("public.people.name")
                    .hasMessageContaining("extension citext")
                    .hasMessageContaining(
                            "CREATE EXTENSION IF NOT EXISTS \"citext\" WITH SCHEMA \"public\"")
                    .hasMessageContaining("target.missing-types: text");
            PipelineConfig asText =
                    PipelineConfig.parse(
                            p.yaml("[public.people]", 1)
                                    .replace(
                                            "  username: postgres\npipeline:",
                                            "  username: postgres\n  missing-types: text\npipeline:"),
                            java.util.Map.of());
            try (RunningJob job = RunningJob.start(asText, cluster)) {
                exec(src, "INSERT INTO public.people VALUES (3, 'Grace', '{Hopper}')");
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "rows",
                        () -> {
                            job.assertRunning();
                            return count(dst, "SELECT count(DISTINCT id) FROM raw.public__people")
                                    == 3;
                        });
                assertThat(
                                rows(
                                        dst,
                                        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid ="
                                                + " 'raw.public__people'::regclass AND attname IN ('name', 'aka') ORDER BY attnum"))
                        .containsExactly("text", "text[]");
                assertThat(
                                rows(
                                        dst,
                                        "SELECT DISTINCT ON (id) id, name, aka::text FROM raw.public__people"
                                                + " ORDER BY id, _lsn DESC, _seq DESC"))
                        .isEqualTo(
                                rows(
                                        src,
                                        "SELECT id, name, aka::text FROM public.people ORDER BY id"));
            }
        }
    }

    private static String columns(Connection src) throws Exception {
        return columns(src, "all_types");
    }

    private static String columns(Connection src, String table) throws Exception {
        return "ROW("
                + String.join(
                        ", ",
                        rows(
                                src,
                                "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = 'public."
                                        + table
                                        + "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"))
                + ")";
    }
}
