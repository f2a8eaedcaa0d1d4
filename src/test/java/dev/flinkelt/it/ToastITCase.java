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

class ToastITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    /** What Debezium, which decoded the stream in earlier versions, put for an unsent value. */
    static final String DEBEZIUM_PLACEHOLDER = "__debezium_unavailable_value";

    /** md5 chains are incompressible, so 200 kB values are stored out of line (TOAST). */
    static final String BIG_TEXT =
            "(SELECT string_agg(md5(g::text || '%s'), '') FROM generate_series(1, 6000) g)";

    @Test
    void unchangedToastValueIsFilledFromKeyedStateNotWrittenAsPlaceholder(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("toast");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.docs (id int PRIMARY KEY, counter int, body text, blob bytea, doc jsonb, tags text[])",
                    "ALTER TABLE public.docs ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN blob SET STORAGE EXTERNAL,"
                            + " ALTER COLUMN doc SET STORAGE EXTERNAL, ALTER COLUMN tags SET STORAGE EXTERNAL",
                    insert(1));
            PipelineConfig cfg = p.config("[public.docs]", 1);
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "snapshot row",
                        () -> {
                            job.assertRunning();
                            return count(dst, "SELECT count(*) FROM raw.public__docs") == 1;
                        });
                exec(src, insert(2)); // streamed insert: the keyed state learns the value from the
                // change itself
                exec(
                        src,
                        "UPDATE public.docs SET counter = counter + 1",
                        "UPDATE public.docs SET counter = counter + 1 WHERE id = 2");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "5 raw rows",
                        () -> {
                            job.assertRunning();
                            return count(dst, "SELECT count(*) FROM raw.public__docs") == 5;
                        });
                assertThat(count(dst, "SELECT count(*) FROM raw.public__docs WHERE _op = 'u'"))
                        .isEqualTo(3);
                // every update row carries the real large values, byte for byte
                String versions =
                        "SELECT id, counter, md5(body), md5(blob), md5(doc::text), md5(tags::text), length(body) FROM %s ORDER BY id, counter";
                String expectedRows =
                        "SELECT id, c, md5(body), md5(blob), md5(doc::text), md5(tags::text), length(body)"
                                + " FROM public.docs, generate_series(0, counter) c ORDER BY id, c";
                assertThat(rows(dst, String.format(versions, "raw.public__docs")))
                        .isEqualTo(rows(src, expectedRows));
                assertThat(count(dst, "SELECT min(length(body)) FROM raw.public__docs"))
                        .isGreaterThan(100_000);
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(*) FROM raw.public__docs WHERE body LIKE '%"
                                                + DEBEZIUM_PLACEHOLDER
                                                + "%' OR doc::text LIKE '%"
                                                + DEBEZIUM_PLACEHOLDER
                                                + "%' OR tags::text LIKE '%"
                                                + DEBEZIUM_PLACEHOLDER
                                                + "%' OR body IS NULL OR blob IS NULL OR doc IS NULL OR tags IS NULL"))
                        .isZero();
            }
            // the source really sent the placeholder case: REPLICA IDENTITY DEFAULT
            assertThat(
                            rows(
                                    src,
                                    "SELECT relreplident FROM pg_class WHERE oid = 'public.docs'::regclass"))
                    .containsExactly("d");
        }
    }

    private static String insert(int id) {
        String big = String.format(BIG_TEXT, id);
        return "INSERT INTO public.docs VALUES ("
                + id
                + ", 0, "
                + big
                + ", convert_to("
                + big
                + ", 'UTF8'),"
                + " jsonb_build_object('text', "
                + big
                + "), ARRAY["
                + big
                + ", 'small'])";
    }
}
