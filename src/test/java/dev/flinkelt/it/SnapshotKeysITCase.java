package dev.flinkelt.it;

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

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshot rows are read as PostgreSQL text, changes come from Debezium: keys of any type must
 * still meet.
 */
class SnapshotKeysITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static PipelineConfig config(TestDatabases p, String tables, int chunk, String extraSource) {
        return PipelineConfig.parse(
                p.yaml(tables, 2)
                        .replace("snapshot-chunk-size: 4000", "snapshot-chunk-size: " + chunk)
                        .replace("  slot:", extraSource + "  slot:"),
                Map.of());
    }

    @Test
    void snapshotRowsAndLaterChangesOfTimestampBoolFloatAndTimeKeysShareTheirKeyedState(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("keys");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            // keys whose PostgreSQL text differs from Debezium's (t/true, 1/1.0, 12:00:00/12:00,
            // +00/Z); body is TOASTed
            exec(
                    src,
                    "CREATE TABLE public.readings (at timestamptz, ok bool, x float8, tod time, local timestamp, counter int, body text,"
                            + " PRIMARY KEY (at, ok, x, tod, local))",
                    "ALTER TABLE public.readings ALTER COLUMN body SET STORAGE EXTERNAL",
                    "INSERT INTO public.readings SELECT timestamptz '2024-01-01 12:00:00+00' + g * interval '1 hour 0.5 second', g % 2 = 0,"
                            + " g::float8 / 4, time '12:00:00' + g * interval '1 minute', timestamp '2024-01-01 00:00' + g * interval '1 day', 0,"
                            + " (SELECT string_agg(md5(h::text || g::text), '') FROM generate_series(1, 3000) h) FROM generate_series(0, 9) g",
                    "INSERT INTO public.readings VALUES ('0044-03-15 10:00:00.000001+00 BC', true, 'NaN', '24:00:00', '12000-06-01 00:00', 0,"
                            + " (SELECT string_agg(md5(h::text), '') FROM generate_series(1, 3000) h))");
            PipelineConfig cfg = config(p, "[public.readings]", 4, "");
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "snapshot of 11 rows",
                        () -> {
                            job.assertRunning();
                            return count(
                                            dst,
                                            "SELECT count(*) FROM raw.public__readings WHERE _op = 'r'")
                                    == 11;
                        });
                // the update leaves the TOASTed body out: only the key's snapshot row in keyed
                // state can fill it in
                exec(src, "UPDATE public.readings SET counter = counter + 1");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "11 update rows",
                        () -> {
                            job.assertRunning();
                            return count(
                                            dst,
                                            "SELECT count(*) FROM raw.public__readings WHERE _op = 'u'")
                                    == 11;
                        });
                String latest =
                        "SELECT md5(ROW(at, ok, x, tod, local, counter, body)::text) FROM (SELECT DISTINCT ON (at, ok, x, tod, local) *"
                                + " FROM raw.public__readings ORDER BY at, ok, x, tod, local, _lsn DESC, _seq DESC) d ORDER BY 1";
                assertThat(rows(dst, latest))
                        .isEqualTo(
                                rows(
                                        src,
                                        "SELECT md5(ROW(at, ok, x, tod, local, counter, body)::text)"
                                                + " FROM public.readings ORDER BY 1"));
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(*) FROM raw.public__readings WHERE body IS NULL"))
                        .as("bodies not filled in")
                        .isZero();
                assertThat(count(dst, "SELECT max(_seq) FROM raw.public__readings"))
                        .as("each key's update follows its snapshot row")
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void configuredKeyColumnsWithDuplicatesAcrossChunkBoundsAndNullsLoseNoRow(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("dupkeys");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            // no primary key: key-columns names a column with repeated values (runs of 5 across
            // chunks of 3) and NULLs
            exec(
                    src,
                    "CREATE TABLE public.events (grp int, note text)",
                    "ALTER TABLE public.events REPLICA IDENTITY FULL",
                    "INSERT INTO public.events SELECT g / 5, 'event ' || g FROM generate_series(0, 49) g",
                    "INSERT INTO public.events SELECT NULL, 'no group ' || g FROM generate_series(1, 4) g");
            PipelineConfig cfg =
                    config(p, "[public.events]", 3, "  key-columns: { public.events: [grp] }\n");
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "snapshot of 54 rows",
                        () -> {
                            job.assertRunning();
                            return count(
                                            dst,
                                            "SELECT count(*) FROM raw.public__events WHERE _op = 'r'")
                                    >= 54;
                        });
                job.awaitCheckpoints(2);
                assertThat(
                                rows(
                                        dst,
                                        "SELECT coalesce(grp::text, 'null') || '|' || note FROM raw.public__events WHERE _op = 'r' ORDER BY 1"))
                        .isEqualTo(
                                rows(
                                        src,
                                        "SELECT coalesce(grp::text, 'null') || '|' || note FROM public.events ORDER BY 1"));
            }
        }
    }
}
