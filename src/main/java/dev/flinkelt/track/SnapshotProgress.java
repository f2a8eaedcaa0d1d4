package dev.flinkelt.track;

import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.ChangeEventSerializer;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the snapshots stand, as checkpointed state: the tables waiting, the table being read (with
 * its generation: the transaction and commit time of the request), the key after which its next
 * chunk starts, the open chunk window with the rows read for it (of one or more tables: small
 * tables share a window) and how far each table has got. {@code step} grows with every change, so
 * that of the copies a restore hands to every subtask (union state: the stream may be read by
 * another subtask after a rescale) the newest wins.
 */
final class SnapshotProgress {
    /**
     * 1: one table per window ({@code lastChunk}); 2: tables of a window, tables finishing with it,
     * rows per table; 3: what a window of a table without a key saw; 4: held rows as their COPY
     * text, what rows of a chunk share written once.
     */
    static final int VERSION = 4;

    /**
     * A table waiting for its snapshot; {@code floor}: the lowest {@code _lsn} its rows may get (a
     * capture's position: its rows follow the TRUNCATE row that ends an earlier table of the name),
     * 0 for a re-snapshot.
     */
    record Request(String table, long txId, long sourceTsMicros, long floor) {}

    long step;
    final List<Request> queue = new ArrayList<>();
    Request current;

    /** Key values of the last row read, or null to start at the beginning. */
    String[] cursor;

    /** Id of the open window (its low and high marks carry it), or null. */
    String window;

    /**
     * What the select of a window of a table without a key saw ({@link TxSnapshot}), or null for
     * other windows.
     */
    String windowSnapshot;

    boolean lowSeen;

    /** The tables whose rows the open window holds. */
    final Set<String> windowTables = new LinkedHashSet<>();

    /** Requests whose last rows the open window holds: their tables are read once it closes. */
    final List<Request> finishing = new ArrayList<>();

    /**
     * The window's rows by key; a change of the key inside the window removes its row (the change
     * is newer).
     */
    final Map<String, SelectedRow> rows = new LinkedHashMap<>();

    /**
     * Rows and chunks emitted per table since its request, finished tables included (for progress
     * metrics).
     */
    final Map<String, long[]> read = new LinkedHashMap<>();

    /** Holds a selected row in the open window (after any of the same key). */
    void select(SelectedRow row) {
        SelectedRow first = rows.putIfAbsent(row.key, row);
        if (first != null) {
            first.add(row);
        }
    }

