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

    private static String columns(Connection src) throws Exception {
        return "ROW("
                + String.join(
                        ", ",
                        rows(
                                src,
                                "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = 'public.all_types'::regclass"
                                        + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum"))
                + ")";
    }
}
