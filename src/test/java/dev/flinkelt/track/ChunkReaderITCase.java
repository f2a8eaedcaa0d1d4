package dev.flinkelt.track;

import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.CopyTextRow;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.support.TestDatabases;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.Set;

import static dev.flinkelt.support.TestDatabases.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which snapshot rows leave the source marked toast-free (the keyed stage then keeps nothing for
 * them): only rows of a unique key whose every relation read has no TOAST relation.
 */
class ChunkReaderITCase {
    private static TestDatabases db;

    @BeforeAll
    static void tables() throws Exception {
        db = new TestDatabases("chunks");
        try (Connection src = db.src()) {
            exec(
                    src,
                    "CREATE TABLE public.bounded (id int PRIMARY KEY, name varchar(40), amount numeric(12,2), at timestamptz)",
                    "CREATE TABLE public.unbounded (id int PRIMARY KEY, note text)",
                    "CREATE TABLE public.parts_bounded (id int, region char(2), v int, PRIMARY KEY (id, region)) PARTITION BY LIST (region)",
                    "CREATE TABLE public.parts_bounded_eu PARTITION OF public.parts_bounded FOR VALUES IN ('eu')",
                    // the partitioned parent has no storage and so no TOAST relation; its
                    // partitions do
                    "CREATE TABLE public.parts_text (id int, region char(2), note text, PRIMARY KEY (id, region)) PARTITION BY LIST (region)",
                    "CREATE TABLE public.parts_text_eu PARTITION OF public.parts_text FOR VALUES IN ('eu')",
                    "CREATE TABLE public.parent (id int PRIMARY KEY, v int)",
                    "CREATE TABLE public.child (note text) INHERITS (public.parent)",
                    "INSERT INTO public.bounded VALUES (1, 'a', 1.5, now()), (2, 'b', 2.5, now())",
                    "INSERT INTO public.unbounded VALUES (1, 'x')",
                    "INSERT INTO public.parts_bounded VALUES (1, 'eu', 1)",
                    "INSERT INTO public.parts_text VALUES (1, 'eu', 'x')",
                    "INSERT INTO public.parent VALUES (1, 1)",
                    "INSERT INTO public.child VALUES (2, 2, 'x')");
        }
    }

    @Test
    void rowsOfATableOfBoundedColumnsAreToastFree() throws Exception {
        assertThat(toastFree("public.bounded", true)).containsExactly(true, true);
    }

    @Test
    void rowsOfATableWithAColumnOfUnboundedWidthAreNot() throws Exception {
        assertThat(toastFree("public.unbounded", true)).containsExactly(false);
    }

    @Test
    void aPartitionedTableIsToastFreeOnlyWhenEveryPartitionIs() throws Exception {
        assertThat(toastFree("public.parts_bounded", true)).containsExactly(true);
        assertThat(toastFree("public.parts_text", true)).containsExactly(false);
    }

    @Test
    void anInheritanceParentReadsItsChildrenSoTheirTablesCount() throws Exception {
        assertThat(toastFree("public.parent", true)).containsExactly(false, false);
    }

    @Test
    void rowsOfAConfiguredKeyThatNeedNotBeUniqueAreNever() throws Exception {
        assertThat(toastFree("public.bounded", false)).containsExactly(false, false);
    }

    /** Each row's mark, reading the whole table as one chunk. */
    private static List<Boolean> toastFree(String table, boolean primaryKey) throws Exception {
        try (Connection src = db.src()) {
            TableSchema t =
                    new SourceCatalog(src).describe(TableRef.parse(table), List.of(), Set.of());
            SnapshotProgress.Request r =
                    new SnapshotProgress.Request(table, ChangeEvent.NONE, ChangeEvent.NONE, 100);
            ChunkReader.Chunk chunk = new ChunkReader().read(src, t, primaryKey, null, 1_000, r);
            CopyTextRow split = new CopyTextRow();
            return chunk.rows().stream().map(row -> row.event(split).toastFree).toList();
        }
    }
}
