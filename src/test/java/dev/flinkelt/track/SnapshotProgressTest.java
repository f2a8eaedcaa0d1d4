package dev.flinkelt.track;

import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.ChangeEventSerializer;
import dev.flinkelt.extract.CopyTextRow;

import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

class SnapshotProgressTest {
    @Test
    void aWindowInTheMiddleOfATableSurvivesACheckpointWithEveryRowAndValue() throws Exception {
        SnapshotProgress p = new SnapshotProgress();
        p.step = 42;
        p.queue.add(new SnapshotProgress.Request("public.next", 7, 8, 9));
        p.current = new SnapshotProgress.Request("public.items", 900, 1_700_000_000_000_000L, 0);
        p.cursor = new String[] {"1000", null};
        p.window = "w-1";
        p.lowSeen = true;
        p.windowTables.add("public.items");
        ChangeEvent e = new ChangeEvent();
        e.table = "public.items";
        e.key = "public.items\u00001001";
        e.op = ChangeEvent.READ;
        e.txId = 900;
        e.layout = -5;
        e.seq = 123;
        e.values = new String[] {"1001", null, "é".repeat(40_000)}; // beyond writeUTF's 64 KB
        e.columns = new String[] {"id", "note", "big"};
        p.rows.put(e.key, new SelectedRow(e));
        p.finishing.add(
                new SnapshotProgress.Request("public.small", 900, 1_700_000_000_000_000L, 0));
        p.windowTables.add("public.small");
        p.read.put("public.items", new long[] {4000, 1});

        SnapshotProgress back = SnapshotProgress.decode(p.encode());
        assertThat(back.step).isEqualTo(42);
        assertThat(back.queue)
                .containsExactly(new SnapshotProgress.Request("public.next", 7, 8, 9));
        assertThat(back.current).isEqualTo(p.current);
        assertThat(back.cursor).containsExactly("1000", null);
        assertThat(back.window).isEqualTo("w-1");
        assertThat(back.lowSeen).isTrue();
        assertThat(back.windowTables).containsExactly("public.items", "public.small");
        assertThat(back.finishing)
                .containsExactly(
                        new SnapshotProgress.Request(
                                "public.small", 900, 1_700_000_000_000_000L, 0));
        assertThat(back.read.get("public.items")).containsExactly(4000, 1);
        ChangeEvent r = back.rows.get(e.key).event(new CopyTextRow());
        assertThat(r.values).containsExactly(e.values);
        assertThat(r.columns).containsExactly("id", "note", "big");
        assertThat(r.types).isNull();
        assertThat(r.op).isEqualTo(ChangeEvent.READ);
        assertThat(r.txId).isEqualTo(900);
        assertThat(r.layout).isEqualTo(-5);
        assertThat(r.seq).as("the row's floor").isEqualTo(123);
    }

    @Test
    void heldRowsOfSeveralChunksComeBackAsTheirTextWithTheirChunksShapeAndRestoredEventsAsEvents()
            throws Exception {
        SnapshotProgress p = new SnapshotProgress();
        SnapshotProgress.Request items = new SnapshotProgress.Request("public.items", 900, 5, 77);
        SnapshotProgress.Request small = new SnapshotProgress.Request("public.small", 900, 5, 0);
        SelectedRow.Shape a =
                new SelectedRow.Shape(
                        "public.items",
                        new String[] {"id", "note"},
                        new String[] {"int4", "text"},
                        3,
                        items,
                        true);
        SelectedRow.Shape b =
                new SelectedRow.Shape(
                        "public.small", new String[] {"k"}, new String[] {"text"}, 1, small, false);
        p.select(new SelectedRow("i1", "1\tline\\nx".getBytes(UTF_8), a));
        p.select(new SelectedRow("i2", "2\t\\N".getBytes(UTF_8), a));
        p.select(new SelectedRow("s1", "ü€".getBytes(UTF_8), b));
        p.select(new SelectedRow("s1", "ü€".getBytes(UTF_8), b)); // a configured key, not unique
        ChangeEvent restored = new ChangeEvent();
        restored.table = "public.items";
        restored.key = "i3";
        restored.op = ChangeEvent.READ;
        restored.values = new String[] {"3", "x"};
        restored.columns = new String[] {"id", "note"};
        restored.seq = 77;
        p.select(new SelectedRow(restored));

        SnapshotProgress back = SnapshotProgress.decode(p.encode());

        CopyTextRow split = new CopyTextRow();
        ChangeEvent i1 = back.rows.get("i1").event(split);
        assertThat(i1.values).containsExactly("1", "line\nx");
        assertThat(i1.columns).containsExactly("id", "note");
        assertThat(i1.types).containsExactly("int4", "text");
        assertThat(i1.layout).isEqualTo(3);
        assertThat(i1.seq).as("the floor of its request").isEqualTo(77);
        assertThat(i1.txId).isEqualTo(900);
        assertThat(i1.toastFree).isTrue();
        assertThat(back.rows.get("i2").event(split).values).containsExactly("2", null);
        assertThat(back.rows.get("s1").all()).hasSize(2);
        ChangeEvent s1 = back.rows.get("s1").event(split);
        assertThat(s1.values).containsExactly("ü€");
        assertThat(s1.table).isEqualTo("public.small");
        assertThat(s1.toastFree).isFalse();
        assertThat(back.rows.get("s1").text()).as("held as text again").isNotNull();
        assertThat(back.rows.get("i3").event(split).values).containsExactly("3", "x");
        assertThat(back.rows.keySet()).containsExactly("i1", "i2", "s1", "i3");
    }

