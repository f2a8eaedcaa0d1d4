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

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tables without a TOAST relation (every column of bounded width): their first snapshot's rows go
 * from the source's COPY text to the warehouse's COPY unsplit when the layout maps column for
 * column, and are split on the way when it does not (an enum). Values COPY must escape, NULLs, the
 * text {@code \N}, unicode, BC dates, infinities and NaN land exactly as the source holds them.
 */
class SnapshotCopyTextITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final String VALUES =
            "SELECT id, v::text, d::text, f::text, n::text, t::text, c::text FROM %s ORDER BY id";

    @Test
    void rowsLoadedAsTheSourcePrintedThemAreExact(@InjectClusterClient ClusterClient<?> cluster)
            throws Exception {
        TestDatabases p = new TestDatabases("copytext");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TYPE public.mood AS ENUM ('sad', 'ok')",
                    "CREATE TABLE public.plain (id int PRIMARY KEY, v varchar(40), d date, f float8,"
                            + " n numeric(12,3), t timestamptz, c char(3))",
                    "CREATE TABLE public.moods (id int PRIMARY KEY, v varchar(40), m public.mood)",
                    "INSERT INTO public.plain VALUES"
                            + " (1, E'tab\\there', '0044-03-15 BC', 'NaN', -1.5, 'infinity', 'a')," // bc
                            + " (2, E'line\\nbreak\\r', 'infinity', '-Infinity', NULL, '-infinity', NULL),"
                            + " (3, E'back\\\\slash \\\\N', '-infinity', 'Infinity', 0, '2024-02-29 23:59:59.999999+00', '日本')," // \N as text
                            + " (4, NULL, NULL, NULL, NULL, NULL, NULL),"
                            + " (5, 'grüße €', '2000-01-01', 1.0e-300, 123456789.125, '1999-12-31 23:00:00-05', 'x\ty')",
                    "INSERT INTO public.plain SELECT g, 'row ' || g, DATE '2020-01-01' + g, g / 3.0, g, now(), 'r'"
                            + " FROM generate_series(6, 3000) g",
                    "INSERT INTO public.moods VALUES (1, E'a\\tb', 'ok'), (2, NULL, 'sad'), (3, 'c', NULL)");
            assertThat(
                            count(
                                    src,
                                    "SELECT count(*) FROM pg_class WHERE relname IN ('plain', 'moods')"
                                            + " AND relnamespace = 'public'::regnamespace AND reltoastrelid = 0"))
                    .as("both tables lack a TOAST relation, so their rows take the COPY text path")
                    .isEqualTo(2);
            PipelineConfig cfg = p.config("['public.plain', 'public.moods']", 2);
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "both snapshots in raw",
                        () -> {
                            job.assertRunning();
                            return count(dst, "SELECT count(*) FROM raw.public__plain") == 3000
                                    && count(dst, "SELECT count(*) FROM raw.public__moods") == 3;
                        });
                assertThat(rows(dst, String.format(VALUES, "raw.public__plain")))
                        .containsExactlyElementsOf(
                                rows(src, String.format(VALUES, "public.plain")));
                String moods = "SELECT id, v, m::text FROM %s ORDER BY id";
                assertThat(rows(dst, String.format(moods, "raw.public__moods")))
                        .containsExactlyElementsOf(rows(src, String.format(moods, "public.moods")));

                // a change after the snapshot sorts after the row loaded as text
                exec(src, "UPDATE public.plain SET v = E'new\\tvalue' WHERE id = 1");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the update in raw",
                        () -> count(dst, "SELECT count(*) FROM raw.public__plain") == 3001);
                assertThat(
                                rows(
                                        dst,
                                        "SELECT _op || ' ' || _seq || ' ' || v FROM raw.public__plain"
                                                + " WHERE id = 1 ORDER BY _lsn, _seq"))
                        .containsExactly("r 1 tab\there", "u 2 new\tvalue");
            }
        }
    }
}
