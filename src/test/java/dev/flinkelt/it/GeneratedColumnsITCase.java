package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
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

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL 18 source publishes stored generated columns: they are captured like any other
 * column, in the snapshot and in the stream; virtual ones are never published and have no raw
 * column.
 */
class GeneratedColumnsITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    private static final String LATEST =
            "SELECT id, qty, price, total FROM (SELECT DISTINCT ON (id) * FROM raw.public__orders"
                    + " ORDER BY id, _lsn DESC, _seq DESC) d WHERE _op <> 'd' ORDER BY id";

    @Test
    void storedGeneratedColumnsOfAPostgres18SourceAreCapturedAndVirtualOnesAreNot(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p =
                new TestDatabases("gencols", TestServers.source18(), TestServers.warehouse());
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            assertThat(rows(src, "SHOW server_version_num").get(0)).startsWith("18");
            exec(
                    src,
                    "CREATE TABLE public.orders (id int PRIMARY KEY, qty int NOT NULL,"
                            + " price numeric(10,2) NOT NULL,"
                            + " total numeric(12,2) GENERATED ALWAYS AS (qty * price) STORED,"
                            + " label text GENERATED ALWAYS AS ('order ' || id) VIRTUAL)",
                    "INSERT INTO public.orders (id, qty, price)"
                            + " SELECT g, g, g + 0.25 FROM generate_series(1, 20) g");
            PipelineConfig cfg = p.config("['public.orders']", 2);
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                assertThat(
                                rows(
                                        src,
                                        "SELECT pubgencols FROM pg_publication WHERE pubname = '"
                                                + p.name
                                                + "'"))
                        .containsExactly("s");
                job.awaitRawRows(dst, "public__orders", 20);
                exec(
                        src,
                        "INSERT INTO public.orders (id, qty, price) VALUES (21, 3, 1.5)",
                        "UPDATE public.orders SET qty = qty * 10 WHERE id <= 5",
                        "UPDATE public.orders SET price = 0 WHERE id = 6",
                        "DELETE FROM public.orders WHERE id = 7");
                Poll.untilAsserted(
                        Duration.ofMinutes(2),
                        () -> {
                            job.assertRunning();
                            assertThat(rows(dst, LATEST))
                                    .isEqualTo(
                                            rows(
                                                    src,
                                                    "SELECT id, qty, price, total FROM public.orders ORDER BY id"));
                        });
                // the stream carried the generated values themselves (qty 50, price 5.25: 262.50)
                assertThat(
                                rows(
                                        dst,
                                        "SELECT _op, total FROM raw.public__orders WHERE id = 5 ORDER BY _lsn, _seq"))
                        .containsExactly("r|26.25", "u|262.50");
                assertThat(
                                rows(
                                        dst,
                                        "SELECT column_name, data_type FROM information_schema.columns"
                                                + " WHERE table_schema = 'raw' AND table_name = 'public__orders'"
                                                + " AND column_name NOT LIKE '\\_%' ORDER BY ordinal_position"))
                        .containsExactly(
                                "id|integer", "qty|integer", "price|numeric", "total|numeric");
                SnapshotThenStreamITCase.Verified v = SnapshotThenStreamITCase.verify(cfg);
                assertThat(List.of(v.output().split("\n")))
                        .filteredOn(l -> l.contains("public.orders"))
                        .singleElement()
                        .satisfies(l -> assertThat(l).contains("OK"));
            }
        }
    }
}
