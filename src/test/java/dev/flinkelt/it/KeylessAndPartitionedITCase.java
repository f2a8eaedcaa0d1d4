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
import java.util.List;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static dev.flinkelt.support.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tables without a primary key and partitioned tables, through snapshot and stream: a table with
 * duplicate rows under {@code REPLICA IDENTITY FULL} (every operation), one without a replica
 * identity (inserts and truncates, while the source's own updates still work), one keyed by its
 * replica identity index, and a partitioned table whose rows move between partitions and gain a
 * partition later. Each reconciles as the source has it (a multiset where there is no key).
 */
class KeylessAndPartitionedITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    /** The multiset a raw table of a table without a key holds: rows after its last t row. */
    static String derivedMultiset(String raw, String columns) {
        return "SELECT "
                + columns
                + ", sum(CASE WHEN _op = 'd' THEN -1 ELSE 1 END) FROM raw."
                + raw
                + " r WHERE _op <> 't' AND NOT EXISTS (SELECT 1 FROM raw."
                + raw
                + " t WHERE t._op = 't' AND (t._lsn, t._seq) >= (r._lsn, r._seq))"
                + " GROUP BY "
                + columns
                + " HAVING sum(CASE WHEN _op = 'd' THEN -1 ELSE 1 END) <> 0 ORDER BY "
                + columns;
    }

    static String sourceMultiset(String table, String columns) {
        return "SELECT "
                + columns
                + ", count(*) FROM "
                + table
                + " GROUP BY "
                + columns
                + " ORDER BY "
                + columns;
    }

    @Test
    void tablesWithoutAKeyAreMultisetsAndPartitionedTablesAreOneTable(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("keyless");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TABLE public.dups (a int, b text)",
                    "ALTER TABLE public.dups REPLICA IDENTITY FULL",
                    "INSERT INTO public.dups VALUES (1, 'x'), (1, 'x'), (2, NULL), (3, 'big')",
                    "CREATE TABLE public.history (tid int, delta int, mtime timestamp)",
                    "INSERT INTO public.history SELECT g % 7, g, '2024-01-01' FROM generate_series(1, 50) g",
                    "CREATE TABLE public.by_index (code text NOT NULL, v int)",
                    "CREATE UNIQUE INDEX by_index_code ON public.by_index (code)",
                    "ALTER TABLE public.by_index REPLICA IDENTITY USING INDEX by_index_code",
                    "INSERT INTO public.by_index SELECT 'c' || g, g FROM generate_series(1, 10) g",
                    "CREATE TABLE public.measures (id int, region text, v int, PRIMARY KEY (id, region))"
                            + " PARTITION BY LIST (region)",
                    "CREATE TABLE public.measures_eu PARTITION OF public.measures FOR VALUES IN ('eu')",
                    "CREATE TABLE public.measures_us PARTITION OF public.measures FOR VALUES IN ('us')",
                    "INSERT INTO public.measures SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, g"
                            + " FROM generate_series(1, 20) g");
            PipelineConfig cfg = p.config("['public.*']", 2);
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                assertThat(job.tables)
                        .extracting(
                                t -> t.ref().table() + " " + t.keyColumns() + " " + t.insertOnly())
                        .containsExactly(
                                "by_index [code] false",
                                "dups [] false",
                                "history [] true",
                                "measures [id, region] false");
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "snapshots",
                        () -> {
                            job.assertRunning();
                            return count(
                                                    dst,
                                                    "SELECT count(*) FROM raw.public__dups WHERE _op = 'r'")
                                            == 4
                                    && count(
                                                    dst,
                                                    "SELECT count(*) FROM raw.public__history WHERE _op = 'r'")
                                            == 50
                                    && count(
                                                    dst,
                                                    "SELECT count(*) FROM raw.public__measures WHERE _op = 'r'")
                                            == 20
                                    && count(
                                                    dst,
                                                    "SELECT count(*) FROM raw.public__by_index WHERE _op = 'r'")
                                            == 10;
                        });
                exec(
                        src,
                        // one of two equal rows changes, then goes; equal rows come and go
                        "UPDATE public.dups SET b = 'y' WHERE ctid = (SELECT min(ctid) FROM public.dups WHERE a = 1)",
                        "INSERT INTO public.dups VALUES (2, NULL), (2, NULL), (4, repeat('toast ', 100000))",
                        "DELETE FROM public.dups WHERE ctid = (SELECT min(ctid) FROM public.dups WHERE a = 2)",
                        "UPDATE public.dups SET a = 5 WHERE a = 4", // the TOASTed value stays
                        // no replica identity: inserts land, and the source's updates still work
                        "INSERT INTO public.history SELECT 99, g, '2024-02-01' FROM generate_series(1, 5) g",
                        "UPDATE public.history SET delta = 0 WHERE tid = 99",
                        "UPDATE public.by_index SET code = 'renamed' WHERE code = 'c1'",
                        "UPDATE public.by_index SET v = -v WHERE code = 'c2'",
                        "DELETE FROM public.by_index WHERE code = 'c3'",
                        // a row moves between partitions; a partition is attached later
                        "UPDATE public.measures SET region = 'us', v = -1 WHERE id = 2",
                        "CREATE TABLE public.measures_ap PARTITION OF public.measures FOR VALUES IN ('ap')",
                        "INSERT INTO public.measures VALUES (100, 'ap', 100), (101, 'ap', 101)",
                        "DELETE FROM public.measures WHERE id = 3",
                        // deletes through a partition are the partitioned table's (a TRUNCATE of
                        // one
                        // partition is not published, see the README)
                        "DELETE FROM public.measures_eu WHERE id > 10");
                Poll.untilAsserted(
                        Duration.ofMinutes(2),
                        () -> {
                            job.assertRunning();
                            assertThat(rows(dst, derivedMultiset("public__dups", "a, md5(b)")))
                                    .isEqualTo(
                                            rows(src, sourceMultiset("public.dups", "a, md5(b)")));
                            assertThat(
                                            rows(
                                                    dst,
                                                    "SELECT id, region, v FROM (SELECT DISTINCT ON (id, region) * FROM"
                                                            + " raw.public__measures WHERE _op <> 't' AND _lsn > (SELECT"
                                                            + " coalesce(max(_lsn), -1) FROM raw.public__measures WHERE _op = 't')"
                                                            + " ORDER BY id, region, _lsn DESC, _seq DESC) d WHERE _op <> 'd' ORDER BY 1, 2"))
                                    .isEqualTo(
                                            rows(
                                                    src,
                                                    "SELECT id, region, v FROM public.measures ORDER BY 1, 2"));
                        });
                // the insert-only table: every insert once, updates not seen
                assertThat(
                                rows(
                                        dst,
                                        "SELECT _op, count(*) FROM raw.public__history GROUP BY 1 ORDER BY 1"))
                        .containsExactly("c|5", "r|50", "t|1");
                // the partitioned table is one raw table: no raw table per partition
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(*) FROM pg_tables WHERE schemaname = 'raw' AND tablename LIKE 'public__measures_%'"))
                        .isZero();
                // verify: the multisets and the keyed tables match; the insert-only table differs
                // from the source only by the updates it cannot see
                SnapshotThenStreamITCase.Verified v = SnapshotThenStreamITCase.verify(cfg);
                assertThat(v.output())
                        .contains("public.by_index")
                        .contains("public.dups")
                        .contains("public.measures");
                assertThat(List.of(v.output().split("\n")))
                        .filteredOn(
                                l ->
                                        l.contains("public.dups")
                                                || l.contains("public.measures")
                                                || l.contains("public.by_index"))
                        .allMatch(l -> l.contains("OK"), "dups, measures and by_index reconcile");
            }
        }
    }
}