    /**
     * The state as bytes. It runs on the task thread at every checkpoint with up to two windows of
     * rows held, so rows are written as the COPY text they are held in, and what the rows of one
     * chunk share once: written as events (every value a string of chars, column names and types
     * per row) they had cost a quarter of the snapshot's source CPU.
     */
    byte[] encode() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        out.writeInt(VERSION);
        out.writeLong(step);
        out.writeInt(queue.size());
        for (Request r : queue) {
            writeRequest(out, r);
        }
        out.writeBoolean(current != null);
        if (current != null) {
            writeRequest(out, current);
        }
        writeStrings(out, cursor);
        writeString(out, window);
        out.writeBoolean(lowSeen);
        writeStrings(out, windowTables.toArray(String[]::new));
        out.writeInt(finishing.size());
        for (Request r : finishing) {
            writeRequest(out, r);
        }
        out.writeInt(read.size());
        for (Map.Entry<String, long[]> e : read.entrySet()) {
            writeString(out, e.getKey());
            out.writeLong(e.getValue()[0]);
            out.writeLong(e.getValue()[1]);
        }
        List<SelectedRow> held = new ArrayList<>(rows.size());
        rows.values().forEach(r -> held.addAll(r.all()));
        Map<SelectedRow.Shape, Integer> shapes = new IdentityHashMap<>();
        for (SelectedRow row : held) {
            if (row.shape() != null) {
                shapes.putIfAbsent(row.shape(), shapes.size());
            }
        }
        out.writeInt(shapes.size());
        for (SelectedRow.Shape shape : shapes.keySet()) { // identity order: ids are written too
            out.writeInt(shapes.get(shape));
            writeShape(out, shape);
        }
        out.writeInt(held.size());
        for (SelectedRow row : held) {
            if (row.shape() == null) { // restored from an earlier version: an event
                out.writeInt(-1);
                ChangeEventSerializer.INSTANCE.serialize(row.event(null), out);
            } else {
                out.writeInt(shapes.get(row.shape()));
                writeString(out, row.key);
                byte[] text = row.text();
                out.writeInt(text.length);
                out.write(text);
            }
        }
        writeString(out, windowSnapshot);
        return out.getCopyOfBuffer();
    }

    static SnapshotProgress decode(byte[] data) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(data);
        int version = in.readInt();
        if (version < 1 || version > VERSION) {
            throw new IOException(
                    "one-table snapshot state of version "
                            + version
                            + " is not readable by this version of flink-elt");
        }
        SnapshotProgress p = new SnapshotProgress();
        p.step = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            p.queue.add(readRequest(in));
        }
        p.current = in.readBoolean() ? readRequest(in) : null;
        p.cursor = readStrings(in);
        p.window = readString(in);
        p.lowSeen = in.readBoolean();
        Request v1Window = version == 1 && p.window != null ? p.current : null;
        if (version == 1) {
            boolean lastChunk = in.readBoolean();
            if (p.window != null) {
                p.windowTables.add(p.current.table());
                if (lastChunk) {
                    p.finishing.add(p.current); // read once the window closes
                    p.current = null;
                    p.cursor = null;
                }
            }
        } else {
            p.windowTables.addAll(List.of(readStrings(in)));
            int finishing = in.readInt();
            for (int i = 0; i < finishing; i++) {
                p.finishing.add(readRequest(in));
            }
            int tables = in.readInt();
            for (int i = 0; i < tables; i++) {
                p.read.put(readString(in), new long[] {in.readLong(), in.readLong()});
            }
        }
        if (version >= 4) {
            readRows(in, p);
        } else {
            int rows = in.readInt();
            for (int i = 0; i < rows; i++) {
                p.select(
                        new SelectedRow(
                                version == 1
                                        ? readVersion1Row(in, v1Window)
                                        : ChangeEventSerializer.INSTANCE.deserialize(in)));
            }
        }
        if (version >= 3) {
            p.windowSnapshot = readString(in);
        }
        return p;
    }

    /** Held rows as version 4 writes them: shapes, then rows naming theirs (or -1: an event). */
    private static void readRows(DataInputDeserializer in, SnapshotProgress p) throws IOException {
        int n = in.readInt();
        Map<Integer, SelectedRow.Shape> shapes = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int id = in.readInt();
            shapes.put(id, readShape(in));
        }
        int rows = in.readInt();
        for (int i = 0; i < rows; i++) {
            int id = in.readInt();
            if (id < 0) {
                p.select(new SelectedRow(ChangeEventSerializer.INSTANCE.deserialize(in)));
                continue;
            }
            SelectedRow.Shape shape = shapes.get(id);
            if (shape == null) {
                throw new IOException("snapshot state names a row shape it does not hold: " + id);
            }
            String key = readString(in);
            byte[] text = new byte[in.readInt()];
            in.readFully(text);
            p.select(new SelectedRow(key, text, shape));
        }
    }

    private static void writeShape(DataOutput out, SelectedRow.Shape s) throws IOException {
        writeString(out, s.table());
        writeStrings(out, s.columns());
        writeStrings(out, s.types());
        out.writeInt(s.layout());
        writeRequest(out, s.request());
        out.writeBoolean(s.toastFree());
    }

    private static SelectedRow.Shape readShape(DataInput in) throws IOException {
        return new SelectedRow.Shape(
                readString(in),
                readStrings(in),
                readStrings(in),
                in.readInt(),
                readRequest(in),
                in.readBoolean());
    }

    /**
     * A window row as version 1 wrote it, with the floor that version gave rows only when the
     * window closed.
     */
    private static ChangeEvent readVersion1Row(DataInput in, Request window) throws IOException {
        ChangeEvent e = new ChangeEvent();
        e.table = readString(in);
        e.key = readString(in);
        e.op = in.readChar();
        e.lsn = in.readLong();
        e.seq = in.readLong();
        e.txId = in.readLong();
        e.sourceTsMicros = in.readLong();
        e.layout = in.readInt();
        e.values = readStrings(in);
        e.columns = readStrings(in);
        e.types = readStrings(in);
        if (window != null) {
            e.seq = window.floor();
        }
        return e;
    }

    private static void writeRequest(DataOutput out, Request r) throws IOException {
        writeString(out, r.table());
        out.writeLong(r.txId());
        out.writeLong(r.sourceTsMicros());
        out.writeLong(r.floor());
    }

    private static Request readRequest(DataInput in) throws IOException {
        return new Request(readString(in), in.readLong(), in.readLong(), in.readLong());
    }

    /** Strings of any length (writeUTF stops at 64 KB; values can be TOASTed megabytes). */
    static void writeString(DataOutput out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static void writeStrings(DataOutput out, String[] xs) throws IOException {
        out.writeInt(xs == null ? -1 : xs.length);
        if (xs != null) {
            for (String x : xs) {
                writeString(out, x);
            }
        }
    }

    private static String[] readStrings(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        String[] xs = new String[n];
        for (int i = 0; i < n; i++) {
            xs[i] = readString(in);
        }
        return xs;
    }
}
