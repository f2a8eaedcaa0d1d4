package dev.flinkelt.track;

import dev.flinkelt.extract.ChangeEvent;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;

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
