package dev.flinkelt.extract;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;

/**
 * {@link ChangeEvent} between operators, field by field without reflection (Flink's POJO serializer
 * reads every field reflectively and writes a null flag per field and array element). Nullable
 * strings use {@link StringValue}'s encoding, which has a null; arrays a length, -1 for null. Used
 * for the stream between operators only: the keyed stage's held events stay in their POJO form in
 * state, so savepoints of earlier versions restore.
 */
public final class ChangeEventSerializer extends TypeSerializerSingleton<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    public static final ChangeEventSerializer INSTANCE = new ChangeEventSerializer();

    /**
     * Where the count of unchanged columns goes, the mark of {@link ChangeEvent#toastFree} (no
     * unchanged columns either). Earlier versions wrote -1 there for "none" and read any negative
     * count as none, so events of either version read in the other (windows held in snapshot state,
     * in-flight data of unaligned checkpoints).
     */
    private static final int TOAST_FREE = -2;

    /**
     * In place of the values' count: {@link ChangeEvent#copyText} follows (its length, its bytes,
     * its count of values). Earlier versions never wrote it.
     */
    private static final int COPY_TEXT = -2;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ChangeEvent createInstance() {
        return new ChangeEvent();
    }

    /**
     * Arrays are copied: the copy's values may be filled in place (TOAST) while the original is
     * still referenced.
     */
    @Override
    public ChangeEvent copy(ChangeEvent from) {
        ChangeEvent e = new ChangeEvent();
        e.table = from.table;
        e.key = from.key;
        e.op = from.op;
        e.lsn = from.lsn;
        e.seq = from.seq;
        e.txId = from.txId;
        e.sourceTsMicros = from.sourceTsMicros;
        e.values = from.values == null ? null : from.values.clone();
        e.columns = from.columns; // never changed in place
        e.types = from.types;
        e.layout = from.layout;
        e.unchanged = from.unchanged == null ? null : from.unchanged.clone();
        e.toastFree = from.toastFree;
        e.copyText = from.copyText; // never changed in place
        e.copyFields = from.copyFields;
        return e;
    }

    @Override
    public ChangeEvent copy(ChangeEvent from, ChangeEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ChangeEvent e, DataOutputView out) throws IOException {
        StringValue.writeString(e.table, out);
        StringValue.writeString(e.key, out);
        out.writeChar(e.op);
        out.writeLong(e.lsn);
        out.writeLong(e.seq);
        out.writeLong(e.txId);
        out.writeLong(e.sourceTsMicros);
        out.writeInt(e.layout);
        if (e.values == null && e.copyText != null) {
            out.writeInt(COPY_TEXT);
            out.writeInt(e.copyText.length);
            out.write(e.copyText);
            out.writeInt(e.copyFields);
        } else {
            writeStrings(e.values, out);
        }
        writeStrings(e.columns, out);
        writeStrings(e.types, out);
        if (e.unchanged == null) {
            out.writeInt(e.toastFree ? TOAST_FREE : -1);
        } else {
            out.writeInt(e.unchanged.length);
            for (boolean b : e.unchanged) {
                out.writeBoolean(b);
            }
        }
    }

    /** Always a new event: downstream operators keep events (sink batches, snapshot windows). */
    @Override
    public ChangeEvent deserialize(DataInputView in) throws IOException {
        ChangeEvent e = new ChangeEvent();
        e.table = StringValue.readString(in);
        e.key = StringValue.readString(in);
        e.op = in.readChar();
        e.lsn = in.readLong();
        e.seq = in.readLong();
        e.txId = in.readLong();
        e.sourceTsMicros = in.readLong();
        e.layout = in.readInt();
        int values = in.readInt();
        if (values == COPY_TEXT) {
            byte[] text = new byte[in.readInt()];
            in.readFully(text);
            e.keepCopyText(text, in.readInt());
        } else {
            e.values = readStrings(values, in);
        }
        e.columns = readStrings(in);
        e.types = readStrings(in);
        int n = in.readInt();
        e.toastFree = n == TOAST_FREE;
        if (n >= 0) {
            e.unchanged = new boolean[n];
            for (int i = 0; i < n; i++) {
                e.unchanged[i] = in.readBoolean();
            }
        }
        return e;
    }

    @Override
    public ChangeEvent deserialize(ChangeEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeStrings(String[] xs, DataOutputView out) throws IOException {
        if (xs == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(xs.length);
        for (String x : xs) {
            StringValue.writeString(x, out);
        }
    }

    private static String[] readStrings(DataInputView in) throws IOException {
        return readStrings(in.readInt(), in);
    }

    private static String[] readStrings(int n, DataInputView in) throws IOException {
        if (n < 0) {
            return null;
        }
        String[] xs = new String[n];
        for (int i = 0; i < n; i++) {
            xs[i] = StringValue.readString(in);
        }
        return xs;
    }

    @Override
    public TypeSerializerSnapshot<ChangeEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No configuration: one format. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChangeEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
