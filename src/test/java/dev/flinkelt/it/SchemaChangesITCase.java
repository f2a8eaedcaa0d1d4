package dev.flinkelt.it;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.support.DeclineCheckpointOnce;
import dev.flinkelt.support.FlinkCluster;
import dev.flinkelt.support.JsonLedger;
import dev.flinkelt.support.Poll;
import dev.flinkelt.support.RunningJob;
import dev.flinkelt.support.TestDatabases;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
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
 * DDL on the source while the pipeline streams (parallelism 2): every column change kind lands in
 * raw with an exact ledger and the right last version per key, the table that did not change keeps
 * loading meanwhile, and a failure right after a DDL leaves it applied once.
 */
class SchemaChangesITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkCluster.extension();

    static final String ITEMS =
            "CREATE TABLE public.items (id int PRIMARY KEY, qty int, name varchar(10), note text)";

    @Test
    void everyColumnChangeKindLandsExactlyWhileTheOtherTableKeepsLoading(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("ddl");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    "CREATE TYPE public.mood AS ENUM ('sad', 'ok')",
                    ITEMS,
                    "CREATE TABLE public.other (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.items SELECT g, g, 'n' || g, 'note ' || g FROM generate_series(1, 200) g",
                    "INSERT INTO public.other SELECT g, 'v' || g FROM generate_series(1, 100) g");
            JsonLedger items =
                    new JsonLedger("public.items", "id").continues("title__int4", "title");
            JsonLedger other = new JsonLedger("public.other", "id");
            items.expectSnapshot(src);
            other.expectSnapshot(src);
            PipelineConfig cfg = p.config("['public.*']", 2);
            try (RunningJob job = RunningJob.start(cfg, cluster)) {
                job.awaitRawRows(dst, "public__items", 200);
                job.awaitRawRows(dst, "public__other", 100);
                int otherRows = 100;

                // ADD COLUMN: the first row that carries it gets it in raw; time from the DDL to
                // that row in raw
                long ddlAt = System.nanoTime();
                exec(
                        src,
                        "ALTER TABLE public.items ADD COLUMN price numeric(10,2)",
                        "UPDATE public.items SET price = id * 1.25 WHERE id <= 20");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "the first row with a price in raw",
                        () ->
                                count(
                                                        dst,
                                                        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'public__items' AND column_name = 'price'")
                                                == 1
                                        && count(
                                                        dst,
                                                        "SELECT count(*) FROM raw.public__items WHERE price IS NOT NULL")
                                                > 0);
                System.out.printf(
                        "MEASURED source DDL to its first row in raw: %.1f s%n",
                        (System.nanoTime() - ddlAt) / 1e9);
                items.expect(src, "u", "id <= 20");
                otherRows += changeOther(src, other, 1);

                exec(
                        src,
                        "ALTER TABLE public.items ADD COLUMN created timestamptz DEFAULT clock_timestamp()",
                        "ALTER TABLE public.items ADD COLUMN flag bool NOT NULL DEFAULT true",
                        "INSERT INTO public.items (id, qty, name) SELECT g, g, 'new' FROM generate_series(201, 230) g",
                        "UPDATE public.items SET flag = false WHERE id BETWEEN 21 AND 30");
                items.expect(src, "c", "id > 200");
                items.expect(src, "u", "id BETWEEN 21 AND 30");

                exec(
                        src,
                        "ALTER TABLE public.items DROP COLUMN note",
                        "UPDATE public.items SET qty = qty + 1 WHERE id BETWEEN 31 AND 40");
                items.expect(src, "u", "id BETWEEN 31 AND 40");
                exec(
                        src,
                        "ALTER TABLE public.items RENAME COLUMN name TO title",
                        "UPDATE public.items SET title = 't' || id WHERE id BETWEEN 41 AND 50");
                items.expect(src, "u", "id BETWEEN 41 AND 50");
                otherRows += changeOther(src, other, 2);

                // widening type changes follow in place; values beyond the old types land exactly
                exec(
                        src,
                        "ALTER TABLE public.items ALTER COLUMN qty TYPE bigint",
                        "ALTER TABLE public.items ALTER COLUMN title TYPE varchar(40)",
                        "UPDATE public.items SET qty = 9000000000 + id, title = 'a title longer than ten' WHERE id BETWEEN 51 AND 60");
                items.expect(src, "u", "id BETWEEN 51 AND 60");
                // other type changes follow with the warehouse's cast: earlier versions convert as
                // the source's rows did (9.99 becomes 9.990, then text)
                exec(
                        src,
                        "ALTER TABLE public.items ALTER COLUMN price TYPE numeric(12,3)",
                        "UPDATE public.items SET price = price + 0.001 WHERE id BETWEEN 56 AND 60");
                items.retype(src, "price", "numeric(12,3)");
                items.expect(src, "u", "id BETWEEN 56 AND 60");
                exec(
                        src,
                        "ALTER TABLE public.items ALTER COLUMN price TYPE text",
                        "UPDATE public.items SET price = 'n/a' WHERE id BETWEEN 61 AND 70");
                items.retype(src, "price", "text");
                items.expect(src, "u", "id BETWEEN 61 AND 70");

                // enum labels added later, and a new enum type used by a new column
                exec(
                        src,
                        "ALTER TABLE public.items ADD COLUMN m public.mood",
                        "UPDATE public.items SET m = 'ok' WHERE id BETWEEN 71 AND 75",
                        "ALTER TYPE public.mood ADD VALUE 'ecstatic'",
                        "ALTER TYPE public.mood ADD VALUE 'meh' BEFORE 'sad'",
                        "CREATE TYPE public.size AS ENUM ('s', 'm')",
                        "ALTER TABLE public.items ADD COLUMN sz public.size, ADD COLUMN ms public.mood[]");
                exec(
                        src,
                        "UPDATE public.items SET m = 'ecstatic', sz = 'm', ms = '{meh,ecstatic}' WHERE id BETWEEN 76 AND 80");
                items.expect(src, "u", "id BETWEEN 71 AND 80");

                // a change the warehouse cannot cast (varchar to integer: the source used USING)
                // continues in title__int4
                exec(
                        src,
                        "ALTER TABLE public.items ALTER COLUMN title TYPE integer USING length(title)",
                        "UPDATE public.items SET title = 1000 + id WHERE id BETWEEN 81 AND 85");
                items.expect(src, "u", "id BETWEEN 81 AND 85");

                // DDL and DML in one source transaction, deletes included
                src.setAutoCommit(false);
                exec(src, "INSERT INTO public.items (id, qty, title) VALUES (300, 1, 300)");
                items.expect(
                        src,
                        "c",
                        "id = 300"); // its version before the column existed, read inside the
                // transaction
                exec(
                        src,
                        "ALTER TABLE public.items ADD COLUMN burst int DEFAULT 7",
                        "INSERT INTO public.items (id, qty, title, burst) VALUES (301, 2, 301, 8)",
                        "UPDATE public.items SET burst = 9 WHERE id = 300",
                        "DELETE FROM public.items WHERE id IN (1, 2)",
                        "UPDATE public.other SET v = v || ' in the burst' WHERE id <= 10");
                src.commit();
                src.setAutoCommit(true);
                items.expect(src, "c", "id = 301");
                items.expect(src, "u", "id = 300");
                items.expectDeletes("1, 2");
                otherRows += 10;
                other.expect(src, "u", "id <= 10");

                assertThat(items.rows())
                        .isEqualTo(200 + 20 + 30 + 10 + 10 + 10 + 10 + 5 + 10 + 10 + 5 + 3 + 2);
                job.awaitRawRows(dst, "public__items", items.rows());
                job.awaitRawRows(dst, "public__other", otherRows);
                items.assertRawMatches(dst);
                other.assertRawMatches(dst);

                assertThat(
                                rows(
                                        dst,
                                        "SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || coalesce(' ' || col_description(a.attrelid, a.attnum), '')"
                                                + " FROM pg_attribute a WHERE a.attrelid = 'raw.public__items'::regclass AND a.attnum > 0 AND NOT a.attisdropped"
                                                + " AND a.attname NOT LIKE '\\_%' ORDER BY a.attnum"))
                        // in the order the layouts reached the keyed stage (its subtasks race)
                        .satisfiesExactlyInAnyOrder(
                                c -> assertThat(c).isEqualTo("id integer"),
                                c ->
                                        assertThat(c)
                                                .matches(
                                                        "qty bigint flink-elt:\\{\"retyped_at\":\\d+}"),
                                c ->
                                        assertThat(c)
                                                .matches(
                                                        "name character varying\\(10\\) flink-elt:\\{\"not_sent_since\":\\d+}"),
                                c ->
                                        assertThat(c)
                                                .matches(
                                                        "note text flink-elt:\\{\"not_sent_since\":\\d+}"),
                                c ->
                                        assertThat(c)
                                                .matches(
                                                        "price text flink-elt:\\{\"added_at\":\\d+,\"retyped_at\":\\d+}"),
                                c ->
                                        assertThat(c)
                                                .matches(
                                                        "created timestamp with time zone flink-elt:\\{\"added_at\":\\d+}"),
                                c ->
                                        assertThat(c)
                                                .matches(
                                                        "flag boolean flink-elt:\\{\"added_at\":\\d+}"),
                                c ->
                                        assertThat(c)
                                                .matches(
                                                        "title character varying\\(40\\) flink-elt:\\{\"added_at\":\\d+,\"not_sent_since\":\\d+,\"retyped_at\":\\d+}"),
                                c ->
                                        assertThat(c)
                                                .matches("m mood flink-elt:\\{\"added_at\":\\d+}"),
                                c ->
                                        assertThat(c)
                                                .matches("sz size flink-elt:\\{\"added_at\":\\d+}"),
                                c ->
                                        assertThat(c)
                                                .matches(
                                                        "ms mood\\[\\] flink-elt:\\{\"added_at\":\\d+}"),
                                c ->
                                        assertThat(c)
                                                .matches(
                                                        "title__int4 integer flink-elt:\\{\"continues\":\"title\",\"since\":\\d+}"),
                                c ->
                                        assertThat(c)
                                                .matches(
                                                        "burst integer flink-elt:\\{\"added_at\":\\d+}"));
                assertThat(
                                rows(
                                        dst,
                                        "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'public.mood'::regtype"))
                        .containsExactly("meh,sad,ok,ecstatic");
                assertThat(count(dst, "SELECT count(*) FROM raw._rejected")).isZero();
                job.assertRunning();

                // verify compares by column name through the raw table's history, and tells it
                SnapshotThenStreamITCase.Verified v = SnapshotThenStreamITCase.verify(cfg);
                assertThat(v.output())
                        .contains("public.items")
                        .contains(
                                "source="
                                        + count(src, "SELECT count(*) FROM public.items")
                                        + " derived=")
                        .containsPattern(
                                "public.items: raw column note not sent by the source since _lsn \\d+ \\(dropped, renamed or retyped\\)")
                        .containsPattern(
                                "public.items: raw column title__int4 continues source column title \\(type changed\\) since _lsn \\d+");
                assertThat(v.ok()).as(v.output()).isTrue();
            }
        }
    }

    private static int changeOther(Connection src, JsonLedger other, int round) throws Exception {
        exec(src, "UPDATE public.other SET v = v || ' r" + round + "' WHERE id > 50");
        other.expect(src, "u", "id > 50");
        return 50;
    }

    @Test
    void aFailureRightAfterADdlLeavesItAppliedOnceAndTheRowsAroundItExact(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        TestDatabases p = new TestDatabases("ddlfail");
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            exec(
                    src,
                    ITEMS,
                    "INSERT INTO public.items SELECT g, g, 'n' || g, NULL FROM generate_series(1, 100) g");
            JsonLedger items = new JsonLedger("public.items", "id");
            items.expectSnapshot(src);
            PipelineConfig cfg = p.config("[public.items]", 2);
            try (RunningJob job =
                    RunningJob.start(
                            cfg,
                            cluster,
                            s -> {
                                // the checkpoint after the first row that needed the DDL fails once
                                // the sink prepared it
                                s.process(
                                                new DeclineCheckpointOnce(
                                                        p.name, cfg.target, e -> e.unmapped(), 1),
                                                TypeInformation.of(ChangeEvent.class))
                                        .uid("fail-after-ddl")
                                        .name("fail the checkpoint after a DDL")
                                        .sinkTo(new DiscardingSink<>())
                                        .uid("fail-after-ddl-discard");
                                return s;
                            })) {
                job.awaitRawRows(dst, "public__items", 100);
                exec(src, "UPDATE public.items SET qty = -qty WHERE id <= 10");
                items.expect(src, "u", "id <= 10");
                exec(
                        src,
                        "ALTER TABLE public.items ADD COLUMN price numeric(10,2) DEFAULT 1.5",
                        "UPDATE public.items SET price = id WHERE id BETWEEN 5 AND 15");
                items.expect(src, "u", "id BETWEEN 5 AND 15");
                job.awaitRawRows(dst, "public__items", 100 + 10 + 11);
                assertThat(DeclineCheckpointOnce.fired(p.name))
                        .as("a checkpoint failed right after the DDL")
                        .isTrue();
                job.awaitCheckpoints(2);
                items.assertRawMatches(dst);
                assertThat(
                                count(
                                        dst,
                                        "SELECT count(*) FROM pg_attribute WHERE attrelid = 'raw.public__items'::regclass AND attname LIKE 'price%'"))
                        .isEqualTo(1);
                assertThat(SnapshotThenStreamITCase.verify(cfg).ok())
                        .as("verify after an ADD COLUMN with a default")
                        .isTrue();
            }
            // a raw table broken by hand: verify says so in one line naming the table, no stack
            // trace
            exec(dst, "ALTER TABLE raw.public__items DROP COLUMN id");
            SnapshotThenStreamITCase.Verified broken = SnapshotThenStreamITCase.verify(cfg);
            assertThat(broken.ok()).isFalse();
            assertThat(broken.output())
                    .containsPattern(
                            "public.items +ERROR: SQLSTATE 42703: ERROR: column \"id\" does not exist")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
    }
}