    @Test
    void aVersion3StateWithRowsHeldAsEventsIsStillRead() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(3);
        out.writeLong(11);
        out.writeInt(0); // queue
        out.writeBoolean(false); // current
        strs(out, (String[]) null); // cursor
        str(out, "w-3");
        out.writeBoolean(true); // lowSeen
        strs(out, "public.t");
        out.writeInt(0); // finishing
        out.writeInt(0); // read
        out.writeInt(1);
        ChangeEvent e = new ChangeEvent();
        e.table = "public.t";
        e.key = "k";
        e.op = ChangeEvent.READ;
        e.seq = 5;
        e.values = new String[] {"v"};
        e.columns = new String[] {"c"};
        e.types = new String[] {"text"};
        ChangeEventSerializer.INSTANCE.serialize(e, new DataOutputViewStreamWrapper(out));
        str(out, "snap");
        out.flush();

        SnapshotProgress back = SnapshotProgress.decode(bytes.toByteArray());
        assertThat(back.window).isEqualTo("w-3");
        assertThat(back.windowSnapshot).isEqualTo("snap");
        ChangeEvent row = back.rows.get("k").event(new CopyTextRow());
        assertThat(row.values).containsExactly("v");
        assertThat(row.seq).isEqualTo(5);
        assertThat(SnapshotProgress.decode(back.encode()).rows.get("k").event(null).values)
                .as("and written again as an event")
                .containsExactly("v");
    }

    /** The string encodings of both versions (version 1 wrote them the same way). */
    private static void str(DataOutputStream out, String s) throws Exception {
        SnapshotProgress.writeString(out, s);
    }

    private static void strs(DataOutputStream out, String... xs) throws Exception {
        SnapshotProgress.writeStrings(out, xs);
    }

    @Test
    void
            aVersion1StateWithAnOpenWindowOnItsLastChunkRestoresItsTableAsFinishingAndItsRowsWithTheirFloor()
                    throws Exception {
        // as flink-elt before windows of several tables wrote it: one table per window, lastChunk,
        // no floor in rows yet
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1);
        out.writeLong(7);
        out.writeInt(0); // queue
        out.writeBoolean(true);
        str(out, "public.late");
        out.writeLong(900);
        out.writeLong(1_700_000_000_000_000L);
        out.writeLong(5_000); // floor: a capture's position
        strs(out, "10");
        str(out, "w-9");
        out.writeBoolean(true); // lowSeen
        out.writeBoolean(true); // lastChunk
        out.writeInt(1);
        str(out, "public.late");
        str(out, "public.late\u000011");
        out.writeChar(ChangeEvent.READ);
        out.writeLong(0);
        out.writeLong(0);
        out.writeLong(900);
        out.writeLong(1_700_000_000_000_000L);
        out.writeInt(-3);
        strs(out, "11", "x");
        strs(out, "id", "v");
        strs(out, "int4", "text");
        out.flush();

        SnapshotProgress back = SnapshotProgress.decode(bytes.toByteArray());
        assertThat(back.current).as("read once the window closes").isNull();
        assertThat(back.finishing)
                .extracting(SnapshotProgress.Request::table)
                .containsExactly("public.late");
        assertThat(back.windowTables).containsExactly("public.late");
        assertThat(back.window).isEqualTo("w-9");
        ChangeEvent row = back.rows.get("public.late\u000011").event(new CopyTextRow());
        assertThat(row.values).containsExactly("11", "x");
        assertThat(row.seq).as("the capture's floor").isEqualTo(5_000);
    }
}
